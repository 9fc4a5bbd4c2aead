"""All SQL of the seminar service, as async functions taking a connection."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from tosei_common.catalogue.seminar import AttendanceMode, AttendeeRole
from tosei_common.platform.db import Connection
from tosei_seminar.db.rows import (
    BudgetRow,
    ChangeRow,
    PlaceRow,
    RegistrationRow,
    SeminarRow,
    SpeakerRow,
    VenueRow,
    row_of,
)
from tosei_seminar.domain.reports import Attendee, Feedback
from tosei_seminar.domain.rotation import Override

# rotation --------------------------------------------------------------------------------------


async def overrides(conn: Connection) -> dict[int, Override]:
    rows = await conn.fetch(
        "SELECT fiscal_year, host_municipality, reason, set_by FROM rotation_overrides"
    )
    return {
        r["fiscal_year"]: Override(
            r["fiscal_year"], r["host_municipality"], r["reason"], r["set_by"]
        )
        for r in rows
    }


async def set_override(conn: Connection, override: Override) -> None:
    await conn.execute(
        """
        INSERT INTO rotation_overrides (fiscal_year, host_municipality, reason, set_by)
        VALUES ($1, $2, $3, $4)
        ON CONFLICT (fiscal_year) DO UPDATE
        SET host_municipality = excluded.host_municipality, reason = excluded.reason,
            set_by = excluded.set_by, set_at = now()
        """,
        override.fiscal_year,
        override.host,
        override.reason,
        override.set_by,
    )


async def delete_override(conn: Connection, fiscal_year: int) -> bool:
    status: str = await conn.execute(
        "DELETE FROM rotation_overrides WHERE fiscal_year = $1", fiscal_year
    )
    return status.endswith(" 1")


async def lock_rotation(conn: Connection) -> None:
    """Serialise changes to the rotation with the creation of seminars (which read it)."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('seminar.rotation', 0))")


# seminars --------------------------------------------------------------------------------------

_SEMINAR = """
    SELECT id, fiscal_year, title, host_municipality, state, starts_at, ends_at, stream_url,
           chosen_venue_id, cancel_reason, created_by, created_at, updated_by, updated_at
    FROM seminars
"""


async def seminar(conn: Connection, seminar_id: UUID, *, lock: bool = False) -> SeminarRow | None:
    """The seminar; with ``lock``, its row locked for the rest of the transaction.

    The lock is FOR NO KEY UPDATE, not FOR UPDATE: it serialises the coordinators' commands on
    one seminar but lets the foreign-key check of a row inserted meanwhile (a registration
    holding its place's lock) take its FOR KEY SHARE on the seminar. With FOR UPDATE that
    registration would wait for the seminar while the coordinator waits for its place: a
    deadlock. Nothing here changes a seminar's id, so the weaker lock protects all it must.
    """
    record = await conn.fetchrow(
        _SEMINAR + " WHERE id = $1" + (" FOR NO KEY UPDATE" if lock else ""), seminar_id
    )
    return row_of(SeminarRow, record) if record is not None else None


async def seminar_of_year(conn: Connection, fiscal_year: int) -> SeminarRow | None:
    record = await conn.fetchrow(
        _SEMINAR + " WHERE fiscal_year = $1 AND state <> 'cancelled'", fiscal_year
    )
    return row_of(SeminarRow, record) if record is not None else None


async def seminars(conn: Connection, states: Sequence[str]) -> list[SeminarRow]:
    records = await conn.fetch(
        _SEMINAR + " WHERE state = ANY($1::text[]) ORDER BY fiscal_year DESC, created_at",
        list(states),
    )
    return [row_of(SeminarRow, r) for r in records]


async def insert_seminar(
    conn: Connection, seminar_id: UUID, fiscal_year: int, title: str, host: str, actor: str
) -> None:
    await conn.execute(
        """
        INSERT INTO seminars (id, fiscal_year, title, host_municipality, created_by, updated_by)
        VALUES ($1, $2, $3, $4, $5, $5)
        """,
        seminar_id,
        fiscal_year,
        title,
        host,
        actor,
    )


async def update_seminar(
    conn: Connection, seminar_id: UUID, actor: str, changes: dict[str, Any]
) -> None:
    """Set the given columns (names come from the handler, never from the request)."""
    allowed = {"title", "starts_at", "ends_at", "stream_url", "host_municipality",
               "chosen_venue_id", "state", "cancel_reason"}  # fmt: skip
    if not changes:
        return
    if not set(changes) <= allowed:
        raise ValueError(f"not a seminar column: {set(changes) - allowed}")
    assignments = ", ".join(f"{name} = ${i}" for i, name in enumerate(changes, start=3))
    await conn.execute(
        f"UPDATE seminars SET {assignments}, updated_by = $2, updated_at = now() WHERE id = $1",
        seminar_id,
        actor,
        *changes.values(),
    )


# speakers and venues ---------------------------------------------------------------------------


async def speakers(conn: Connection, seminar_id: UUID) -> list[SpeakerRow]:
    records = await conn.fetch(
        "SELECT id, name, affiliation, profession, keynote, fee FROM speakers"
        " WHERE seminar_id = $1 ORDER BY keynote DESC, created_at",
        seminar_id,
    )
    return [row_of(SpeakerRow, r) for r in records]


async def insert_speaker(
    conn: Connection, seminar_id: UUID, speaker: SpeakerRow, actor: str
) -> None:
    await conn.execute(
        """
        INSERT INTO speakers (id, seminar_id, name, affiliation, profession, keynote, fee,
                              created_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        """,
        speaker.id,
        seminar_id,
        speaker.name,
        speaker.affiliation,
        speaker.profession,
        speaker.keynote,
        speaker.fee,
        actor,
    )


async def delete_speaker(conn: Connection, seminar_id: UUID, speaker_id: UUID) -> bool:
    status: str = await conn.execute(
        "DELETE FROM speakers WHERE id = $1 AND seminar_id = $2", speaker_id, seminar_id
    )
    return status.endswith(" 1")


async def venues(conn: Connection, seminar_id: UUID) -> list[VenueRow]:
    records = await conn.fetch(
        "SELECT id, name, municipality, capacity, fee FROM venues"
        " WHERE seminar_id = $1 ORDER BY capacity, fee, name",
        seminar_id,
    )
    return [row_of(VenueRow, r) for r in records]


async def venue_named(conn: Connection, seminar_id: UUID, name: str) -> bool:
    found = await conn.fetchval(
        "SELECT 1 FROM venues WHERE seminar_id = $1 AND name = $2", seminar_id, name
    )
    return found is not None


async def insert_venue(conn: Connection, seminar_id: UUID, venue: VenueRow, actor: str) -> None:
    await conn.execute(
        """
        INSERT INTO venues (id, seminar_id, name, municipality, capacity, fee, created_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        """,
        venue.id,
        seminar_id,
        venue.name,
        venue.municipality,
        venue.capacity,
        venue.fee,
        actor,
    )


async def delete_venue(conn: Connection, seminar_id: UUID, venue_id: UUID) -> bool:
    status: str = await conn.execute(
        "DELETE FROM venues WHERE id = $1 AND seminar_id = $2", venue_id, seminar_id
    )
    return status.endswith(" 1")


# places and their seats ------------------------------------------------------------------------

_COUNTS = """
    (SELECT count(*) FROM registrations r
     WHERE r.place_id = p.id AND r.status = 'accepted')::int AS seated,
    (SELECT count(*) FROM registrations r
     WHERE r.place_id = p.id AND r.status = 'waitlisted')::int AS waiting
"""


async def places(conn: Connection, seminar_id: UUID) -> list[PlaceRow]:
    """The seminar's places with their seats taken and wait lists, venue first."""
    records = await conn.fetch(
        f"""
        SELECT p.id, p.mode, p.name, p.municipality, p.capacity, {_COUNTS}
        FROM places p WHERE p.seminar_id = $1
        ORDER BY array_position(ARRAY['venue', 'viewing_site', 'online'], p.mode), p.name
        """,
        seminar_id,
    )
    return [row_of(PlaceRow, r) for r in records]


async def lock_place(conn: Connection, place_id: UUID) -> PlaceRow | None:
    """Lock a place's row for the rest of the transaction, then count its seats.

    The counting is a second statement on purpose: under READ COMMITTED a statement that waited
    for the lock keeps its old snapshot for everything but the locked row, so counts taken in
    the locking statement could miss the registrations the previous holder just committed.
    """
    locked = await conn.fetchval("SELECT id FROM places WHERE id = $1 FOR UPDATE", place_id)
    if locked is None:
        return None
    record = await conn.fetchrow(
        f"SELECT p.id, p.mode, p.name, p.municipality, p.capacity, {_COUNTS}"
        " FROM places p WHERE p.id = $1",
        place_id,
    )
    assert record is not None
    return row_of(PlaceRow, record)


async def lock_places(conn: Connection, seminar_id: UUID) -> None:
    """Lock every place of a seminar (in a fixed order), so no registration runs meanwhile."""
    await conn.execute(
        "SELECT id FROM places WHERE seminar_id = $1 ORDER BY id FOR UPDATE", seminar_id
    )


async def place_id_of(conn: Connection, seminar_id: UUID, mode: str) -> UUID | None:
    found: UUID | None = await conn.fetchval(
        "SELECT id FROM places WHERE seminar_id = $1 AND mode = $2", seminar_id, mode
    )
    return found


async def insert_place(
    conn: Connection,
    place_id: UUID,
    seminar_id: UUID,
    mode: str,
    name: str,
    municipality: str | None,
    capacity: int,
    actor: str,
) -> None:
    await conn.execute(
        """
        INSERT INTO places (id, seminar_id, mode, name, municipality, capacity, created_by,
                            updated_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
        """,
        place_id,
        seminar_id,
        mode,
        name,
        municipality,
        capacity,
        actor,
    )


async def update_place(
    conn: Connection,
    place_id: UUID,
    *,
    name: str,
    municipality: str | None,
    capacity: int,
    actor: str,
) -> None:
    await conn.execute(
        """
        UPDATE places SET name = $2, municipality = $3, capacity = $4, updated_by = $5,
                          updated_at = now()
        WHERE id = $1
        """,
        place_id,
        name,
        municipality,
        capacity,
        actor,
    )


async def site_named(conn: Connection, seminar_id: UUID, name: str, other_than: UUID) -> bool:
    found = await conn.fetchval(
        "SELECT 1 FROM places WHERE seminar_id = $1 AND mode = 'viewing_site' AND name = $2"
        " AND id <> $3",
        seminar_id,
        name,
        other_than,
    )
    return found is not None


async def delete_place(conn: Connection, place_id: UUID) -> None:
    await conn.execute("DELETE FROM places WHERE id = $1", place_id)


async def registrations_at(conn: Connection, place_id: UUID) -> int:
    """Registrations of a place, cancelled ones included (they keep the place referenced)."""
    count: int = await conn.fetchval(
        "SELECT count(*) FROM registrations WHERE place_id = $1", place_id
    )
    return count


# registrations ---------------------------------------------------------------------------------

_REGISTRATION = """
    SELECT id, seq, reference, seminar_id, place_id, mode, name, name_kana, organisation, role,
           municipality, email, phone, status, registered_at, accepted_at, promoted_at,
           cancelled_at, checked_in_at
    FROM registrations
"""


async def same_person(
    conn: Connection,
    seminar_id: UUID,
    name_key: str,
    email_key: str | None,
    phone_key: str | None,
) -> RegistrationRow | None:
    """An active registration of the same name with the same e-mail or phone."""
    record = await conn.fetchrow(
        _REGISTRATION
        + """
        WHERE seminar_id = $1 AND name_key = $2 AND status <> 'cancelled'
          AND ((email_key IS NOT NULL AND email_key = $3)
               OR (phone_key IS NOT NULL AND phone_key = $4))
        LIMIT 1
        """,
        seminar_id,
        name_key,
        email_key,
        phone_key,
    )
    return row_of(RegistrationRow, record) if record is not None else None


async def insert_registration(
    conn: Connection,
    registration: RegistrationRow,
    *,
    name_key: str,
    email_key: str | None,
    phone_key: str | None,
) -> int:
    """Insert; return its seq (arrival order)."""
    seq: int = await conn.fetchval(
        """
        INSERT INTO registrations (id, reference, seminar_id, place_id, mode, name, name_kana,
            name_key, organisation, role, municipality, email, email_key, phone, phone_key,
            status, registered_at, accepted_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
        RETURNING seq
        """,
        registration.id,
        registration.reference,
        registration.seminar_id,
        registration.place_id,
        registration.mode.value,
        registration.name,
        registration.name_kana,
        name_key,
        registration.organisation,
        registration.role.value,
        registration.municipality,
        registration.email,
        email_key,
        registration.phone,
        phone_key,
        registration.status.value,
        registration.registered_at,
        registration.accepted_at,
    )
    return seq


async def registration_by_reference(conn: Connection, reference: str) -> RegistrationRow | None:
    record = await conn.fetchrow(_REGISTRATION + " WHERE reference = $1", reference)
    return row_of(RegistrationRow, record) if record is not None else None


async def registrations(
    conn: Connection,
    seminar_id: UUID,
    *,
    statuses: Sequence[str],
    mode: str | None = None,
    attended: bool | None = None,
) -> list[RegistrationRow]:
    records = await conn.fetch(
        _REGISTRATION
        + """
        WHERE seminar_id = $1 AND status = ANY($2::text[])
          AND ($3::text IS NULL OR mode = $3)
          AND ($4::boolean IS NULL OR (checked_in_at IS NOT NULL) = $4)
        ORDER BY seq
        """,
        seminar_id,
        list(statuses),
        mode,
        attended,
    )
    return [row_of(RegistrationRow, r) for r in records]


async def wait_position(conn: Connection, place_id: UUID, seq: int) -> int:
    position: int = await conn.fetchval(
        "SELECT count(*) FROM registrations"
        " WHERE place_id = $1 AND status = 'waitlisted' AND seq <= $2",
        place_id,
        seq,
    )
    return position


async def cancel_registration(
    conn: Connection, registration_id: UUID, at: datetime, actor: str
) -> bool:
    """Cancel unless already cancelled or checked in; False when nothing changed."""
    status: str = await conn.execute(
        """
        UPDATE registrations SET status = 'cancelled', cancelled_at = $2, cancelled_by = $3
        WHERE id = $1 AND status <> 'cancelled' AND checked_in_at IS NULL
        """,
        registration_id,
        at,
        actor,
    )
    return status.endswith(" 1")


async def promote_first_waiting(
    conn: Connection, place_id: UUID, count: int, at: datetime
) -> list[RegistrationRow]:
    """Give seats to the first ``count`` waiting registrants of a (locked) place, in order."""
    if count <= 0:
        return []
    records = await conn.fetch(
        """
        WITH first AS (
            SELECT id FROM registrations
            WHERE place_id = $1 AND status = 'waitlisted'
            ORDER BY seq LIMIT $2
        )
        UPDATE registrations r SET status = 'accepted', accepted_at = $3, promoted_at = $3
        FROM first WHERE r.id = first.id
        RETURNING r.id, r.seq, r.reference, r.seminar_id, r.place_id, r.mode, r.name,
                  r.name_kana, r.organisation, r.role, r.municipality, r.email, r.phone,
                  r.status, r.registered_at, r.accepted_at, r.promoted_at, r.cancelled_at,
                  r.checked_in_at
        """,
        place_id,
        count,
        at,
    )
    return sorted((row_of(RegistrationRow, r) for r in records), key=lambda r: r.seq)


async def check_in(conn: Connection, registration_id: UUID, at: datetime, actor: str) -> bool:
    status: str = await conn.execute(
        """
        UPDATE registrations SET checked_in_at = $2, checked_in_by = $3
        WHERE id = $1 AND status = 'accepted' AND checked_in_at IS NULL
        """,
        registration_id,
        at,
        actor,
    )
    return status.endswith(" 1")


async def status_counts(conn: Connection, seminar_id: UUID) -> dict[str, int]:
    rows = await conn.fetch(
        "SELECT status, count(*)::int AS n FROM registrations WHERE seminar_id = $1"
        " GROUP BY status",
        seminar_id,
    )
    return {r["status"]: r["n"] for r in rows}


async def checked_in_count(conn: Connection, seminar_id: UUID) -> int:
    count: int = await conn.fetchval(
        "SELECT count(*) FROM registrations WHERE seminar_id = $1 AND checked_in_at IS NOT NULL",
        seminar_id,
    )
    return count


async def attendees(conn: Connection, seminar_id: UUID) -> list[Attendee]:
    """Every accepted registration with whether they came (what the reports count)."""
    rows = await conn.fetch(
        "SELECT role, municipality, mode, checked_in_at IS NOT NULL AS attended"
        " FROM registrations WHERE seminar_id = $1 AND status = 'accepted'",
        seminar_id,
    )
    return [
        Attendee(
            AttendeeRole(r["role"]), r["municipality"], AttendanceMode(r["mode"]), r["attended"]
        )
        for r in rows
    ]


# feedback --------------------------------------------------------------------------------------


async def insert_feedback(
    conn: Connection,
    registration_id: UUID,
    seminar_id: UUID,
    satisfaction: int,
    usefulness: int,
    comment: str | None,
) -> bool:
    """Store the answer; False when this registration answered already."""
    status: str = await conn.execute(
        """
        INSERT INTO feedback (registration_id, seminar_id, satisfaction, usefulness, comment)
        VALUES ($1, $2, $3, $4, $5) ON CONFLICT (registration_id) DO NOTHING
        """,
        registration_id,
        seminar_id,
        satisfaction,
        usefulness,
        comment,
    )
    return status.endswith(" 1")


async def has_feedback(conn: Connection, registration_id: UUID) -> bool:
    found = await conn.fetchval(
        "SELECT 1 FROM feedback WHERE registration_id = $1", registration_id
    )
    return found is not None


async def feedback(conn: Connection, seminar_id: UUID) -> list[Feedback]:
    rows = await conn.fetch(
        """
        SELECT r.role, r.municipality, f.satisfaction, f.usefulness, f.comment
        FROM feedback f JOIN registrations r ON r.id = f.registration_id
        WHERE f.seminar_id = $1 ORDER BY f.submitted_at
        """,
        seminar_id,
    )
    return [
        Feedback(
            AttendeeRole(r["role"]),
            r["municipality"],
            r["satisfaction"],
            r["usefulness"],
            r["comment"],
        )
        for r in rows
    ]


# budget ----------------------------------------------------------------------------------------


async def budget_lines(conn: Connection, seminar_id: UUID) -> list[BudgetRow]:
    records = await conn.fetch(
        "SELECT id, category, item, planned, actual, updated_by, updated_at FROM budget_lines"
        " WHERE seminar_id = $1 ORDER BY array_position("
        "ARRAY['venue', 'keynote', 'travel', 'other'], category), item",
        seminar_id,
    )
    return [row_of(BudgetRow, r) for r in records]


async def budget_line(conn: Connection, seminar_id: UUID, line_id: UUID) -> BudgetRow | None:
    record = await conn.fetchrow(
        "SELECT id, category, item, planned, actual, updated_by, updated_at FROM budget_lines"
        " WHERE seminar_id = $1 AND id = $2 FOR UPDATE",
        seminar_id,
        line_id,
    )
    return row_of(BudgetRow, record) if record is not None else None


async def save_budget_line(conn: Connection, seminar_id: UUID, line: BudgetRow) -> None:
    await conn.execute(
        """
        INSERT INTO budget_lines (id, seminar_id, category, item, planned, actual, created_by,
                                  updated_by, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)
        ON CONFLICT (id) DO UPDATE
        SET category = excluded.category, item = excluded.item, planned = excluded.planned,
            actual = excluded.actual, updated_by = excluded.updated_by,
            updated_at = excluded.updated_at
        """,
        line.id,
        seminar_id,
        line.category.value,
        line.item,
        line.planned,
        line.actual,
        line.updated_by,
        line.updated_at,
    )


async def delete_budget_line(conn: Connection, seminar_id: UUID, line_id: UUID) -> bool:
    status: str = await conn.execute(
        "DELETE FROM budget_lines WHERE id = $1 AND seminar_id = $2", line_id, seminar_id
    )
    return status.endswith(" 1")


# change log ------------------------------------------------------------------------------------


async def log_change(
    conn: Connection,
    seminar_id: UUID | None,
    action: str,
    actor: str,
    detail: dict[str, Any] | None = None,
) -> None:
    await conn.execute(
        "INSERT INTO change_log (seminar_id, action, actor, detail) VALUES ($1, $2, $3, $4)",
        seminar_id,
        action,
        actor,
        json.dumps(detail or {}, ensure_ascii=False, default=str),
    )


async def changes(conn: Connection, seminar_id: UUID) -> list[ChangeRow]:
    rows = await conn.fetch(
        "SELECT at, actor, action, detail FROM change_log WHERE seminar_id = $1 ORDER BY id",
        seminar_id,
    )
    return [ChangeRow(r["at"], r["actor"], r["action"], json.loads(r["detail"])) for r in rows]


# metrics ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeatFigure:
    fiscal_year: int
    mode: str
    capacity: int
    seated: int
    waiting: int


async def seat_figures(conn: Connection) -> list[SeatFigure]:
    """Seats, seated and waiting per mode of the seminars that take or took registrations."""
    rows = await conn.fetch(
        f"""
        SELECT s.fiscal_year, p.mode, sum(p.capacity)::int AS capacity,
               sum(c.seated)::int AS seated, sum(c.waiting)::int AS waiting
        FROM seminars s JOIN places p ON p.seminar_id = s.id,
             LATERAL (SELECT {_COUNTS}) c
        WHERE s.state IN ('registration_open', 'registration_closed')
        GROUP BY s.fiscal_year, p.mode
        """
    )
    return [
        SeatFigure(r["fiscal_year"], r["mode"], r["capacity"], r["seated"], r["waiting"])
        for r in rows
    ]
