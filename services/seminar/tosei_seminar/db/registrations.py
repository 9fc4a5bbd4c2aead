"""The SQL of registrations (personal data: names, organisations, contacts)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from uuid import UUID

import asyncpg

from tosei_common.catalogue.seminar import AttendanceMode, AttendeeRole
from tosei_common.platform.db import Connection
from tosei_seminar.domain.disclosure import Lookup
from tosei_seminar.domain.identity import Identity
from tosei_seminar.domain.registration import Registration, RegistrationStatus
from tosei_seminar.domain.reports import Attendee

_COLUMNS = """id, seq, reference, seminar_id, place_id, mode, name, name_kana, organisation, role,
    municipality, email, phone, status, registered_at, accepted_at, promoted_at, cancelled_at,
    checked_in_at"""
_REGISTRATION = f"SELECT {_COLUMNS} FROM registrations"


def _registration(r: asyncpg.Record) -> Registration:
    return Registration(
        id=r["id"],
        seq=r["seq"],
        reference=r["reference"],
        seminar_id=r["seminar_id"],
        place_id=r["place_id"],
        mode=AttendanceMode(r["mode"]),
        name=r["name"],
        name_kana=r["name_kana"],
        organisation=r["organisation"],
        role=AttendeeRole(r["role"]),
        municipality=r["municipality"],
        email=r["email"],
        phone=r["phone"],
        status=RegistrationStatus(r["status"]),
        registered_at=r["registered_at"],
        accepted_at=r["accepted_at"],
        promoted_at=r["promoted_at"],
        cancelled_at=r["cancelled_at"],
        checked_in_at=r["checked_in_at"],
    )


async def same_person(conn: Connection, seminar_id: UUID, keys: Identity) -> bool:
    """Whether an active registration has the same name with the same e-mail or phone."""
    found = await conn.fetchval(
        """
        SELECT 1 FROM registrations
        WHERE seminar_id = $1 AND name_key = $2 AND status <> 'cancelled'
          AND ((email_key IS NOT NULL AND email_key = $3)
               OR (phone_key IS NOT NULL AND phone_key = $4))
        LIMIT 1
        """,
        seminar_id,
        keys.name_key,
        keys.email_key,
        keys.phone_key,
    )
    return found is not None


async def insert(conn: Connection, registration: Registration, keys: Identity) -> int:
    """Insert; return its seq (arrival order). The partial unique indexes refuse the same
    person twice (``asyncpg.UniqueViolationError``)."""
    r = registration
    seq: int = await conn.fetchval(
        """
        INSERT INTO registrations (id, reference, seminar_id, place_id, mode, name, name_kana,
            name_key, organisation, role, municipality, email, email_key, phone, phone_key,
            status, registered_at, accepted_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
        RETURNING seq
        """,
        r.id,
        r.reference,
        r.seminar_id,
        r.place_id,
        r.mode.value,
        r.name,
        r.name_kana,
        keys.name_key,
        r.organisation,
        r.role.value,
        r.municipality,
        r.email,
        keys.email_key,
        r.phone,
        keys.phone_key,
        r.status.value,
        r.registered_at,
        r.accepted_at,
    )
    return seq


async def by_reference(conn: Connection, reference: str) -> Registration | None:
    record = await conn.fetchrow(_REGISTRATION + " WHERE reference = $1", reference)
    return _registration(record) if record is not None else None


async def of_seminar(
    conn: Connection,
    seminar_id: UUID,
    *,
    statuses: Collection[RegistrationStatus],
    mode: AttendanceMode | None = None,
    attended: bool | None = None,
) -> list[Registration]:
    """A seminar's registrations in arrival order (which is each wait list's order)."""
    records = await conn.fetch(
        _REGISTRATION
        + """
        WHERE seminar_id = $1 AND status = ANY($2::text[])
          AND ($3::text IS NULL OR mode = $3)
          AND ($4::boolean IS NULL OR (checked_in_at IS NOT NULL) = $4)
        ORDER BY seq
        """,
        seminar_id,
        [s.value for s in statuses],
        mode.value if mode else None,
        attended,
    )
    return [_registration(r) for r in records]


async def waiting(conn: Connection, place_id: UUID) -> list[Registration]:
    """A place's wait list, first first."""
    records = await conn.fetch(
        _REGISTRATION + " WHERE place_id = $1 AND status = 'waitlisted' ORDER BY seq", place_id
    )
    return [_registration(r) for r in records]


async def count_at_place(conn: Connection, place_id: UUID) -> int:
    """Registrations of a place, cancelled ones included (they keep the place referenced)."""
    count: int = await conn.fetchval(
        "SELECT count(*) FROM registrations WHERE place_id = $1", place_id
    )
    return count


async def cancel(conn: Connection, registration: Registration, actor: str) -> bool:
    """Cancel unless cancelled or checked in meanwhile; False when nothing changed."""
    status: str = await conn.execute(
        """
        UPDATE registrations SET status = 'cancelled', cancelled_at = $2, cancelled_by = $3
        WHERE id = $1 AND status <> 'cancelled' AND checked_in_at IS NULL
        """,
        registration.id,
        registration.cancelled_at,
        actor,
    )
    return status.endswith(" 1")


async def promote(conn: Connection, promoted: Sequence[Registration]) -> None:
    """Give seats to registrants of a (locked) place's wait list."""
    if not promoted:
        return
    await conn.execute(
        """
        UPDATE registrations r
        SET status = 'accepted', accepted_at = u.accepted_at, promoted_at = u.promoted_at
        FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[])
             AS u (id, accepted_at, promoted_at)
        WHERE r.id = u.id AND r.status = 'waitlisted'
        """,
        [r.id for r in promoted],
        [r.accepted_at for r in promoted],
        [r.promoted_at for r in promoted],
    )


async def check_in(conn: Connection, registration: Registration, actor: str) -> bool:
    """Record the check-in unless it changed meanwhile; False when nothing changed."""
    status: str = await conn.execute(
        """
        UPDATE registrations SET checked_in_at = $2, checked_in_by = $3
        WHERE id = $1 AND status = 'accepted' AND checked_in_at IS NULL
        """,
        registration.id,
        registration.checked_in_at,
        actor,
    )
    return status.endswith(" 1")


async def correct_attendance(conn: Connection, registration: Registration, actor: str) -> bool:
    """Record a corrected attendance (present or not) unless it changed meanwhile."""
    present = registration.checked_in_at is not None
    status: str = await conn.execute(
        """
        UPDATE registrations SET checked_in_at = $2, checked_in_by = $3
        WHERE id = $1 AND status = 'accepted' AND (checked_in_at IS NOT NULL) = $4
        """,
        registration.id,
        registration.checked_in_at,
        actor if present else None,
        not present,
    )
    return status.endswith(" 1")


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


# a registrant's requests about their own records ---------------------------------------------


async def registrations_of(conn: Connection, person: Lookup) -> list[Registration]:
    """Every registration with the e-mail or the phone (under the name, when given)."""
    rows = await conn.fetch(
        _REGISTRATION
        + """
        WHERE ((email_key IS NOT NULL AND email_key = $1)
               OR (phone_key IS NOT NULL AND phone_key = $2))
          AND ($3::text IS NULL OR name_key = $3)
        ORDER BY registered_at, seq
        """,
        person.email_key,
        person.phone_key,
        person.name_key,
    )
    return [_registration(r) for r in rows]


async def save_contacts(conn: Connection, corrected: Registration, keys: Identity) -> None:
    await conn.execute(
        """
        UPDATE registrations
        SET name = $2, name_kana = $3, organisation = $4, email = $5, phone = $6,
            name_key = $7, email_key = $8, phone_key = $9
        WHERE id = $1
        """,
        corrected.id,
        corrected.name,
        corrected.name_kana,
        corrected.organisation,
        corrected.email,
        corrected.phone,
        keys.name_key,
        keys.email_key,
        keys.phone_key,
    )


async def lock(conn: Connection, registration_id: UUID) -> Registration | None:
    row = await conn.fetchrow(_REGISTRATION + " WHERE id = $1 FOR UPDATE", registration_id)
    return _registration(row) if row else None
