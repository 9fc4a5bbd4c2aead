"""The SQL of the public pages' shared rate limits (``public_rate_limits``).

A check is one transaction: ``lock`` takes the client's row (creating it when new) under a row
lock, the caller decides with the pure rule, ``save`` writes what the rule kept. Two replicas
checking the same client at once therefore take turns on that row: no hit is counted twice or
lost, whichever replica it reached.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tosei_common.platform.db import Connection

#: Rows of other clients whose window has passed, deleted by each check on its way (those
#: another check holds are skipped, not waited for): the table stays as small as the clients
#: of the current windows while the pages are used; ``forget_past`` deletes the rest.
SWEPT_PER_CHECK = 20


async def lock(conn: Connection, kind: str, client_hash: bytes, at: datetime) -> list[datetime]:
    """The client's counted hits, its row locked until the transaction ends.

    One statement whether the row exists or not: an insert that finds the row updates it
    instead, which locks it (and waits for a replica holding it), so there is no moment
    between reading the hits and locking them.
    """
    hits: list[datetime] = await conn.fetchval(
        """
        INSERT INTO public_rate_limits AS r (kind, client_hash, hits, forget_at)
        VALUES ($1, $2, '{}', $3)
        ON CONFLICT (kind, client_hash) DO UPDATE SET kind = r.kind
        RETURNING hits
        """,
        kind,
        client_hash,
        at,
    )
    return hits


async def save(
    conn: Connection,
    kind: str,
    client_hash: bytes,
    hits: Sequence[datetime],
    forget_at: datetime,
    *,
    at: datetime,
) -> None:
    """Keep ``hits`` for the locked client, and delete a few other clients' rows whose window
    passed before ``at``."""
    await conn.execute(
        """
        WITH past AS (
            SELECT kind, client_hash FROM public_rate_limits
            WHERE forget_at <= $5 AND NOT (kind = $1 AND client_hash = $2)
            LIMIT $6
            FOR UPDATE SKIP LOCKED
        ), swept AS (
            DELETE FROM public_rate_limits r USING past
            WHERE r.kind = past.kind AND r.client_hash = past.client_hash
        )
        UPDATE public_rate_limits SET hits = $3, forget_at = $4
        WHERE kind = $1 AND client_hash = $2
        """,
        kind,
        client_hash,
        list(hits),
        forget_at,
        at,
        SWEPT_PER_CHECK,
    )


async def forget_past(conn: Connection, at: datetime) -> int:
    """Delete every row whose window passed before ``at`` (the periodic sweep, for the hours
    nobody uses the pages); how many went."""
    status: str = await conn.execute("DELETE FROM public_rate_limits WHERE forget_at <= $1", at)
    return int(status.split()[-1])
