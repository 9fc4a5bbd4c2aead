"""HTTP: plan items — the plan now or as of a date, one item, its history, and the changes."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from tosei_common.platform.db import Connection
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime
from tosei_common.region.fiscal import TOKYO
from tosei_resilience.api.parameters import AsOf, Caller, Filter, parse_moment
from tosei_resilience.api.requests import (
    MergeIn,
    NewPlanItem,
    PlanItemPatch,
    RetireIn,
    SplitIn,
)
from tosei_resilience.api.responses import plan as out
from tosei_resilience.domain.access import officer_town
from tosei_resilience.handlers import plan_items, reads


async def _shown(conn: Connection, who: Principal, item_id: UUID) -> out.PlanItemOut:
    view = await reads.item(conn, who, item_id)
    return out.item(view.items[0], view)


def router(runtime: Runtime) -> APIRouter:
    r = APIRouter(prefix="/plan-items", tags=["plan items"])

    @r.get("", summary="The plan's items, now or as they stood on a date")
    async def list_items(
        who: Caller,
        which: Filter,
        as_of: AsOf = None,
        needs_review: Annotated[
            bool | None, Query(description="Only items (not) flagged for review.")
        ] = None,
    ) -> out.Plan:
        moment = parse_moment(as_of)
        async with runtime.reading() as conn:
            view = await reads.plan(conn, who, which, as_of=moment, needs_review=needs_review)
        shown = moment and moment.astimezone(TOKYO)
        return out.Plan(as_of=shown, count=len(view.items), items=out.items(view))

    @r.post("", status_code=201, summary="Add an item to the plan")
    async def add_item(body: NewPlanItem, who: Caller) -> out.PlanItemOut:
        async with runtime.unit_of_work(who) as uow:
            added = await plan_items.add(uow, who, body.content(officer_town(who)), body.reason)
            return await _shown(uow.conn, who, added.id)

    @r.post("/merge", status_code=201, summary="Merge items into one new item")
    async def merge_items(body: MergeIn, who: Caller) -> out.Merged:
        async with runtime.unit_of_work(who) as uow:
            retired, merged = await plan_items.merge(
                uow,
                who,
                [(s.id, s.version) for s in body.sources],
                content=body.item.content(officer_town(who), "item."),
                reason=body.reason,
            )
            return out.Merged(
                item=await _shown(uow.conn, who, merged.id),
                retired=[await _shown(uow.conn, who, i.id) for i in retired],
            )

    @r.get("/{item_id}", summary="One item, now or as it stood on a date")
    async def get_item(item_id: UUID, who: Caller, as_of: AsOf = None) -> out.PlanItemOut:
        async with runtime.reading() as conn:
            view = await reads.item(conn, who, item_id, as_of=parse_moment(as_of))
        return out.item(view.items[0], view)

    @r.get("/{item_id}/history", summary="Every revision of an item: who, when, why, what")
    async def item_history(item_id: UUID, who: Caller) -> out.History:
        async with runtime.reading() as conn:
            view = await reads.history(conn, who, item_id)
        return out.History(
            item_id=item_id, revisions=[out.revision(r, view.lists) for r in view.revisions]
        )

    @r.patch("/{item_id}", summary="Revise an item (send the version you based it on)")
    async def revise_item(item_id: UUID, body: PlanItemPatch, who: Caller) -> out.PlanItemOut:
        async with runtime.unit_of_work(who) as uow:
            await plan_items.revise(
                uow,
                who,
                item_id,
                expected_version=body.version,
                changes=body.changes(),
                reason=body.reason,
            )
            return await _shown(uow.conn, who, item_id)

    @r.post("/{item_id}/retire", summary="Retire an item from the plan")
    async def retire_item(item_id: UUID, body: RetireIn, who: Caller) -> out.PlanItemOut:
        async with runtime.unit_of_work(who) as uow:
            await plan_items.retire(
                uow,
                who,
                item_id,
                expected_version=body.version,
                retirement=body.retirement,
                reason=body.reason,
            )
            return await _shown(uow.conn, who, item_id)

    @r.post("/{item_id}/split", status_code=201, summary="Split an item into several new items")
    async def split_item(item_id: UUID, body: SplitIn, who: Caller) -> out.Split:
        town = officer_town(who)
        async with runtime.unit_of_work(who) as uow:
            _, parts = await plan_items.split(
                uow,
                who,
                item_id,
                expected_version=body.version,
                parts=[p.content(town, f"parts.{i}.") for i, p in enumerate(body.parts)],
                reason=body.reason,
            )
            return out.Split(
                retired=await _shown(uow.conn, who, item_id),
                parts=[await _shown(uow.conn, who, p.id) for p in parts],
            )

    return r
