-- plan_item events carry the item's title (事業名) since 2026-12; events published before carry
-- none, so the column is NULL until the item's next event brings one.
ALTER TABLE plan_items ADD COLUMN title text;
