"""The SQL of a seminar's candidate venues."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from tosei_common.platform.db import Connection
from tosei_seminar.domain.arrangements import Venue


async def of_seminar(conn: Connection, seminar_id: UUID) -> list[Venue]:
    records = await conn.fetch(
        "SELECT id, name, municipality, capacity, fee FROM venues"
        " WHERE seminar_id = $1 ORDER BY capacity, fee, name",
        seminar_id,
    )
    return [Venue(r["id"], r["name"], r["municipality"], r["capacity"], r["fee"]) for r in records]


async def get(conn: Connection, seminar_id: UUID, venue_id: UUID) -> Venue | None:
    return next((v for v in await of_seminar(conn, seminar_id) if v.id == venue_id), None)


async def insert(
    conn: Connection, seminar_id: UUID, venue: Venue, actor: str, at: datetime
) -> None:
    await conn.execute(
        """
        INSERT INTO venues (id, seminar_id, name, municipality, capacity, fee, created_by,
                            created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        """,
        venue.id,
        seminar_id,
        venue.name,
        venue.municipality,
        venue.capacity,
        venue.fee,
        actor,
        at,
    )


async def delete(conn: Connection, seminar_id: UUID, venue_id: UUID) -> None:
    await conn.execute("DELETE FROM venues WHERE id = $1 AND seminar_id = $2", venue_id, seminar_id)
