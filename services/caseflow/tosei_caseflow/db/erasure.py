"""The SQL of erasing what caseflow holds about a client's cases (client.erased)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from tosei_common.platform.db import Connection
from tosei_common.platform.retention import ERASED


async def erase_journal(conn: Connection, case_ids: Sequence[UUID]) -> int:
    """Overwrite every free text of the cases' journal: reasons, notes, session minutes and
    confidential notes (who recorded what, and when, stays)."""
    status: str = await conn.execute(
        """
        UPDATE journal
           SET reason = CASE WHEN reason IS NULL THEN NULL ELSE $2 END,
               note = CASE WHEN note IS NULL THEN NULL ELSE $2 END,
               minutes = CASE WHEN minutes IS NULL THEN NULL ELSE $2 END,
               confidential = CASE WHEN confidential IS NULL THEN NULL ELSE $2 END
         WHERE case_id = ANY($1::uuid[])
        """,
        list(case_ids),
        ERASED,
    )
    return int(status.rsplit(" ", 1)[-1])


async def journal_texts(conn: Connection, case_ids: Sequence[UUID]) -> list[str]:
    """The free texts of the cases' journal (to find them in stored responses)."""
    rows = await conn.fetch(
        """
        SELECT unnest(ARRAY[reason, note, minutes, confidential]) AS t
          FROM journal WHERE case_id = ANY($1::uuid[])
        """,
        list(case_ids),
    )
    return [r["t"] for r in rows if r["t"] is not None and r["t"] != ERASED]


async def journal_event_ids(conn: Connection, case_ids: Sequence[UUID]) -> list[str]:
    rows = await conn.fetch(
        "SELECT event_id FROM journal WHERE case_id = ANY($1::uuid[])", list(case_ids)
    )
    return [str(r["event_id"]) for r in rows]


async def record_erased(
    conn: Connection, case_ids: Sequence[UUID], client_id: UUID, at: datetime, event_id: UUID
) -> None:
    await conn.execute(
        """
        INSERT INTO erased_cases (case_id, client_id, erased_at, event_id)
        SELECT unnest($1::uuid[]), $2, $3, $4
        ON CONFLICT (case_id) DO NOTHING
        """,
        list(case_ids),
        client_id,
        at,
        event_id,
    )


async def held_about(conn: Connection, case_ids: Sequence[UUID]) -> dict[str, int]:
    """What an erasure of these cases would overwrite (for the dry run's listing)."""
    row = await conn.fetchrow(
        """
        SELECT count(DISTINCT case_id) AS cases, count(*) AS entries
          FROM journal
         WHERE case_id = ANY($1::uuid[])
           AND (coalesce(reason, note, minutes, confidential) IS NOT NULL)
           AND case_id NOT IN (SELECT case_id FROM erased_cases)
        """,
        list(case_ids),
    )
    assert row is not None
    return {"cases with notes": row["cases"], "journal entries with text": row["entries"]}
