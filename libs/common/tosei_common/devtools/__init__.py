"""Development and operation tooling: the ``tosei`` command, the embedded stack (the bundled
broker, a PostgreSQL to talk to) and the supervisor behind ``tosei up``. Services never import
it."""
