-- Clients intake found to be one person (client.merged): their cases count as one client's.
-- Part of the read model: rebuilt from intake's clients topic by replay.
CREATE TABLE client_merges (
    merged_client_id uuid PRIMARY KEY,
    client_id        uuid        NOT NULL,
    merged_at        timestamptz NOT NULL
);
