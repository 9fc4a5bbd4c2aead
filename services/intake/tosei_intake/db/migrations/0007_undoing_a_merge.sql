-- A merge can be undone: each merge keeps what it gave the survivor (the keys it did not have,
-- its furigana) so the undo takes back exactly that; an undone merge stays, marked, and the
-- same two records may be merged again later.
ALTER TABLE client_merges DROP CONSTRAINT client_merges_pkey;
ALTER TABLE client_merges ADD PRIMARY KEY (merged_client_id, merged_at);
ALTER TABLE client_merges ADD COLUMN keys_added jsonb NOT NULL DEFAULT '[]';
ALTER TABLE client_merges ADD COLUMN furigana_given boolean NOT NULL DEFAULT false;
ALTER TABLE client_merges ADD COLUMN undone_at timestamptz;
ALTER TABLE client_merges ADD COLUMN undone_by text;
ALTER TABLE client_merges ADD COLUMN undo_reason text;
