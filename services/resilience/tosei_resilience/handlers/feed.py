"""The change feed: what changed in the plan since a reader's last look.

A reader is a town (all its officers share one bookmark: "what has our town seen") or, for
coordinators and auditors, the person. The bookmark moves only when the reader says what they
have seen, so a look that was interrupted loses nothing.
"""

from __future__ import annotations

from tosei_common.platform.errors import Unprocessable
from tosei_resilience.db import feed_bookmarks
from tosei_resilience.db import plan_items as plan_items_db
from tosei_resilience.domain.feed import FeedPage
from tosei_resilience.handlers.context import Deps


async def read(
    deps: Deps,
    reader: str,
    *,
    since: int | None,
    any_municipality: bool,
    municipality: str | None,
    limit: int,
) -> FeedPage:
    async with deps.pool.acquire() as conn:
        bookmark = await feed_bookmarks.bookmark(conn, reader)
        start = since if since is not None else (bookmark or 0)
        entries = await plan_items_db.revisions_since(
            conn,
            start,
            any_municipality=any_municipality,
            municipality=municipality,
            limit=limit,
        )
        last = await plan_items_db.last_seq(conn)
    return FeedPage(reader, start, entries, last, bookmark, limit)


async def mark_seen(deps: Deps, reader: str, seen_up_to: int, actor: str) -> int:
    """Move the reader's bookmark; it never points past the newest revision."""
    async with deps.pool.acquire() as conn, conn.transaction():
        last = await plan_items_db.last_seq(conn)
        if seen_up_to > last:
            raise Unprocessable(
                f"the feed ends at {last}; nobody has seen {seen_up_to} yet",
                fields={"seen_up_to": f"at most {last}"},
            )
        await feed_bookmarks.set_bookmark(conn, reader, seen_up_to, actor, deps.clock())
    return seen_up_to
