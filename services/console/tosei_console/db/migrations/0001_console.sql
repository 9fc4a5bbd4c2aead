-- The console owns no business data: only who may sign in, and their sessions.
CREATE TABLE accounts (
    account_id      uuid PRIMARY KEY,
    login           text NOT NULL UNIQUE,
    display_name    text NOT NULL,
    role            text NOT NULL,
    municipality    text,
    -- An expert's id in caseflow: the subject of the tokens minted for them, so the services
    -- show them their own cases.
    expert_id       uuid,
    password_hash   text NOT NULL,
    active          boolean NOT NULL DEFAULT true,
    failed_attempts integer NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    created_at      timestamptz NOT NULL,
    created_by      text NOT NULL
);

CREATE TABLE sessions (
    -- sha256 of the cookie's secret: a leaked table does not sign anyone in.
    session_hash    text PRIMARY KEY,
    account_id      uuid NOT NULL REFERENCES accounts ON DELETE CASCADE,
    csrf_token      text NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL
);
CREATE INDEX sessions_of_account ON sessions (account_id);
