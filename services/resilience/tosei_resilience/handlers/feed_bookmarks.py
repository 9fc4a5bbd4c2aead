"""Commands on the change feed's bookmarks: a reader says what they have seen."""

from __future__ import annotations

from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_resilience.db import feed_bookmarks as bookmarks_db
from tosei_resilience.db import plan_items as plan_items_db
from tosei_resilience.domain import access
from tosei_resilience.domain.feed import ensure_seen_exists, reader_of


async def mark_seen(uow: UnitOfWork, who: Principal, seen_up_to: int) -> str:
    """Move the reader's bookmark (it never points past the newest revision); whose it is."""
    access.ensure_may_read(who)
    ensure_seen_exists(seen_up_to, await plan_items_db.last_seq(uow.conn))
    reader = reader_of(who)
    await bookmarks_db.set_bookmark(uow.conn, reader, seen_up_to, uow.actor, uow.at)
    return reader
