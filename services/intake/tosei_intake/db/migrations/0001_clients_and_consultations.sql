-- Clients: one row per person. A duplicate merged by a coordinator keeps its row and points at
-- the client that absorbed it (merged_into), so its id still leads somewhere.
CREATE TABLE clients (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL,  -- as first registered (tidied)
    furigana    text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text        NOT NULL,
    merged_into uuid        REFERENCES clients (id),
    merged_at   timestamptz,
    merged_by   text,
    CHECK ((merged_into IS NULL) = (merged_at IS NULL) AND (merged_at IS NULL) = (merged_by IS NULL)),
    CHECK (merged_into IS DISTINCT FROM id)
);

-- Every name, phone and e-mail a client was registered with, reduced to matching keys
-- (tosei_common.text) and as it was written.
CREATE TABLE client_keys (
    client_id  uuid        NOT NULL REFERENCES clients (id),
    kind       text        NOT NULL CHECK (kind IN ('name', 'phone', 'email')),
    key        text        NOT NULL,
    shown      text        NOT NULL,
    added_at   timestamptz NOT NULL DEFAULT now(),
    added_by   text        NOT NULL,
    PRIMARY KEY (client_id, kind, key)
);
CREATE INDEX client_keys_lookup ON client_keys (kind, key);

-- One run of `tosei import-legacy` (or its HTTP twin) that wrote something.
CREATE TABLE legacy_imports (
    id          uuid        PRIMARY KEY,
    files       text[]      NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    actor       text        NOT NULL
);

CREATE TABLE consultations (
    id                   uuid        PRIMARY KEY,  -- also the id of the case it opened
    client_id            uuid        NOT NULL REFERENCES clients (id),
    -- The client it was registered under (and announced with in case.opened); differs from
    -- client_id after a merge.
    registered_client_id uuid        NOT NULL REFERENCES clients (id),
    -- The person as given at this consultation.
    person_name          text        NOT NULL,
    furigana             text,
    phone                text,
    email                text,
    business_name        text,
    stage                text        NOT NULL,
    municipality         text        NOT NULL CHECK (municipality ~ '^[0-9]{6}$'),
    categories           text[]      NOT NULL CHECK (cardinality(categories) > 0),
    channel              text        NOT NULL,
    description          text        NOT NULL,
    consent_to_share     boolean     NOT NULL,
    consulted_at         timestamptz NOT NULL,
    origin               text        NOT NULL,
    -- What the old desk knew of a handed-over case.
    legacy_status        text,
    legacy_staff_name    text,
    legacy_categories    text,
    legacy_file          text,
    legacy_line          integer,
    legacy_fingerprint   text        UNIQUE,
    import_id            uuid        REFERENCES legacy_imports (id),
    created_at           timestamptz NOT NULL DEFAULT now(),
    created_by           text        NOT NULL,
    CHECK ((origin = 'new_desk') = (legacy_fingerprint IS NULL))
);
CREATE INDEX consultations_by_client ON consultations (client_id, consulted_at);
CREATE INDEX consultations_by_time ON consultations (consulted_at);

-- Who merged which duplicate into which client, and which consultations moved.
CREATE TABLE client_merges (
    merged_client_id uuid        PRIMARY KEY REFERENCES clients (id),
    client_id        uuid        NOT NULL REFERENCES clients (id),
    consultation_ids uuid[]      NOT NULL,
    merged_at        timestamptz NOT NULL,
    merged_by        text        NOT NULL
);

-- Which expert is on which case, as caseflow announced it (case.assigned, case.transferred).
CREATE TABLE case_experts (
    case_id    uuid        PRIMARY KEY,
    expert_id  uuid        NOT NULL,
    track      text        NOT NULL,
    since      timestamptz NOT NULL,
    event_id   uuid        NOT NULL
);
CREATE INDEX case_experts_by_expert ON case_experts (expert_id);
