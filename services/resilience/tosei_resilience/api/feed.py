"""HTTP: the change feed — what changed in the plan since the reader's last look."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from tosei_common.platform.service import Runtime
from tosei_resilience.api.parameters import Caller, MunicipalityFilter, parse_owner_filter
from tosei_resilience.api.requests import BookmarkIn
from tosei_resilience.api.responses.plan import Bookmark, Feed, feed
from tosei_resilience.handlers import feed_bookmarks, reads


def router(runtime: Runtime) -> APIRouter:
    r = APIRouter(prefix="/changes", tags=["change feed"])

    @r.get("", summary="Revisions since your last look (or since a position you give)")
    async def changes(
        who: Caller,
        since: Annotated[
            int | None,
            Query(ge=0, le=2**62, description="Start after this position; default: your bookmark."),
        ] = None,
        municipality: MunicipalityFilter = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> Feed:
        any_town, town = parse_owner_filter(municipality)
        async with runtime.reading() as conn:
            page = await reads.feed(
                conn, who, since=since, any_municipality=any_town, municipality=town, limit=limit
            )
        return feed(page)

    @r.put(
        "/bookmark",
        summary="Remember what you have seen (next_since of your last look); your own bookmark, "
        'moved back only with "rewind": true',
    )
    async def mark_seen(body: BookmarkIn, who: Caller) -> Bookmark:
        async with runtime.unit_of_work(who) as uow:
            reader, before = await feed_bookmarks.mark_seen(
                uow, who, body.seen_up_to, rewind=body.rewind
            )
        return Bookmark(reader=reader, seen_up_to=body.seen_up_to, previous=before.seen_up_to)

    return r
