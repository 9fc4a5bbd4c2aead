-- Idempotent consumption: every consumed event id, inserted in the same transaction as the
-- handler's effect. A redelivered event finds its id here and has no second effect.
CREATE TABLE inbox (
    event_id     uuid        PRIMARY KEY,
    type         text        NOT NULL,
    source       text        NOT NULL,
    topic        text        NOT NULL,
    partition    integer     NOT NULL,
    "offset"     bigint      NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Events this service could not handle and sent to <topic>.dlq, kept for operators.
CREATE TABLE dead_letters (
    id           bigserial   PRIMARY KEY,
    event_id     uuid,
    type         text,
    topic        text        NOT NULL,
    partition    integer     NOT NULL,
    "offset"     bigint      NOT NULL,
    reason       text        NOT NULL,
    error        text        NOT NULL,
    attempts     integer     NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
