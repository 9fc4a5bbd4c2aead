"""HTTP: the change feed — what changed in the plan since the reader's last look."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from tosei_common.platform.auth import Principal
from tosei_resilience.api import views
from tosei_resilience.api.inputs import BookmarkIn, parse_owner_filter
from tosei_resilience.api.roles import READ, reader
from tosei_resilience.handlers import feed
from tosei_resilience.handlers.context import Deps


def router(deps: Deps) -> APIRouter:
    r = APIRouter(prefix="/changes", tags=["change feed"])

    @r.get("", summary="Revisions since your last look (or since a position you give)")
    async def changes(
        principal: Annotated[Principal, Depends(READ)],
        since: Annotated[
            int | None,
            Query(ge=0, le=2**62, description="Start after this position; default: your bookmark."),
        ] = None,
        municipality: Annotated[
            str | None,
            Query(max_length=40, description="Only this town's items (or 圏域全体)."),
        ] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> dict[str, Any]:
        any_town, town = parse_owner_filter(municipality)
        page = await feed.read(
            deps,
            reader(principal),
            since=since,
            any_municipality=any_town,
            municipality=town,
            limit=limit,
        )
        return views.feed(page)

    @r.put("/bookmark", summary="Remember what you have seen (next_since of your last look)")
    async def mark_seen(
        body: BookmarkIn, principal: Annotated[Principal, Depends(READ)]
    ) -> dict[str, Any]:
        seen = await feed.mark_seen(deps, reader(principal), body.seen_up_to, principal.actor)
        return {"reader": reader(principal), "seen_up_to": seen}

    return r
