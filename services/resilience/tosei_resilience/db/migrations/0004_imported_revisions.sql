-- Revisions taken from a history import (the plan as adopted in December 2020 and revised every
-- year since, loaded from the coordinators' spreadsheet) are dated when they were decided
-- (recorded_at = the decision day, 00:00 Japan time) and marked as imported, with the import
-- that brought them and the moment it was written. Revisions made through the API stay 'live'.
-- Independent of 0003: it only adds columns to plan_item_revisions, created by 0001.

ALTER TABLE plan_item_revisions
    ADD COLUMN IF NOT EXISTS source      text        NOT NULL DEFAULT 'live',
    ADD COLUMN IF NOT EXISTS import_id   uuid,
    ADD COLUMN IF NOT EXISTS imported_at timestamptz;

ALTER TABLE plan_item_revisions
    ADD CONSTRAINT plan_item_revisions_source
        CHECK (source IN ('live', 'import')),
    ADD CONSTRAINT plan_item_revisions_import_marked
        CHECK ((source = 'import') = (import_id IS NOT NULL AND imported_at IS NOT NULL));

CREATE INDEX IF NOT EXISTS plan_item_revisions_import ON plan_item_revisions (import_id)
    WHERE import_id IS NOT NULL;
