"""The SQL of the host rotation: the coordinators' overrides."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from tosei_common.platform.db import Connection
from tosei_seminar.domain.rotation import Override


async def lock(conn: Connection) -> None:
    """Serialise changes to the rotation with the creation of seminars (which read it)."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('seminar.rotation', 0))")


def _override(record: asyncpg.Record) -> Override:
    return Override(
        record["fiscal_year"], record["host_municipality"], record["reason"], record["set_by"]
    )


async def overrides(conn: Connection) -> dict[int, Override]:
    rows = await conn.fetch(
        "SELECT fiscal_year, host_municipality, reason, set_by FROM rotation_overrides"
    )
    return {r["fiscal_year"]: _override(r) for r in rows}


async def save(conn: Connection, fiscal_year: int, override: Override | None, at: datetime) -> None:
    """Record the year's override, or remove it (None)."""
    if override is None:
        await conn.execute("DELETE FROM rotation_overrides WHERE fiscal_year = $1", fiscal_year)
        return
    await conn.execute(
        """
        INSERT INTO rotation_overrides (fiscal_year, host_municipality, reason, set_by, set_at)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (fiscal_year) DO UPDATE
        SET host_municipality = excluded.host_municipality, reason = excluded.reason,
            set_by = excluded.set_by, set_at = excluded.set_at
        """,
        override.fiscal_year,
        override.host,
        override.reason,
        override.set_by,
        at,
    )
