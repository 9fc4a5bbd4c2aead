-- Mail to registrants (docs/seminar.md, "Notifications"): written in the transaction of the
-- registration, promotion, reschedule, cancellation or the seminar's end that calls for it, sent
-- by the mail relay (tosei_common.platform.mail, whose contract these columns are). Addresses
-- and bodies are personal data: they never go on a topic, and the retention run erases them
-- with the registrant's contacts (erased_at), keeping what was sent when.
CREATE TABLE mail_outbox (
    seq             bigserial PRIMARY KEY,
    id              uuid        NOT NULL UNIQUE,  -- also the Message-ID
    kind            text        NOT NULL,
    about           uuid        NOT NULL,         -- the registration
    recipient       text,
    subject         text,
    body_text       text,
    body_html       text,
    image_cids      text[]      NOT NULL DEFAULT '{}',
    image_pngs      bytea[]     NOT NULL DEFAULT '{}',
    occurred_at     timestamptz NOT NULL,         -- the command's moment (the Date header)
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    attempts        integer     NOT NULL DEFAULT 0,
    last_error      text,
    sent_at         timestamptz,
    given_up_at     timestamptz,
    erased_at       timestamptz,
    CONSTRAINT mail_outbox_content_or_erased CHECK (
        erased_at IS NOT NULL
        OR (recipient IS NOT NULL AND subject IS NOT NULL AND body_text IS NOT NULL)
    ),
    CONSTRAINT mail_outbox_sent_or_given_up CHECK (sent_at IS NULL OR given_up_at IS NULL)
);

CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, seq)
    WHERE sent_at IS NULL AND given_up_at IS NULL AND erased_at IS NULL;
CREATE INDEX mail_outbox_about ON mail_outbox (about);
