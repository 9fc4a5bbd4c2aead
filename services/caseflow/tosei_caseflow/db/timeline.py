"""The SQL of a case's history: the timeline (from events) and the journal (who, why, notes)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from tosei_caseflow.domain.changes import Note
from tosei_caseflow.domain.views import TimelineRow
from tosei_common.platform.db import Connection


async def add(
    conn: Connection, event_id: UUID, case_id: UUID, kind: str, at: datetime, facts: dict[str, Any]
) -> None:
    await conn.execute(
        "INSERT INTO case_timeline (event_id, case_id, kind, at, facts)"
        " VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT (event_id) DO NOTHING",
        event_id,
        case_id,
        kind,
        at,
        json.dumps(facts, ensure_ascii=False, sort_keys=True),
    )


async def add_journal(
    conn: Connection, event_id: UUID, case_id: UUID, actor: str, note: Note, at: datetime
) -> None:
    """Who made the change an event announces, when, and what they said about it."""
    await conn.execute(
        """
        INSERT INTO journal (event_id, case_id, actor, reason, note, minutes, confidential,
                             recorded_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        """,
        event_id,
        case_id,
        actor,
        note.reason,
        note.note,
        note.minutes,
        note.confidential,
        at,
    )


async def of_case(conn: Connection, case_id: UUID) -> list[TimelineRow]:
    """The case's history in the order things happened, across experts."""
    rows = await conn.fetch(
        """
        SELECT t.event_id, t.kind, t.at, t.facts, j.actor, j.reason, j.note, j.minutes,
               j.confidential
        FROM case_timeline t LEFT JOIN journal j USING (event_id)
        WHERE t.case_id = $1
        ORDER BY t.at, t.seq
        """,
        case_id,
    )
    return [
        TimelineRow(
            event_id=r["event_id"],
            kind=r["kind"],
            at=r["at"],
            facts=json.loads(r["facts"]),
            actor=r["actor"],
            reason=r["reason"],
            note=r["note"],
            minutes=r["minutes"],
            confidential=r["confidential"],
        )
        for r in rows
    ]


async def audited_state(conn: Connection, case_id: UUID) -> dict[str, Any]:
    """The case's row as the audit trail compares it before and after a change (JSON values;
    the moment of the last change left out: every change moves it)."""
    found = await conn.fetchval(
        "SELECT (to_jsonb(c) - 'updated_at')::text FROM cases c WHERE case_id = $1", case_id
    )
    state: dict[str, Any] = json.loads(found) if found else {}
    return state
