"""The SQL of sessions (面談): meetings of an expert with the client."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from tosei_caseflow.domain.views import SessionRow
from tosei_common.catalogue.caseflow import SessionMode
from tosei_common.platform.db import Connection


async def insert(
    conn: Connection,
    *,
    session_id: UUID,
    case_id: UUID,
    expert_id: UUID,
    held_on: date,
    mode: str,
    duration_minutes: int,
    next_action_on: date | None,
    recorded_at: datetime,
) -> None:
    """Record the session in the case's track of the moment, and its next action on the case."""
    await conn.execute(
        """
        INSERT INTO sessions (session_id, case_id, expert_id, track, held_on, mode,
                              duration_minutes, next_action_on, recorded_at)
        SELECT $1, $2, $3, track, $4, $5, $6, $7, $8 FROM cases WHERE case_id = $2
        ON CONFLICT (session_id) DO NOTHING
        """,
        session_id,
        case_id,
        expert_id,
        held_on,
        mode,
        duration_minutes,
        next_action_on,
        recorded_at,
    )
    await conn.execute(
        "UPDATE cases SET next_action_on = $2, updated_at = greatest(updated_at, $3)"
        " WHERE case_id = $1",
        case_id,
        next_action_on,
        recorded_at,
    )


async def of_case(conn: Connection, case_id: UUID) -> list[SessionRow]:
    rows = await conn.fetch(
        "SELECT * FROM sessions WHERE case_id = $1 ORDER BY held_on, recorded_at", case_id
    )
    return [
        SessionRow(
            session_id=r["session_id"],
            expert_id=r["expert_id"],
            held_on=r["held_on"],
            mode=SessionMode(r["mode"]),
            duration_minutes=r["duration_minutes"],
            next_action_on=r["next_action_on"],
            voided_at=r["voided_at"],
        )
        for r in rows
    ]


async def void(conn: Connection, case_id: UUID, session_id: UUID, at: datetime) -> None:
    """Mark the session voided; the case's next action is the latest live session's again."""
    await conn.execute(
        "UPDATE sessions SET voided_at = $3 WHERE session_id = $2 AND case_id = $1"
        " AND voided_at IS NULL",
        case_id,
        session_id,
        at,
    )
    await conn.execute(
        """
        UPDATE cases SET next_action_on = (
            SELECT next_action_on FROM sessions
            WHERE case_id = $1 AND voided_at IS NULL
            ORDER BY recorded_at DESC LIMIT 1),
          updated_at = greatest(updated_at, $2)
        WHERE case_id = $1
        """,
        case_id,
        at,
    )
