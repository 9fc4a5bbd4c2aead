"""The public pages' rate limits, counted in the console's database so that every replica of
the console counts the same hits (an in-process count would give an address the limit once per
replica: with the two of deploy/k8s, enough to take a 10-seat viewing site).

The rule is ``tosei_common.platform.rate_limit.SlidingWindow`` (pure); here its hits are loaded
under a row lock, decided on and saved in one transaction. Only ``client_hash`` of the client's
address reaches the database.
"""

from __future__ import annotations

from datetime import datetime

from tosei_common.platform.db import Connection
from tosei_common.platform.rate_limit import SlidingWindow, Verdict
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_console.db import rate_limits as db


async def count_hit(uow: UnitOfWork, rule: SlidingWindow, kind: str, client_hash: bytes) -> Verdict:
    """Count a use of kind ``kind`` by the client at ``uow.at`` if ``rule`` allows it.

    Run in its own unit of work: the row lock is held until it commits, so it must not wrap
    the work being limited (a slow seminar service would hold every check of that client).
    """
    hits = await db.lock(uow.conn, kind, client_hash, uow.at)
    decision = rule.decide(hits, uow.at)
    await db.save(
        uow.conn, kind, client_hash, decision.hits, rule.forgotten_at(decision.hits), at=uow.at
    )
    return decision.verdict


async def forget_past_windows(conn: Connection, at: datetime) -> int:
    """Delete the counts whose window has passed (the console's housekeeping)."""
    return await db.forget_past(conn, at)
