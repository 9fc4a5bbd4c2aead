-- Cases whose client intake erased (client.erased): their journal's free text is overwritten
-- (reasons, notes, minutes, experts' confidential notes); the cases, sessions, referrals and
-- outcomes stay as the KPI reports count them. Part of the read model: rebuilt from intake's
-- clients topic by replay (and the copied journal is erased again).
CREATE TABLE erased_cases (
    case_id    uuid        PRIMARY KEY,
    client_id  uuid        NOT NULL,
    erased_at  timestamptz NOT NULL,
    event_id   uuid        NOT NULL
);
