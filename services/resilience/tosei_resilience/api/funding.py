"""HTTP: funding programmes, and the review flags their changes raise on plan items."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from tosei_common.platform.service import Runtime
from tosei_resilience.api import views
from tosei_resilience.api.inputs import NewProgramme, ProgrammePatch, ResolveIn, parse_owner_filter
from tosei_resilience.api.parameters import Caller, MunicipalityFilter
from tosei_resilience.handlers import funding_programmes, reads, review_flags


def router(runtime: Runtime) -> APIRouter:
    r = APIRouter(tags=["funding programmes"])

    @r.get("/funding-programmes", summary="National subsidies and grants and their conditions")
    async def list_programmes(who: Caller) -> dict[str, Any]:
        async with runtime.reading() as conn:
            found = await reads.programmes(conn, who)
        return {"funding_programmes": [views.programme(p) for p in found]}

    @r.post("/funding-programmes", status_code=201, summary="Add a funding programme")
    async def add_programme(body: NewProgramme, who: Caller) -> dict[str, Any]:
        async with runtime.unit_of_work(who) as uow:
            added = await funding_programmes.add(uow, who, body.content(), body.reason)
        return views.programme(added)

    @r.get("/funding-programmes/{programme_id}", summary="A programme, its history, its items")
    async def get_programme(programme_id: UUID, who: Caller) -> dict[str, Any]:
        async with runtime.reading() as conn:
            detail = await reads.programme(conn, who, programme_id)
        return {
            **views.programme(detail.programme),
            "history": [views.programme_revision(h) for h in detail.history],
            "items": [views.item_ref(i) for i in detail.items],
        }

    @r.patch(
        "/funding-programmes/{programme_id}",
        summary="Revise a programme; a change of its conditions flags the items relying on it",
    )
    async def revise_programme(
        programme_id: UUID, body: ProgrammePatch, who: Caller
    ) -> dict[str, Any]:
        async with runtime.unit_of_work(who) as uow:
            revised, flagged = await funding_programmes.revise(
                uow,
                who,
                programme_id,
                expected_version=body.version,
                changes=body.changes(),
                reason=body.reason,
            )
        return {**views.programme(revised), "flagged_items": [views.item_ref(i) for i in flagged]}

    @r.get("/review-flags", summary="Plan items to review after a funding programme changed")
    async def list_review_flags(
        who: Caller,
        municipality: MunicipalityFilter = None,
        open_only: Annotated[
            bool, Query(alias="open", description="Only flags nobody confirmed yet.")
        ] = True,
    ) -> dict[str, Any]:
        any_town, town = parse_owner_filter(municipality)
        async with runtime.reading() as conn:
            flags = await reads.review_flags(
                conn, who, any_municipality=any_town, municipality=town, open_only=open_only
            )
        return {"review_flags": [views.flag(f) for f in flags]}

    @r.post("/review-flags/{flag_id}/resolve", summary="Confirm a flagged item was reviewed")
    async def resolve_review_flag(flag_id: UUID, body: ResolveIn, who: Caller) -> dict[str, Any]:
        async with runtime.unit_of_work(who) as uow:
            resolved = await review_flags.resolve(uow, who, flag_id, body.note)
        return views.flag(resolved)

    return r
