"""The SQL of caseflow's word on who is on which case (built from its events)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from tosei_common.platform.db import Connection


async def assign(
    conn: Connection, case_id: UUID, expert_id: UUID, track: str, since: datetime, event_id: UUID
) -> None:
    """Record who is on the case since when. An older event arriving late (a replay of a
    reordered topic) does not undo a newer one."""
    await conn.execute(
        """
        INSERT INTO case_experts (case_id, expert_id, track, since, event_id)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (case_id) DO UPDATE
            SET expert_id = EXCLUDED.expert_id, track = EXCLUDED.track,
                since = EXCLUDED.since, event_id = EXCLUDED.event_id
            WHERE case_experts.since <= EXCLUDED.since
        """,
        case_id,
        expert_id,
        track,
        since,
        event_id,
    )
    await conn.execute(
        """
        INSERT INTO case_expert_history (case_id, expert_id, since) VALUES ($1, $2, $3)
        ON CONFLICT (case_id, expert_id) DO UPDATE
            SET since = least(case_expert_history.since, EXCLUDED.since)
        """,
        case_id,
        expert_id,
        since,
    )
