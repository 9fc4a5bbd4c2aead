"""HTTP: requests into the next fiscal year — carry over, split, merge."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends

from tosei_common.platform.auth import current_principal
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime
from tosei_requests.api.request_items import item_out
from tosei_requests.api.requests import CarryOverIn, MergeIn, SplitIn
from tosei_requests.api.responses import ItemOut, ItemsOut
from tosei_requests.handlers import carry_over

Caller = Annotated[Principal, Depends(current_principal)]


def router(runtime: Runtime) -> APIRouter:
    r = APIRouter(prefix="/request-items", tags=["carry-over"])

    @r.post(
        "/{item_id}/carry-over",
        status_code=201,
        summary="Carry a request into the next fiscal year as a new draft",
    )
    async def carry(item_id: UUID, body: CarryOverIn, who: Caller) -> ItemOut:
        async with runtime.unit_of_work(who) as uow:
            item = await carry_over.carry(uow, who, item_id, body.reason)
        return await item_out(runtime, who, item.id)

    @r.post(
        "/{item_id}/split",
        status_code=201,
        summary="Split a request into several drafts of the next fiscal year",
    )
    async def split(item_id: UUID, body: SplitIn, who: Caller) -> ItemsOut:
        async with runtime.unit_of_work(who) as uow:
            parts = await carry_over.split(
                uow, who, item_id, [p.content() for p in body.parts], body.reason
            )
        shown_parts = [await item_out(runtime, who, p.id) for p in parts]
        return ItemsOut(count=len(shown_parts), items=shown_parts)

    @r.post(
        "/merge",
        status_code=201,
        summary="Merge requests into one draft of the next fiscal year",
    )
    async def merge(body: MergeIn, who: Caller) -> ItemOut:
        async with runtime.unit_of_work(who) as uow:
            item = await carry_over.merge(uow, who, body.sources, body.item.content(), body.reason)
        return await item_out(runtime, who, item.id)

    return r
