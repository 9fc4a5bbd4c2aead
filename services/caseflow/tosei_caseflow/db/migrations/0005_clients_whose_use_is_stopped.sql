-- Clients whose records' use is stopped at their request (intake's client.use_stopped, lifted by
-- client.use_resumed): their cases take no referral to external experts. Part of the read
-- model: rebuilt from intake's clients topic by replay. The reason stays in intake.
CREATE TABLE client_use_stops (
    client_id uuid        PRIMARY KEY,
    since     timestamptz NOT NULL
);
