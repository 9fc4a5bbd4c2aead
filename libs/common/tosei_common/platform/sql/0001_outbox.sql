-- Transactional outbox: a service's outgoing events, written in the same transaction as the
-- state change they describe. Rows are marked published only after the broker acknowledged them.
CREATE TABLE outbox (
    seq            bigserial PRIMARY KEY,
    id             uuid        NOT NULL UNIQUE,
    topic          text        NOT NULL,
    aggregate_type text        NOT NULL,
    aggregate_id   text        NOT NULL,
    type           text        NOT NULL,
    source         text        NOT NULL,
    occurred_at    timestamptz NOT NULL,
    payload        json        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    published_at   timestamptz,
    attempts       integer     NOT NULL DEFAULT 0,
    last_error     text
);

CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;

-- Wakes the relay as soon as a transaction that wrote to the outbox commits (NOTIFY is
-- delivered at commit, never for a rollback). Polling remains as the fallback.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tosei_outbox_' || TG_TABLE_SCHEMA, '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
