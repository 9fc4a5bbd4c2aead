"""The SQL of seminars."""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

import asyncpg

from tosei_common.platform.db import Connection
from tosei_seminar.domain.seminar import Seminar, SeminarState

_SEMINAR = """
    SELECT id, fiscal_year, title, host_municipality, state, starts_at, ends_at, stream_url,
           chosen_venue_id, cancel_reason, created_by, created_at, updated_by, updated_at,
           announced_at
    FROM seminars
"""


def _seminar(r: asyncpg.Record) -> Seminar:
    return Seminar(
        id=r["id"],
        fiscal_year=r["fiscal_year"],
        title=r["title"],
        host_municipality=r["host_municipality"],
        state=SeminarState(r["state"]),
        starts_at=r["starts_at"],
        ends_at=r["ends_at"],
        stream_url=r["stream_url"],
        chosen_venue_id=r["chosen_venue_id"],
        cancel_reason=r["cancel_reason"],
        created_by=r["created_by"],
        created_at=r["created_at"],
        updated_by=r["updated_by"],
        updated_at=r["updated_at"],
        announced_at=r["announced_at"],
    )


async def get(conn: Connection, seminar_id: UUID, *, lock: bool = False) -> Seminar | None:
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
    return _seminar(record) if record is not None else None


async def of_year(conn: Connection, fiscal_year: int, *, lock: bool = False) -> Seminar | None:
    """The year's seminar that is not cancelled (there is at most one)."""
    record = await conn.fetchrow(
        _SEMINAR + " WHERE fiscal_year = $1 AND state <> 'cancelled'", fiscal_year
    )
    if record is None or not lock:
        return _seminar(record) if record is not None else None
    # Re-read under its lock: it may be being scheduled right now.
    return await get(conn, record["id"], lock=True)


async def listed(conn: Connection, states: Collection[SeminarState]) -> list[Seminar]:
    records = await conn.fetch(
        _SEMINAR + " WHERE state = ANY($1::text[]) ORDER BY fiscal_year DESC, created_at",
        [s.value for s in states],
    )
    return [_seminar(r) for r in records]


def _changeable(s: Seminar) -> tuple[object, ...]:
    """The values of the columns a command may change, in the order the statements use them."""
    return (
        s.title,
        s.host_municipality,
        s.state.value,
        s.starts_at,
        s.ends_at,
        s.stream_url,
        s.chosen_venue_id,
        s.cancel_reason,
        s.updated_by,
        s.updated_at,
        s.announced_at,
    )


async def insert(conn: Connection, s: Seminar) -> None:
    await conn.execute(
        """
        INSERT INTO seminars (id, fiscal_year, created_by, created_at, title, host_municipality,
            state, starts_at, ends_at, stream_url, chosen_venue_id, cancel_reason, updated_by,
            updated_at, announced_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
        """,
        s.id,
        s.fiscal_year,
        s.created_by,
        s.created_at,
        *_changeable(s),
    )


async def update(conn: Connection, s: Seminar) -> None:
    """Write what a command may change (the command holds the seminar's lock)."""
    await conn.execute(
        """
        UPDATE seminars SET title = $2, host_municipality = $3, state = $4, starts_at = $5,
            ends_at = $6, stream_url = $7, chosen_venue_id = $8, cancel_reason = $9,
            updated_by = $10, updated_at = $11, announced_at = $12
        WHERE id = $1
        """,
        s.id,
        *_changeable(s),
    )
