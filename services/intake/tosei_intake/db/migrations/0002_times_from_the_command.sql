-- Every moment intake records comes from the command's unit of work (the service clock), never
-- from the database's own now(): drop the defaults that could stand in for one.
ALTER TABLE clients ALTER COLUMN created_at DROP DEFAULT;
ALTER TABLE client_keys ALTER COLUMN added_at DROP DEFAULT;
ALTER TABLE legacy_imports ALTER COLUMN started_at DROP DEFAULT;
ALTER TABLE consultations ALTER COLUMN created_at DROP DEFAULT;
