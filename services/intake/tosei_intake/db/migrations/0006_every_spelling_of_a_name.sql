-- Every spelling a client was registered with is kept (髙橋 and 高橋, 一ヶ谷 and 一ケ谷): one row
-- per spelling, though they reduce to one key. Matching still goes by the key.
ALTER TABLE client_keys DROP CONSTRAINT client_keys_pkey;
ALTER TABLE client_keys ADD PRIMARY KEY (client_id, kind, key, shown);
