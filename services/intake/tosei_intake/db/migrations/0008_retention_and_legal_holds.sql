-- Retention (docs/personal-data.md): a client's records are anonymised five years (the
-- council's setting) after every one of their cases closed. Intake learns when a case closed
-- or reopened from caseflow's events.
CREATE TABLE case_closures (
    case_id    uuid        PRIMARY KEY,
    -- NULL while the case is open again (reopened after it was closed)
    closed_at  timestamptz,
    changed_at timestamptz NOT NULL
);

-- 訴訟等による保存: while a hold stands, neither the retention job nor an early erasure
-- touches the client. A lifted hold stays, with who lifted it and why.
CREATE TABLE legal_holds (
    id          uuid        PRIMARY KEY,
    client_id   uuid        NOT NULL REFERENCES clients (id),
    reason      text        NOT NULL,
    placed_at   timestamptz NOT NULL,
    placed_by   text        NOT NULL,
    lifted_at   timestamptz,
    lifted_by   text,
    lift_reason text,
    CHECK ((lifted_at IS NULL) = (lifted_by IS NULL))
);
CREATE UNIQUE INDEX legal_holds_one_standing ON legal_holds (client_id) WHERE lifted_at IS NULL;

-- Clients whose personal data was erased: when, by whom, on what basis. The rows of clients
-- and consultations stay (the statistics count them) with their personal columns erased.
CREATE TABLE client_erasures (
    client_id        uuid        PRIMARY KEY REFERENCES clients (id),
    erased_at        timestamptz NOT NULL,
    erased_by        text        NOT NULL,
    basis            text        NOT NULL CHECK (basis IN ('retention', 'request')),
    reason           text        NOT NULL,
    consultation_ids uuid[]      NOT NULL
);
