"""HTTP: request items — list, read, draft, revise, move, carry over / merge / split, history,
lineage, and the prefecture's answer to each."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends

from tosei_common.platform.auth import current_principal
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime
from tosei_requests.api.params import TownQuery, YearQuery
from tosei_requests.api.requests import (
    AnswerIn,
    CarryOverIn,
    ItemPatchIn,
    MergeIn,
    NewItemIn,
    SplitIn,
    TransitionIn,
)
from tosei_requests.api.responses import AnswerOut, HistoryOut, ItemOut, ItemsOut, LineageOut
from tosei_requests.db.request_items import ItemFilter
from tosei_requests.domain.status import ItemStatus
from tosei_requests.handlers import answers, carry_over, reads, request_items

Caller = Annotated[Principal, Depends(current_principal)]


def router(runtime: Runtime) -> APIRouter:
    r = APIRouter(prefix="/request-items", tags=["request items"])

    async def shown(who: Principal, item_id: UUID) -> ItemOut:
        async with runtime.reading() as conn:
            return ItemOut.first(await reads.item(conn, who, item_id))

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
        return await shown(who, item.id)

    @r.get("/{item_id}", summary="One request item, with its plan items and answer")
    async def get_item(item_id: UUID, who: Caller) -> ItemOut:
        return await shown(who, item_id)

    @r.patch("/{item_id}", summary="Revise a request item (a revision of its current version)")
    async def revise_item(item_id: UUID, body: ItemPatchIn, who: Caller) -> ItemOut:
        async with runtime.unit_of_work(who) as uow:
            await request_items.revise(
                uow, who, item_id, version=body.version, changes=body.changes(), reason=body.reason
            )
        return await shown(who, item_id)

    @r.post(
        "/{item_id}/transitions",
        summary="Submit, adopt, return, withdraw or rework a request item",
    )
    async def move_item(item_id: UUID, body: TransitionIn, who: Caller) -> ItemOut:
        async with runtime.unit_of_work(who) as uow:
            await request_items.move(uow, who, item_id, body.to, body.reason)
        return await shown(who, item_id)

    @r.post(
        "/{item_id}/carry-over",
        status_code=201,
        summary="Carry a request into the next fiscal year as a new draft",
    )
    async def carry(item_id: UUID, body: CarryOverIn, who: Caller) -> ItemOut:
        async with runtime.unit_of_work(who) as uow:
            item = await carry_over.carry(uow, who, item_id, body.reason)
        return await shown(who, item.id)

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
        shown_parts = [await shown(who, p.id) for p in parts]
        return ItemsOut(count=len(shown_parts), items=shown_parts)

    @r.post(
        "/merge",
        status_code=201,
        summary="Merge requests into one draft of the next fiscal year",
    )
    async def merge(body: MergeIn, who: Caller) -> ItemOut:
        async with runtime.unit_of_work(who) as uow:
            item = await carry_over.merge(uow, who, body.sources, body.item.content(), body.reason)
        return await shown(who, item.id)

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

    @r.put("/{item_id}/answer", summary="Record (or correct) the prefecture's answer")
    async def answer(item_id: UUID, body: AnswerIn, who: Caller) -> AnswerOut:
        async with runtime.unit_of_work(who) as uow:
            await answers.record(
                uow,
                who,
                item_id,
                received_on=body.received_on,
                text=body.text,
                department=body.department,
                status=body.status,
                reason=body.reason,
            )
        shown_item = await shown(who, item_id)
        assert shown_item.answer is not None
        return shown_item.answer

    return r
