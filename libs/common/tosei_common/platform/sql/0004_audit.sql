-- Who changed what, when and why: one shape for every service. A command's unit of work writes
-- its entries in the command's own transaction; nothing here ever goes on a topic.
CREATE TABLE audit_log (
    id         bigserial   PRIMARY KEY,
    at         timestamptz NOT NULL,
    actor      text        NOT NULL,  -- role:subject, or system:<what> for the platform's own
    entity     text        NOT NULL,  -- the kind of record: seminar, registration, client, …
    entity_id  text        NOT NULL,
    action     text        NOT NULL,  -- what was done to it: venue.added, merged, …
    reason     text,
    changes    jsonb       NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at);
CREATE INDEX audit_log_actor ON audit_log (actor, at);
