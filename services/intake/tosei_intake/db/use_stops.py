"""The SQL of stopping the use of clients' records (and resuming it)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import asyncpg

from tosei_common.platform.db import Connection
from tosei_intake.domain.use_stops import UseStop

_COLUMNS = "client_id, stopped_at, stopped_by, reason, resumed_at, resumed_by, resume_reason"


def _stop(r: asyncpg.Record) -> UseStop:
    return UseStop(
        client_id=r["client_id"],
        stopped_at=r["stopped_at"],
        stopped_by=r["stopped_by"],
        reason=r["reason"],
        resumed_at=r["resumed_at"],
        resumed_by=r["resumed_by"],
        resume_reason=r["resume_reason"],
    )


async def standing(conn: Connection, client_id: UUID) -> UseStop | None:
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM client_use_stops WHERE client_id = $1 AND resumed_at IS NULL",
        client_id,
    )
    return _stop(row) if row else None


async def history(conn: Connection, client_ids: Sequence[UUID]) -> list[UseStop]:
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM client_use_stops WHERE client_id = ANY($1::uuid[])"
        " ORDER BY stopped_at",
        list(client_ids),
    )
    return [_stop(r) for r in rows]


async def stopped_among(conn: Connection, client_ids: Sequence[UUID]) -> set[UUID]:
    """Which of the clients have their records' use stopped now."""
    rows = await conn.fetch(
        "SELECT client_id FROM client_use_stops WHERE client_id = ANY($1::uuid[])"
        " AND resumed_at IS NULL",
        list(client_ids),
    )
    return {r["client_id"] for r in rows}


async def save(conn: Connection, stop: UseStop) -> None:
    """Insert a new stop, or record the lifting of a standing one."""
    if stop.resumed_at is None:
        await conn.execute(
            "INSERT INTO client_use_stops (client_id, stopped_at, stopped_by, reason)"
            " VALUES ($1, $2, $3, $4)",
            stop.client_id,
            stop.stopped_at,
            stop.stopped_by,
            stop.reason,
        )
    else:
        await conn.execute(
            "UPDATE client_use_stops SET resumed_at = $3, resumed_by = $4, resume_reason = $5"
            " WHERE client_id = $1 AND stopped_at = $2",
            stop.client_id,
            stop.stopped_at,
            stop.resumed_at,
            stop.resumed_by,
            stop.resume_reason,
        )
