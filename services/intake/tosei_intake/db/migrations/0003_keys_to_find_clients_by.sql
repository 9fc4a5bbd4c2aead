-- Clients are found by their furigana and their businesses' names too. These keys only help the
-- desk search: the same-person rule still takes a name and a phone or e-mail. Intake fills them
-- in for earlier consultations, and recomputes every name-like key when the folding rules
-- (tosei_common.region.text) change, each time it starts (tosei_intake.handlers.keys).
ALTER TABLE client_keys DROP CONSTRAINT client_keys_kind_check;
ALTER TABLE client_keys ADD CONSTRAINT client_keys_kind_check
    CHECK (kind IN ('name', 'phone', 'email', 'furigana', 'business'));
