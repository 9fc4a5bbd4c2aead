-- The towns' joint priority requests to Aomori Prefecture (重点事業要望): request items by fiscal
-- year, the yearly briefing (重点事業説明会) with its agenda, and the prefecture's answers.
--
-- These tables are records: commands change them, and every change also leaves an audit_log
-- entry (who, when, why and the field diff), which is the history the API shows. Only
-- plan_items is a read model, rebuilt from the resilience service's plan_item events.

-- 担当部局: the prefecture's departments a request is addressed to, a list the coordinators
-- keep (departments are renamed and reorganised; a retired one stays for the old requests).
CREATE TABLE departments (
    code       text        PRIMARY KEY,
    name       text        NOT NULL UNIQUE,
    position   integer     NOT NULL,
    retired    boolean     NOT NULL,
    added_by   text        NOT NULL,
    added_at   timestamptz NOT NULL
);

-- The prefecture's organisation when the joint requests began (FY2020).
INSERT INTO departments (code, name, position, retired, added_by, added_at) VALUES
    ('somu',      '総務部',               1,  false, 'system:requests', '2020-04-01 00:00+09'),
    ('kikaku',    '企画政策部',           2,  false, 'system:requests', '2020-04-01 00:00+09'),
    ('kikikanri', '危機管理局',           3,  false, 'system:requests', '2020-04-01 00:00+09'),
    ('kankyo',    '環境生活部',           4,  false, 'system:requests', '2020-04-01 00:00+09'),
    ('kenko',     '健康福祉部',           5,  false, 'system:requests', '2020-04-01 00:00+09'),
    ('shoko',     '商工労働部',           6,  false, 'system:requests', '2020-04-01 00:00+09'),
    ('energy',    'エネルギー総合対策局', 7,  false, 'system:requests', '2020-04-01 00:00+09'),
    ('norin',     '農林水産部',           8,  false, 'system:requests', '2020-04-01 00:00+09'),
    ('kendo',     '県土整備部',           9,  false, 'system:requests', '2020-04-01 00:00+09'),
    ('kanko',     '観光国際戦略局',       10, false, 'system:requests', '2020-04-01 00:00+09'),
    ('kyoiku',    '教育庁',               11, false, 'system:requests', '2020-04-01 00:00+09'),
    ('keisatsu',  '警察本部',             12, false, 'system:requests', '2020-04-01 00:00+09');

-- The fiscal years whose drafting has opened: items are drafted only in an open year.
CREATE TABLE request_years (
    fiscal_year integer     PRIMARY KEY,
    opened_at   timestamptz NOT NULL,
    opened_by   text        NOT NULL
);

CREATE TABLE request_items (
    id                    uuid        PRIMARY KEY,
    fiscal_year           integer     NOT NULL REFERENCES request_years,
    number                integer     NOT NULL,  -- within the year, never reused
    title                 text        NOT NULL,
    body                  text        NOT NULL,  -- 要望内容
    background            text        NOT NULL,  -- 現状と課題
    departments           text[]      NOT NULL,
    municipalities        text[]      NOT NULL,  -- the requesting towns, in the council's order
    town_priority         integer,
    requested_amount_yen  bigint,
    plan_item_ids         uuid[]      NOT NULL,
    status                text        NOT NULL
        CHECK (status IN ('draft', 'submitted', 'adopted', 'returned', 'withdrawn')),
    return_reason         text,
    derivation            text        CHECK (derivation IN ('carried', 'merged', 'split')),
    derived_from          uuid[]      NOT NULL,  -- the items of the year before it continues
    version               integer     NOT NULL,
    created_at            timestamptz NOT NULL,
    created_by            text        NOT NULL,
    updated_at            timestamptz NOT NULL,
    updated_by            text        NOT NULL,
    UNIQUE (fiscal_year, number)
);

CREATE INDEX request_items_derived_from ON request_items USING gin (derived_from);

-- One briefing per fiscal year; its agenda is the joint order of the adopted items.
CREATE TABLE briefings (
    id                     uuid        PRIMARY KEY,
    fiscal_year            integer     NOT NULL UNIQUE REFERENCES request_years,
    starts_at              timestamptz NOT NULL,
    ends_at                timestamptz NOT NULL CHECK (ends_at > starts_at),
    place                  text        NOT NULL,
    attendees              jsonb       NOT NULL,  -- the towns' heads or deputies, by office
    prefectural_attendees  jsonb       NOT NULL,
    minutes                text,
    minutes_recorded_at    timestamptz,
    agenda                 uuid[]      NOT NULL,
    grouping               text        NOT NULL
        CHECK (grouping IN ('joint_then_town', 'joint_order')),
    agenda_version         integer     NOT NULL,  -- 0 until fixed, +1 per change afterwards
    agenda_fixed_at        timestamptz,
    book_published_at      timestamptz,
    version                integer     NOT NULL,
    created_at             timestamptz NOT NULL,
    created_by             text        NOT NULL,
    updated_at             timestamptz NOT NULL,
    updated_by             text        NOT NULL
);

-- The prefecture's answer to an item on the agenda; a correction is a new version.
CREATE TABLE answers (
    item_id      uuid        PRIMARY KEY REFERENCES request_items,
    received_on  date        NOT NULL,
    text         text        NOT NULL,
    department   text        NOT NULL REFERENCES departments,
    status       text        NOT NULL
        CHECK (status IN ('done_or_planned', 'under_study', 'difficult', 'other')),
    version      integer     NOT NULL,
    recorded_at  timestamptz NOT NULL,
    recorded_by  text        NOT NULL
);

-- The service's own copy of the resilience plan's items, from plan_item.* events (a read
-- model: replay rebuilds it). No foreign key points here, so the records above can be copied
-- before it is rebuilt.
CREATE TABLE plan_items (
    item_id         uuid        PRIMARY KEY,
    number          integer     NOT NULL,
    municipality    text,       -- NULL: an item of the whole region
    status          text        NOT NULL,
    version         integer     NOT NULL,
    changed_fields  text[]      NOT NULL,  -- what its latest revision changed
    changed_at      timestamptz NOT NULL
);
