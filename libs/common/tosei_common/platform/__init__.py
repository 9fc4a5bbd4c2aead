"""The platform's plumbing: events and their envelope, the outbox and its relay, the idempotent
consumer, the database pool and migrations, the HTTP face, auth, the clock and the bootstrap
every service shares (``service.Runtime``). It depends on the regional kernel, never on the
development tooling."""
