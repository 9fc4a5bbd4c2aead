"""The SQL of outcomes: what the support achieved."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from tosei_caseflow.domain.views import OutcomeRow
from tosei_common.catalogue.caseflow import OutcomeType
from tosei_common.platform.db import Connection


async def insert(
    conn: Connection,
    *,
    outcome_id: UUID,
    case_id: UUID,
    type_: str,
    achieved_on: date,
    jobs: int | None,
    track: str,
    municipality: str,
    recorded_at: datetime,
) -> None:
    await conn.execute(
        """
        INSERT INTO outcomes (outcome_id, case_id, type, achieved_on, jobs, track, municipality,
                              recorded_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (outcome_id) DO NOTHING
        """,
        outcome_id,
        case_id,
        type_,
        achieved_on,
        jobs,
        track,
        municipality,
        recorded_at,
    )


async def of_case(conn: Connection, case_id: UUID) -> list[OutcomeRow]:
    rows = await conn.fetch(
        "SELECT * FROM outcomes WHERE case_id = $1 ORDER BY achieved_on, recorded_at", case_id
    )
    return [
        OutcomeRow(
            outcome_id=r["outcome_id"],
            type=OutcomeType(r["type"]),
            achieved_on=r["achieved_on"],
            jobs=r["jobs"],
            voided_at=r["voided_at"],
        )
        for r in rows
    ]


async def void(conn: Connection, case_id: UUID, outcome_id: UUID, at: datetime) -> None:
    await conn.execute(
        "UPDATE outcomes SET voided_at = $3"
        " WHERE outcome_id = $2 AND case_id = $1 AND voided_at IS NULL",
        case_id,
        outcome_id,
        at,
    )
    await conn.execute(
        "UPDATE cases SET updated_at = greatest(updated_at, $2) WHERE case_id = $1", case_id, at
    )
