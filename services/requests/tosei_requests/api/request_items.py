"""HTTP: request items — list, read, draft, revise, move (submit, adopt, return, withdraw,
rework), history, lineage."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends

from tosei_common.platform.auth import current_principal
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime
from tosei_requests.api.params import TownQuery, YearQuery
from tosei_requests.api.requests import ItemPatchIn, NewItemIn, TransitionIn
from tosei_requests.api.responses import HistoryOut, ItemOut, ItemsOut, LineageOut
from tosei_requests.domain.request_item import ItemFilter
from tosei_requests.domain.status import ItemStatus
from tosei_requests.handlers import reads, request_items

Caller = Annotated[Principal, Depends(current_principal)]


async def item_out(runtime: Runtime, who: Principal, item_id: UUID) -> ItemOut:
    """The item as the caller reads it now (after a command: what the command left)."""
    async with runtime.reading() as conn:
        return ItemOut.first(await reads.item(conn, who, item_id))


def router(runtime: Runtime) -> APIRouter:
    r = APIRouter(prefix="/request-items", tags=["request items"])

    @r.get("", summary="Request items (filtered by year, town, status)")
    async def list_items(
        who: Caller,
        fiscal_year: YearQuery = None,
        municipality: TownQuery = None,
        status: ItemStatus | None = None,
    ) -> ItemsOut:
        which = ItemFilter(fiscal_year=fiscal_year, municipality=municipality, status=status)
        async with runtime.reading() as conn:
            return ItemsOut.of(await reads.items(conn, who, which))

    @r.post("", status_code=201, summary="Draft a request item")
    async def draft_item(body: NewItemIn, who: Caller) -> ItemOut:
        async with runtime.unit_of_work(who) as uow:
            item = await request_items.draft(
                uow, who, body.fiscal_year, body.content(), body.reason
            )
        return await item_out(runtime, who, item.id)

    @r.get("/{item_id}", summary="One request item, with its plan items and answer")
    async def get_item(item_id: UUID, who: Caller) -> ItemOut:
        return await item_out(runtime, who, item_id)

    @r.patch("/{item_id}", summary="Revise a request item (a revision of its current version)")
    async def revise_item(item_id: UUID, body: ItemPatchIn, who: Caller) -> ItemOut:
        async with runtime.unit_of_work(who) as uow:
            await request_items.revise(
                uow, who, item_id, version=body.version, changes=body.changes(), reason=body.reason
            )
        return await item_out(runtime, who, item_id)

    @r.post(
        "/{item_id}/transitions",
        summary="Submit, adopt, return, withdraw or rework a request item",
    )
    async def move_item(item_id: UUID, body: TransitionIn, who: Caller) -> ItemOut:
        async with runtime.unit_of_work(who) as uow:
            await request_items.move(uow, who, item_id, body.to, body.reason)
        return await item_out(runtime, who, item_id)

    @r.get("/{item_id}/history", summary="Every change: who, when, why and the field diff")
    async def history(item_id: UUID, who: Caller) -> HistoryOut:
        async with runtime.reading() as conn:
            return HistoryOut.of(await reads.item_history(conn, who, item_id))

    @r.get(
        "/{item_id}/lineage",
        summary="The request across the years: first requested, each year's answer, both ways",
    )
    async def lineage(item_id: UUID, who: Caller) -> LineageOut:
        async with runtime.reading() as conn:
            return LineageOut.of(await reads.item_lineage(conn, who, item_id))

    return r
