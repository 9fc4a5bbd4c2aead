"""The SQL of places and their seats.

Every change to who sits at a place runs while that place's row is locked (``lock``): 500
people registering at once for 100 seats queue on the lock, and each counts the seats the ones
before it took.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from tosei_common.catalogue.seminar import AttendanceMode
from tosei_common.platform.db import Connection
from tosei_seminar.domain.places import Place

_COUNTS = """
    (SELECT count(*) FROM registrations r
     WHERE r.place_id = p.id AND r.status = 'accepted')::int AS seated,
    (SELECT count(*) FROM registrations r
     WHERE r.place_id = p.id AND r.status = 'waitlisted')::int AS waiting
"""
_PLACE = f"SELECT p.id, p.mode, p.name, p.municipality, p.capacity, {_COUNTS} FROM places p"


def _place(r: asyncpg.Record) -> Place:
    return Place(
        r["id"],
        AttendanceMode(r["mode"]),
        r["name"],
        r["municipality"],
        r["capacity"],
        r["seated"],
        r["waiting"],
    )


async def of_seminar(conn: Connection, seminar_id: UUID) -> list[Place]:
    """The seminar's places with their seats taken and wait lists, venue first."""
    records = await conn.fetch(
        _PLACE + " WHERE p.seminar_id = $1"
        " ORDER BY array_position(ARRAY['venue', 'viewing_site', 'online'], p.mode), p.name",
        seminar_id,
    )
    return [_place(r) for r in records]


async def lock(conn: Connection, seminar_id: UUID, place_id: UUID) -> Place | None:
    """Lock a place of the seminar for the rest of the transaction, then count its seats.

    The counting is a second statement on purpose: under READ COMMITTED a statement that waited
    for the lock keeps its old snapshot for everything but the locked row, so counts taken in
    the locking statement could miss the registrations the previous holder just committed.
    """
    locked = await conn.fetchval(
        "SELECT id FROM places WHERE id = $1 AND seminar_id = $2 FOR UPDATE", place_id, seminar_id
    )
    if locked is None:
        return None
    record = await conn.fetchrow(_PLACE + " WHERE p.id = $1", place_id)
    assert record is not None
    return _place(record)


async def lock_of_mode(conn: Connection, seminar_id: UUID, mode: AttendanceMode) -> Place | None:
    """The seminar's one place of ``mode`` (the venue, online), locked; None when it has none."""
    place_id: UUID | None = await conn.fetchval(
        "SELECT id FROM places WHERE seminar_id = $1 AND mode = $2", seminar_id, mode.value
    )
    return await lock(conn, seminar_id, place_id) if place_id is not None else None


async def lock_all(conn: Connection, seminar_id: UUID) -> None:
    """Lock every place of a seminar (in a fixed order), so no registration runs meanwhile."""
    await conn.execute(
        "SELECT id FROM places WHERE seminar_id = $1 ORDER BY id FOR UPDATE", seminar_id
    )


async def insert(
    conn: Connection, seminar_id: UUID, place: Place, actor: str, at: datetime
) -> None:
    await conn.execute(
        """
        INSERT INTO places (id, seminar_id, mode, name, municipality, capacity, created_by,
                            created_at, updated_by, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8)
        """,
        place.place_id,
        seminar_id,
        place.mode.value,
        place.name,
        place.municipality,
        place.capacity,
        actor,
        at,
    )


async def update(conn: Connection, place: Place, actor: str, at: datetime) -> None:
    await conn.execute(
        """
        UPDATE places SET name = $2, municipality = $3, capacity = $4, updated_by = $5,
                          updated_at = $6
        WHERE id = $1
        """,
        place.place_id,
        place.name,
        place.municipality,
        place.capacity,
        actor,
        at,
    )


async def delete(conn: Connection, place_id: UUID) -> None:
    await conn.execute("DELETE FROM places WHERE id = $1", place_id)


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
