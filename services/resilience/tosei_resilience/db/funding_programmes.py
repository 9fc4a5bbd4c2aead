"""SQL of funding programmes and their revisions."""

from __future__ import annotations

import json
from datetime import datetime
from uuid import UUID

import asyncpg

from tosei_common.platform.db import Connection
from tosei_resilience.db.jsonb import dumps
from tosei_resilience.domain.funding import FundingProgramme, ProgrammeChange, ProgrammeRevision

_COLUMNS = "id, name, ministry, condition, condition_note, effective_from_fiscal_year, version"


def _programme(row: asyncpg.Record) -> FundingProgramme:
    return FundingProgramme(
        id=row["id"],
        name=row["name"],
        ministry=row["ministry"],
        condition=row["condition"],
        condition_note=row["condition_note"],
        effective_from_fiscal_year=row["effective_from_fiscal_year"],
        version=row["version"],
    )


async def programmes(conn: Connection) -> list[FundingProgramme]:
    rows = await conn.fetch(f"SELECT {_COLUMNS} FROM funding_programmes ORDER BY name")
    return [_programme(r) for r in rows]


async def programme(
    conn: Connection, programme_id: UUID, *, for_update: bool = False
) -> FundingProgramme | None:
    lock = " FOR UPDATE" if for_update else ""
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM funding_programmes WHERE id = $1{lock}", programme_id
    )
    return None if row is None else _programme(row)


async def save(
    conn: Connection, change: ProgrammeChange, reason: str, actor: str, at: datetime
) -> None:
    """Write the programme's new state and its revision."""
    p = change.programme
    await conn.execute(
        """
        INSERT INTO funding_programmes (id, name, ministry, condition, condition_note,
                                        effective_from_fiscal_year, version, updated_at, updated_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        ON CONFLICT (id) DO UPDATE SET
            name = excluded.name, ministry = excluded.ministry, condition = excluded.condition,
            condition_note = excluded.condition_note,
            effective_from_fiscal_year = excluded.effective_from_fiscal_year,
            version = excluded.version, updated_at = excluded.updated_at,
            updated_by = excluded.updated_by
        """,
        p.id,
        p.name,
        p.ministry,
        p.condition.value,
        p.condition_note,
        p.effective_from_fiscal_year,
        p.version,
        at,
        actor,
    )
    await conn.execute(
        """
        INSERT INTO funding_programme_revisions
            (programme_id, version, change, changes, snapshot, reason, actor, recorded_at)
        VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8)
        """,
        p.id,
        p.version,
        change.kind.value,
        dumps(change.changes),
        dumps(change.snapshot),
        reason,
        actor,
        at,
    )


async def history(conn: Connection, programme_id: UUID) -> list[ProgrammeRevision]:
    rows = await conn.fetch(
        """
        SELECT version, change, changes, reason, actor, recorded_at
          FROM funding_programme_revisions WHERE programme_id = $1 ORDER BY version
        """,
        programme_id,
    )
    return [
        ProgrammeRevision(
            r["version"],
            r["change"],
            json.loads(r["changes"]),
            r["reason"],
            r["actor"],
            r["recorded_at"],
        )
        for r in rows
    ]
