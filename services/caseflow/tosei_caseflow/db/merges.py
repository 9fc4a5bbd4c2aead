"""The SQL of client merges: clients intake found to be one person."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from tosei_common.platform.db import Connection


async def surviving_client(conn: Connection, client_id: UUID) -> UUID:
    """The client a (possibly merged) client id stands for now, following merges of merges."""
    seen = {client_id}
    while (
        merged_into := await conn.fetchval(
            "SELECT client_id FROM client_merges WHERE merged_client_id = $1", client_id
        )
    ) is not None and merged_into not in seen:
        seen.add(merged_into)
        client_id = merged_into
    return client_id


async def surviving_clients(conn: Connection, client_ids: Sequence[UUID]) -> dict[UUID, UUID]:
    """``surviving_client`` of many client ids in one statement: id → the client it stands for."""
    rows = await conn.fetch(
        """
        WITH RECURSIVE chain (start, client_id, depth, seen) AS (
            SELECT c, c, 0, ARRAY[c] FROM unnest($1::uuid[]) AS c
            UNION ALL
            SELECT chain.start, m.client_id, chain.depth + 1, chain.seen || m.client_id
            FROM chain JOIN client_merges m ON m.merged_client_id = chain.client_id
            WHERE NOT m.client_id = ANY(chain.seen)
        )
        SELECT DISTINCT ON (start) start, client_id FROM chain ORDER BY start, depth DESC
        """,
        list(set(client_ids)),
    )
    return {r["start"]: r["client_id"] for r in rows}


async def merge_clients(
    conn: Connection, survivor: UUID, merged: UUID, case_ids: Sequence[UUID], at: datetime
) -> None:
    """Record a merge and give the merged client's cases to the survivor."""
    await conn.execute(
        "INSERT INTO client_merges (merged_client_id, client_id, merged_at) VALUES ($1, $2, $3)"
        " ON CONFLICT (merged_client_id) DO NOTHING",
        merged,
        survivor,
        at,
    )
    await conn.execute(
        "UPDATE cases SET client_id = $1 WHERE client_id = $2 OR case_id = ANY($3::uuid[])",
        survivor,
        merged,
        list(case_ids),
    )


async def unmerge_clients(
    conn: Connection, survivor: UUID, unmerged: UUID, case_ids: Sequence[UUID]
) -> None:
    """A merge undone: the cases that moved go back to their own client."""
    await conn.execute(
        "DELETE FROM client_merges WHERE merged_client_id = $1 AND client_id = $2",
        unmerged,
        survivor,
    )
    await conn.execute(
        "UPDATE cases SET client_id = $1 WHERE case_id = ANY($2::uuid[])",
        unmerged,
        list(case_ids),
    )


async def stop_use(conn: Connection, client_id: UUID, since: datetime) -> None:
    """The client's records' use is stopped (intake's client.use_stopped)."""
    await conn.execute(
        "INSERT INTO client_use_stops (client_id, since) VALUES ($1, $2)"
        " ON CONFLICT (client_id) DO UPDATE SET since = EXCLUDED.since",
        client_id,
        since,
    )


async def resume_use(conn: Connection, client_id: UUID) -> None:
    await conn.execute("DELETE FROM client_use_stops WHERE client_id = $1", client_id)
