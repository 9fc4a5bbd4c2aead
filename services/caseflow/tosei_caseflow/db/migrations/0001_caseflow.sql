-- Caseflow: who supports which case, and everything that happened to it.
--
-- Two kinds of tables. RECORDS (experts, external_experts, journal) are the system of record
-- for master data and for everything personal (names, notes, minutes, reasons): they never go
-- on a topic and `tosei replay caseflow` copies them. The READ MODEL (cases and below) is
-- derived from events only — intake's case.opened and caseflow's own events — so replay
-- rebuilds it exactly.

CREATE TABLE experts (
    expert_id       uuid PRIMARY KEY,
    name            text        NOT NULL,
    -- pseudonym of the name key: how a handed-over case's old staff member is recognised
    staff_key       text        NOT NULL,
    track           text        NOT NULL CHECK (track IN ('startup', 'sme')),
    specialities    text[]      NOT NULL DEFAULT '{}',
    weekly_capacity integer     NOT NULL CHECK (weekly_capacity BETWEEN 0 AND 1000),
    active          boolean     NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    created_by      text        NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    updated_by      text        NOT NULL
);
CREATE INDEX experts_staff_key ON experts (staff_key);

CREATE TABLE external_experts (
    external_expert_id uuid PRIMARY KEY,
    name               text        NOT NULL,
    organisation       text        NOT NULL,
    speciality         text        NOT NULL,
    active             boolean     NOT NULL DEFAULT true,
    created_at         timestamptz NOT NULL DEFAULT now(),
    created_by         text        NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    updated_by         text        NOT NULL
);

-- Who did it and why, per event: the personal half of each timeline entry.
CREATE TABLE journal (
    event_id     uuid PRIMARY KEY,
    case_id      uuid        NOT NULL,
    actor        text        NOT NULL,
    reason       text,
    note         text,
    minutes      text,
    confidential text,
    recorded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX journal_case ON journal (case_id);

-- The read model.
CREATE TABLE cases (
    case_id          uuid PRIMARY KEY,
    client_id        uuid        NOT NULL,
    municipality     text        NOT NULL,
    stage            text        NOT NULL,
    categories       text[]      NOT NULL,
    channel          text        NOT NULL,
    origin           text        NOT NULL,
    consent_to_share boolean     NOT NULL,
    opened_at        timestamptz NOT NULL,
    legacy_status    text,
    legacy_staff     text,
    initial_track    text        NOT NULL,
    track            text        NOT NULL,
    state            text        NOT NULL,
    expert_id        uuid,
    next_action_on   date,
    satisfaction     smallint,
    resolved_at      timestamptz,
    closed_at        timestamptz,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX cases_expert ON cases (expert_id) WHERE expert_id IS NOT NULL;
CREATE INDEX cases_state ON cases (state);
CREATE INDEX cases_opened ON cases (opened_at);

-- Every expert who has had the case: the current one changes it, the earlier ones read it.
CREATE TABLE case_experts (
    case_id   uuid        NOT NULL,
    expert_id uuid        NOT NULL,
    since     timestamptz NOT NULL,
    until     timestamptz,
    PRIMARY KEY (case_id, expert_id, since)
);
CREATE INDEX case_experts_expert ON case_experts (expert_id);

-- One entry per event, in the order things happened, across experts.
CREATE TABLE case_timeline (
    -- recording order breaks ties between events of one instant (a session that starts a case)
    seq      bigserial,
    event_id uuid PRIMARY KEY,
    case_id  uuid        NOT NULL,
    kind     text        NOT NULL,
    at       timestamptz NOT NULL,
    facts    jsonb       NOT NULL
);
CREATE INDEX case_timeline_case ON case_timeline (case_id, at, seq);

CREATE TABLE sessions (
    session_id       uuid PRIMARY KEY,
    case_id          uuid        NOT NULL,
    expert_id        uuid        NOT NULL,
    track            text        NOT NULL,
    held_on          date        NOT NULL,
    mode             text        NOT NULL,
    duration_minutes integer     NOT NULL,
    next_action_on   date,
    recorded_at      timestamptz NOT NULL
);
CREATE INDEX sessions_case ON sessions (case_id);
CREATE INDEX sessions_held ON sessions (held_on);

CREATE TABLE referrals (
    referral_id        uuid PRIMARY KEY,
    case_id            uuid        NOT NULL,
    external_expert_id uuid        NOT NULL,
    track              text        NOT NULL,
    status             text        NOT NULL,
    visits             integer     NOT NULL DEFAULT 0,
    requested_at       timestamptz NOT NULL,
    completed_at       timestamptz,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX referrals_case ON referrals (case_id);

CREATE TABLE outcomes (
    outcome_id   uuid PRIMARY KEY,
    case_id      uuid        NOT NULL,
    type         text        NOT NULL,
    achieved_on  date        NOT NULL,
    jobs         integer,
    track        text        NOT NULL,
    municipality text        NOT NULL,
    recorded_at  timestamptz NOT NULL
);
CREATE INDEX outcomes_case ON outcomes (case_id);
