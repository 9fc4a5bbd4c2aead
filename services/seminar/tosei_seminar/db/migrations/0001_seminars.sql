-- The joint home-medical-care seminar: rotation, seminars, speakers, venues, places (the main
-- venue, viewing sites, online) with their seats, registrations, feedback, budget, change log.

CREATE TABLE rotation_overrides (
    fiscal_year integer PRIMARY KEY,
    host_municipality char(6) NOT NULL,
    reason text NOT NULL,
    set_by text NOT NULL,
    set_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE seminars (
    id uuid PRIMARY KEY,
    fiscal_year integer NOT NULL,
    title text NOT NULL,
    host_municipality char(6) NOT NULL,
    state text NOT NULL DEFAULT 'planned' CHECK (state IN
        ('planned', 'scheduled', 'registration_open', 'registration_closed', 'held', 'cancelled')),
    starts_at timestamptz,
    ends_at timestamptz,
    stream_url text,
    chosen_venue_id uuid,
    cancel_reason text,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);
-- One seminar a year; a cancelled one does not block planning another.
CREATE UNIQUE INDEX seminars_one_a_year ON seminars (fiscal_year) WHERE state <> 'cancelled';

CREATE TABLE speakers (
    id uuid PRIMARY KEY,
    seminar_id uuid NOT NULL REFERENCES seminars (id),
    name text NOT NULL,
    affiliation text NOT NULL,
    profession text,
    keynote boolean NOT NULL DEFAULT false,
    fee integer NOT NULL CHECK (fee >= 0),
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX speakers_of_seminar ON speakers (seminar_id);

CREATE TABLE venues (
    id uuid PRIMARY KEY,
    seminar_id uuid NOT NULL REFERENCES seminars (id),
    name text NOT NULL,
    municipality char(6) NOT NULL,
    capacity integer NOT NULL CHECK (capacity > 0),
    fee integer NOT NULL CHECK (fee >= 0),
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (seminar_id, name)
);

ALTER TABLE seminars ADD FOREIGN KEY (chosen_venue_id) REFERENCES venues (id);

-- A place people attend at, with its own seats and wait list. Registrations lock its row
-- (SELECT ... FOR UPDATE) while they count its seats, so seats never exceed capacity.
CREATE TABLE places (
    id uuid PRIMARY KEY,
    seminar_id uuid NOT NULL REFERENCES seminars (id),
    mode text NOT NULL CHECK (mode IN ('venue', 'viewing_site', 'online')),
    name text NOT NULL,
    municipality char(6),
    capacity integer NOT NULL CHECK (capacity >= 0),
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((mode = 'online') = (municipality IS NULL))
);
CREATE UNIQUE INDEX places_one_venue ON places (seminar_id) WHERE mode = 'venue';
CREATE UNIQUE INDEX places_one_online ON places (seminar_id) WHERE mode = 'online';
CREATE UNIQUE INDEX places_site_names ON places (seminar_id, name) WHERE mode = 'viewing_site';

CREATE TABLE registrations (
    id uuid PRIMARY KEY,
    -- Assigned while the place's row is locked, so within a place it is arrival order: the
    -- wait list is served by it.
    seq bigserial UNIQUE,
    reference text NOT NULL UNIQUE,
    seminar_id uuid NOT NULL REFERENCES seminars (id),
    place_id uuid NOT NULL REFERENCES places (id),
    mode text NOT NULL,
    name text NOT NULL,
    name_kana text,
    name_key text NOT NULL,
    organisation text,
    role text NOT NULL,
    municipality char(6) NOT NULL,
    email text,
    email_key text,
    phone text,
    phone_key text,
    status text NOT NULL CHECK (status IN ('accepted', 'waitlisted', 'cancelled')),
    registered_at timestamptz NOT NULL DEFAULT now(),
    accepted_at timestamptz,
    promoted_at timestamptz,
    cancelled_at timestamptz,
    cancelled_by text,
    checked_in_at timestamptz,
    checked_in_by text,
    CHECK (email_key IS NOT NULL OR phone_key IS NOT NULL)
);
CREATE INDEX registrations_of_place ON registrations (place_id, status, seq);
CREATE INDEX registrations_of_seminar ON registrations (seminar_id, status);
-- The same person (same name and same e-mail, or same name and same phone) once per seminar.
CREATE UNIQUE INDEX registrations_once_by_email ON registrations (seminar_id, name_key, email_key)
    WHERE status <> 'cancelled' AND email_key IS NOT NULL;
CREATE UNIQUE INDEX registrations_once_by_phone ON registrations (seminar_id, name_key, phone_key)
    WHERE status <> 'cancelled' AND phone_key IS NOT NULL;

CREATE TABLE feedback (
    registration_id uuid PRIMARY KEY REFERENCES registrations (id),
    seminar_id uuid NOT NULL REFERENCES seminars (id),
    satisfaction smallint NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),
    usefulness smallint NOT NULL CHECK (usefulness BETWEEN 1 AND 5),
    comment text,
    submitted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX feedback_of_seminar ON feedback (seminar_id);

CREATE TABLE budget_lines (
    id uuid PRIMARY KEY,
    seminar_id uuid NOT NULL REFERENCES seminars (id),
    category text NOT NULL CHECK (category IN ('venue', 'keynote', 'travel', 'other')),
    item text NOT NULL,
    planned integer NOT NULL CHECK (planned >= 0),
    actual integer CHECK (actual >= 0),
    created_by text NOT NULL,
    updated_by text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX budget_lines_of_seminar ON budget_lines (seminar_id);

-- Who changed what: every command writes a line.
CREATE TABLE change_log (
    id bigserial PRIMARY KEY,
    seminar_id uuid,
    action text NOT NULL,
    actor text NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX change_log_of_seminar ON change_log (seminar_id, id);
