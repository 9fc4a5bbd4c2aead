-- Consent to share a case with external experts, given or withdrawn after the consultation:
-- every change with the day the client said so and who recorded it.
CREATE TABLE consent_changes (
    consultation_id  uuid        NOT NULL REFERENCES consultations (id),
    consent_to_share boolean     NOT NULL,
    given_on         date        NOT NULL,
    note             text,
    recorded_at      timestamptz NOT NULL,
    recorded_by      text        NOT NULL,
    PRIMARY KEY (consultation_id, recorded_at)
);
