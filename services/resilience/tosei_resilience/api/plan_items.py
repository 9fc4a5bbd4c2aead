"""HTTP: plan items — the plan now or as of a date, one item, its history, and the changes."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from tosei_common.catalogue.resilience import PlanItemStatus
from tosei_common.platform.auth import Principal
from tosei_common.platform.errors import Unprocessable
from tosei_common.region.fiscal import TOKYO
from tosei_resilience.api import views
from tosei_resilience.api.inputs import (
    MergeIn,
    NewPlanItem,
    PlanItemPatch,
    RetireIn,
    SplitIn,
    parse_moment,
    parse_owner_filter,
)
from tosei_resilience.api.roles import EDIT, READ, editor
from tosei_resilience.domain.plan import ItemFilter
from tosei_resilience.domain.reference import POLICY_AREA_CODE, SCENARIO_CODE
from tosei_resilience.handlers import plan_items, reads
from tosei_resilience.handlers.context import Deps

AsOf = Annotated[
    str | None,
    Query(
        max_length=40,
        description="Show the plan as it stood then: a date (the end of that day, JST) such as "
        "2024/5/1 or 令和6年5月1日, or a moment such as 2024-05-01T10:00:00+09:00.",
    ),
]
MunicipalityFilter = Annotated[
    str | None,
    Query(
        max_length=40,
        description="Only this municipality's items (平内町, 023019), or 圏域全体 for the "
        "region's own.",
    ),
]


def item_filter(
    municipality: MunicipalityFilter = None,
    status: PlanItemStatus | None = None,
    risk_scenario: Annotated[str | None, Query(pattern=SCENARIO_CODE, max_length=5)] = None,
    policy_area: Annotated[str | None, Query(pattern=POLICY_AREA_CODE, max_length=40)] = None,
    funding_programme: UUID | None = None,
    include_retired: bool = False,
) -> ItemFilter:
    any_town, town = parse_owner_filter(municipality)
    return ItemFilter(
        any_municipality=any_town,
        municipality=town,
        status=status,
        risk_scenario=risk_scenario,
        policy_area=policy_area,
        funding_programme=funding_programme,
        include_retired=include_retired,
    )


def router(deps: Deps) -> APIRouter:
    r = APIRouter(prefix="/plan-items", tags=["plan items"])

    async def shown(item_id: UUID) -> dict[str, Any]:
        view = await reads.item(deps, item_id)
        return views.item(view.items[0], view)

    @r.get("", summary="The plan's items, now or as they stood on a date")
    async def list_items(
        _: Annotated[Principal, Depends(READ)],
        which: Annotated[ItemFilter, Depends(item_filter)],
        as_of: AsOf = None,
        needs_review: Annotated[
            bool | None, Query(description="Only items (not) flagged for review.")
        ] = None,
    ) -> dict[str, Any]:
        moment = None if as_of is None else parse_moment(as_of)
        if moment is not None and needs_review is not None:
            raise Unprocessable(
                "review flags belong to the plan as it is now; leave out as_of or needs_review",
                fields={"needs_review": "not with as_of"},
            )
        view = await reads.plan(deps, which, as_of=moment, needs_review=needs_review)
        return {
            "as_of": None if moment is None else moment.astimezone(TOKYO).isoformat(),
            "count": len(view.items),
            "items": [views.item(i, view) for i in view.items],
        }

    @r.post("", status_code=201, summary="Add an item to the plan")
    async def add_item(
        body: NewPlanItem, principal: Annotated[Principal, Depends(EDIT)]
    ) -> dict[str, Any]:
        who = editor(principal)
        added = await plan_items.add(deps, who, body.content(who), body.reason)
        return await shown(added.id)

    @r.post("/merge", status_code=201, summary="Merge items into one new item")
    async def merge_items(
        body: MergeIn, principal: Annotated[Principal, Depends(EDIT)]
    ) -> dict[str, Any]:
        who = editor(principal)
        retired, merged = await plan_items.merge(
            deps,
            who,
            [(s.id, s.version) for s in body.sources],
            content=body.item.content(who, "item."),
            reason=body.reason,
        )
        return {
            "item": await shown(merged.id),
            "retired": [await shown(i.id) for i in retired],
        }

    @r.get("/{item_id}", summary="One item, now or as it stood on a date")
    async def get_item(
        item_id: UUID, _: Annotated[Principal, Depends(READ)], as_of: AsOf = None
    ) -> dict[str, Any]:
        moment = None if as_of is None else parse_moment(as_of)
        view = await reads.item(deps, item_id, as_of=moment)
        return views.item(view.items[0], view)

    @r.get("/{item_id}/history", summary="Every revision of an item: who, when, why, what")
    async def item_history(item_id: UUID, _: Annotated[Principal, Depends(READ)]) -> dict[str, Any]:
        revisions = await reads.history(deps, item_id)
        return {"item_id": str(item_id), "revisions": [views.revision(r) for r in revisions]}

    @r.patch("/{item_id}", summary="Revise an item (send the version you based it on)")
    async def revise_item(
        item_id: UUID, body: PlanItemPatch, principal: Annotated[Principal, Depends(EDIT)]
    ) -> dict[str, Any]:
        await plan_items.revise(
            deps,
            editor(principal),
            item_id,
            expected_version=body.version,
            changes=body.changes(),
            reason=body.reason,
        )
        return await shown(item_id)

    @r.post("/{item_id}/retire", summary="Retire an item from the plan")
    async def retire_item(
        item_id: UUID, body: RetireIn, principal: Annotated[Principal, Depends(EDIT)]
    ) -> dict[str, Any]:
        await plan_items.retire(
            deps,
            editor(principal),
            item_id,
            expected_version=body.version,
            retirement=body.retirement,
            reason=body.reason,
        )
        return await shown(item_id)

    @r.post("/{item_id}/split", status_code=201, summary="Split an item into several new items")
    async def split_item(
        item_id: UUID, body: SplitIn, principal: Annotated[Principal, Depends(EDIT)]
    ) -> dict[str, Any]:
        who = editor(principal)
        _, parts = await plan_items.split(
            deps,
            who,
            item_id,
            expected_version=body.version,
            parts=[p.content(who, f"parts.{i}.") for i, p in enumerate(body.parts)],
            reason=body.reason,
        )
        return {
            "retired": await shown(item_id),
            "parts": [await shown(p.id) for p in parts],
        }

    return r
