"""HTTP: the service's copy of the resilience plan's items, searched by title, for a person
linking plan items to a request."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from tosei_common.platform.auth import current_principal
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime
from tosei_common.region.inputs import FreeText
from tosei_requests.api.responses import PlanItemLinkOut, PlanItemsOut
from tosei_requests.domain.plan_items import PlanItemSearch
from tosei_requests.handlers import reads

Caller = Annotated[Principal, Depends(current_principal)]
TitleQuery = Annotated[
    str | None,
    FreeText(100),
    Query(description="A part of the title (事業名); full- and half-width and spaces alike."),
]


def router(runtime: Runtime) -> APIRouter:
    r = APIRouter(prefix="/plan-items", tags=["plan items"])

    @r.get("", summary="The plan items this service knows, found by title or id")
    async def search(
        who: Caller,
        title: TitleQuery = None,
        item_id: Annotated[
            list[UUID] | None, Query(alias="id", max_length=20, description="These items.")
        ] = None,
        include_retired: Annotated[
            bool, Query(description="Retired (廃止) items too; a new link to one is refused.")
        ] = False,
        limit: Annotated[int, Query(ge=1, le=50)] = 20,
    ) -> PlanItemsOut:
        which = PlanItemSearch(
            title=title or None,
            ids=tuple(item_id or ()),
            include_retired=include_retired,
            limit=limit,
        )
        async with runtime.reading() as conn:
            found = await reads.plan_items(conn, who, which)
        copies = {c.item_id: c for c in found}
        return PlanItemsOut(
            count=len(found), items=[PlanItemLinkOut.of(c.item_id, copies) for c in found]
        )

    return r
