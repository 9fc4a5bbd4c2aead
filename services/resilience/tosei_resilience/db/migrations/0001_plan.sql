-- The joint national-resilience plan (国土強靱化地域計画) of the five towns.
--
-- plan_items holds each item's current state (for listing and row locks); plan_item_revisions is
-- the history and the source of truth for the past: every revision stores the field diff and the
-- full state after it, so the plan as of any moment is the latest snapshot per item by then.

-- 事前に備えるべき目標: the goals the plan prepares for, numbered as the plan numbers them.
CREATE TABLE risk_goals (
    number     integer PRIMARY KEY CHECK (number BETWEEN 1 AND 99),
    name       text    NOT NULL UNIQUE
);

-- 起きてはならない最悪の事態: the worst-case scenarios, coded "goal-n" (1-6).
CREATE TABLE risk_scenarios (
    code       text        PRIMARY KEY,
    goal       integer     NOT NULL REFERENCES risk_goals,
    name       text        NOT NULL UNIQUE,
    position   integer     NOT NULL,
    added_by   text        NOT NULL,
    added_at   timestamptz NOT NULL
);

-- 施策分野: individual policy areas and cross-cutting ones (横断的分野).
CREATE TABLE policy_areas (
    code          text        PRIMARY KEY,
    name          text        NOT NULL UNIQUE,
    cross_cutting boolean     NOT NULL,
    position      integer     NOT NULL,
    added_by      text        NOT NULL,
    added_at      timestamptz NOT NULL
);

CREATE TABLE funding_programmes (
    id                          uuid        PRIMARY KEY,
    name                        text        NOT NULL UNIQUE,
    ministry                    text        NOT NULL,
    condition                   text        NOT NULL
        CHECK (condition IN ('none', 'prioritised', 'required')),
    condition_note              text,
    effective_from_fiscal_year  integer,
    version                     integer     NOT NULL,
    updated_at                  timestamptz NOT NULL,
    updated_by                  text        NOT NULL
);

CREATE TABLE funding_programme_revisions (
    seq           bigserial   PRIMARY KEY,
    programme_id  uuid        NOT NULL REFERENCES funding_programmes,
    version       integer     NOT NULL,
    change        text        NOT NULL CHECK (change IN ('added', 'revised')),
    changes       jsonb       NOT NULL,
    snapshot      jsonb       NOT NULL,
    reason        text        NOT NULL,
    actor         text        NOT NULL,
    recorded_at   timestamptz NOT NULL,
    UNIQUE (programme_id, version)
);

CREATE TABLE plan_items (
    id                  uuid        PRIMARY KEY,
    number              integer     NOT NULL UNIQUE,  -- 事業番号, never reused
    municipality        text,       -- NULL: an item of the whole region (圏域全体)
    status              text        NOT NULL,
    funding_programmes  uuid[]      NOT NULL,
    version             integer     NOT NULL,
    state               jsonb       NOT NULL,
    added_at            timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);

CREATE INDEX plan_items_funding ON plan_items USING gin (funding_programmes);

CREATE TABLE plan_item_revisions (
    seq             bigserial   PRIMARY KEY,
    item_id         uuid        NOT NULL REFERENCES plan_items,
    version         integer     NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('added', 'revised', 'retired')),
    changed_fields  text[]      NOT NULL,
    changes         jsonb       NOT NULL,
    snapshot        jsonb       NOT NULL,
    municipality    text,       -- owner after the change, for the towns' change feeds
    reason          text        NOT NULL,
    actor           text        NOT NULL,
    recorded_at     timestamptz NOT NULL,
    fiscal_year     integer     NOT NULL,
    UNIQUE (item_id, version)
);

CREATE INDEX plan_item_revisions_at ON plan_item_revisions (recorded_at);
CREATE INDEX plan_item_revisions_fiscal_year ON plan_item_revisions (fiscal_year);

-- Items whose funding programme changed its conditions, until the owner confirms the review.
CREATE TABLE review_flags (
    id                 uuid        PRIMARY KEY,
    item_id            uuid        NOT NULL REFERENCES plan_items,
    programme_id       uuid        NOT NULL REFERENCES funding_programmes,
    programme_version  integer     NOT NULL,
    changed_fields     text[]      NOT NULL,
    flagged_at         timestamptz NOT NULL,
    resolved_at        timestamptz,
    resolved_by        text,
    resolution_note    text
);

-- One open flag per item and programme: a further change refreshes it.
CREATE UNIQUE INDEX review_flags_open ON review_flags (item_id, programme_id)
    WHERE resolved_at IS NULL;

-- Where each reader (a town, or a coordinator) last looked in the change feed.
CREATE TABLE feed_bookmarks (
    reader      text        PRIMARY KEY,
    seen_up_to  bigint      NOT NULL,
    updated_at  timestamptz NOT NULL,
    updated_by  text        NOT NULL
);
