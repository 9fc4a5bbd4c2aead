"""HTTP: funding programmes, and the review flags their changes raise on plan items."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from tosei_common.platform.auth import Principal
from tosei_resilience.api import views
from tosei_resilience.api.inputs import NewProgramme, ProgrammePatch, ResolveIn, parse_owner_filter
from tosei_resilience.api.roles import COORDINATE, EDIT, READ, editor
from tosei_resilience.handlers import funding, reads
from tosei_resilience.handlers.context import Deps


def router(deps: Deps) -> APIRouter:
    r = APIRouter(tags=["funding programmes"])

    @r.get("/funding-programmes", summary="National subsidies and grants and their conditions")
    async def list_programmes(_: Annotated[Principal, Depends(READ)]) -> dict[str, Any]:
        return {"funding_programmes": [views.programme(p) for p in await reads.programmes(deps)]}

    @r.post("/funding-programmes", status_code=201, summary="Add a funding programme")
    async def add_programme(
        body: NewProgramme, principal: Annotated[Principal, Depends(COORDINATE)]
    ) -> dict[str, Any]:
        added = await funding.add(deps, editor(principal), body.content(), body.reason)
        return views.programme(added)

    @r.get("/funding-programmes/{programme_id}", summary="A programme, its history, its items")
    async def get_programme(
        programme_id: UUID, _: Annotated[Principal, Depends(READ)]
    ) -> dict[str, Any]:
        found, history, relying = await reads.programme(deps, programme_id)
        return {
            **views.programme(found),
            "history": [views.programme_revision(h) for h in history],
            "items": [views.item_ref(i) for i in relying],
        }

    @r.patch(
        "/funding-programmes/{programme_id}",
        summary="Revise a programme; a change of its conditions flags the items relying on it",
    )
    async def revise_programme(
        programme_id: UUID,
        body: ProgrammePatch,
        principal: Annotated[Principal, Depends(COORDINATE)],
    ) -> dict[str, Any]:
        revised, flagged = await funding.revise(
            deps,
            editor(principal),
            programme_id,
            expected_version=body.version,
            changes=body.changes(),
            reason=body.reason,
        )
        flagged_items = await reads.items_with_ids(deps, flagged)
        return {
            **views.programme(revised),
            "flagged_items": [views.item_ref(i) for i in flagged_items],
        }

    @r.get("/review-flags", summary="Plan items to review after a funding programme changed")
    async def list_review_flags(
        _: Annotated[Principal, Depends(READ)],
        municipality: Annotated[
            str | None,
            Query(max_length=40, description="Only this town's items (or 圏域全体)."),
        ] = None,
        open_only: Annotated[
            bool, Query(alias="open", description="Only flags nobody confirmed yet.")
        ] = True,
    ) -> dict[str, Any]:
        any_town, town = parse_owner_filter(municipality)
        flags = await reads.review_flags(
            deps, any_municipality=any_town, municipality=town, open_only=open_only
        )
        return {"review_flags": [views.flag(f) for f in flags]}

    @r.post("/review-flags/{flag_id}/resolve", summary="Confirm a flagged item was reviewed")
    async def resolve_review_flag(
        flag_id: UUID, body: ResolveIn, principal: Annotated[Principal, Depends(EDIT)]
    ) -> dict[str, Any]:
        return views.flag(await funding.resolve_review(deps, editor(principal), flag_id, body.note))

    return r
