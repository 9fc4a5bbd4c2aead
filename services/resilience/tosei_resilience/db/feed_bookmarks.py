"""SQL of the change feed's bookmarks: where each reader last said they had looked, and the
towns' bookmarks from when a town's officers shared one (where those officers start)."""

from __future__ import annotations

from datetime import datetime

from tosei_common.platform.db import Connection


async def bookmark(conn: Connection, reader: str, *, for_update: bool = False) -> int | None:
    lock = " FOR UPDATE" if for_update else ""
    seen: int | None = await conn.fetchval(
        f"SELECT seen_up_to FROM feed_bookmarks WHERE reader = $1{lock}", reader
    )
    return seen


async def town_bookmark(conn: Connection, municipality: str) -> int | None:
    seen: int | None = await conn.fetchval(
        "SELECT seen_up_to FROM feed_town_bookmarks WHERE municipality = $1", municipality
    )
    return seen


async def set_bookmark(
    conn: Connection, reader: str, seen_up_to: int, actor: str, at: datetime
) -> None:
    await conn.execute(
        """
        INSERT INTO feed_bookmarks (reader, seen_up_to, updated_at, updated_by)
        VALUES ($1, $2, $3, $4)
        ON CONFLICT (reader) DO UPDATE SET seen_up_to = excluded.seen_up_to,
            updated_at = excluded.updated_at, updated_by = excluded.updated_by
        """,
        reader,
        seen_up_to,
        at,
        actor,
    )
