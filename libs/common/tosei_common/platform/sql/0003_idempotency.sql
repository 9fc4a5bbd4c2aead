-- Retry-safe commands: a state-changing request sent with an Idempotency-Key is remembered with
-- its response, written in the command's own transaction; a repeat gets that response again
-- and has no second effect.
CREATE TABLE idempotency_keys (
    caller       text        NOT NULL,  -- role:subject of the token, or "anonymous"
    key          text        NOT NULL,
    fingerprint  text        NOT NULL,  -- sha256 of method, path, query and body
    status       integer,               -- NULL while a command that commits by itself runs
    headers      jsonb,
    body         bytea,
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (caller, key)
);

CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
