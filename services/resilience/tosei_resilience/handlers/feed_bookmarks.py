"""Commands on the change feed's bookmarks: a reader says what they have seen."""

from __future__ import annotations

from tosei_common.platform.db import Connection
from tosei_common.platform.principal import Principal, Role
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_resilience.db import feed_bookmarks as bookmarks_db
from tosei_resilience.db import plan_items as plan_items_db
from tosei_resilience.domain import access
from tosei_resilience.domain.feed import (
    Bookmark,
    bookmark_of,
    ensure_not_backwards,
    ensure_seen_exists,
    reader_of,
)


async def mark_seen(
    uow: UnitOfWork, who: Principal, seen_up_to: int, *, rewind: bool = False
) -> tuple[str, Bookmark]:
    """Move the caller's own bookmark (never past the newest revision, and back only when they
    ask to ``rewind``); whose it is and where it was."""
    access.ensure_may_read(who)
    ensure_seen_exists(seen_up_to, await plan_items_db.last_seq(uow.conn))
    reader = reader_of(who)
    current = await current_bookmark(uow.conn, who, for_update=True)
    ensure_not_backwards(current, seen_up_to, rewind=rewind)
    await bookmarks_db.set_bookmark(uow.conn, reader, seen_up_to, uow.actor, uow.at)
    return reader, current


async def current_bookmark(
    conn: Connection, who: Principal, *, for_update: bool = False
) -> Bookmark:
    """The caller's bookmark, or their town's old shared one while they have none."""
    own = await bookmarks_db.bookmark(conn, reader_of(who), for_update=for_update)
    town = None
    if own is None and who.role is Role.MUNICIPALITY and who.municipality is not None:
        town = await bookmarks_db.town_bookmark(conn, who.municipality)
    return bookmark_of(own, town)
