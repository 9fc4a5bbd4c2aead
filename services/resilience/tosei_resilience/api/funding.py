"""HTTP: funding programmes, and the review flags their changes raise on plan items."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from tosei_common.platform.service import Runtime
from tosei_resilience.api.parameters import Caller, MunicipalityFilter, parse_owner_filter
from tosei_resilience.api.requests import NewProgramme, ProgrammePatch, ResolveIn
from tosei_resilience.api.responses import funding as out
from tosei_resilience.api.responses.plan import ReviewFlagOut, ReviewFlags, flag
from tosei_resilience.handlers import funding_programmes, reads, review_flags


def router(runtime: Runtime) -> APIRouter:
    r = APIRouter(tags=["funding programmes"])

    @r.get("/funding-programmes", summary="National subsidies and grants and their conditions")
    async def list_programmes(who: Caller) -> out.Programmes:
        async with runtime.reading() as conn:
            found = await reads.programmes(conn, who)
        return out.Programmes(funding_programmes=[out.programme(p) for p in found])

    @r.post("/funding-programmes", status_code=201, summary="Add a funding programme")
    async def add_programme(body: NewProgramme, who: Caller) -> out.ProgrammeOut:
        async with runtime.unit_of_work(who) as uow:
            added = await funding_programmes.add(uow, who, body.content(), body.reason)
        return out.programme(added)

    @r.get("/funding-programmes/{programme_id}", summary="A programme, its history, its items")
    async def get_programme(programme_id: UUID, who: Caller) -> out.ProgrammeDetailOut:
        async with runtime.reading() as conn:
            detail = await reads.programme(conn, who, programme_id)
        return out.programme_detail(detail)

    @r.patch(
        "/funding-programmes/{programme_id}",
        summary="Revise a programme; a change of its conditions flags the items relying on it",
    )
    async def revise_programme(
        programme_id: UUID, body: ProgrammePatch, who: Caller
    ) -> out.ProgrammeRevised:
        async with runtime.unit_of_work(who) as uow:
            revised, flagged = await funding_programmes.revise(
                uow,
                who,
                programme_id,
                expected_version=body.version,
                changes=body.changes(),
                reason=body.reason,
            )
        return out.programme_revised(revised, flagged)

    @r.get("/review-flags", summary="Plan items to review after a funding programme changed")
    async def list_review_flags(
        who: Caller,
        municipality: MunicipalityFilter = None,
        open_only: Annotated[
            bool, Query(alias="open", description="Only flags nobody confirmed yet.")
        ] = True,
    ) -> ReviewFlags:
        any_town, town = parse_owner_filter(municipality)
        async with runtime.reading() as conn:
            flags = await reads.review_flags(
                conn, who, any_municipality=any_town, municipality=town, open_only=open_only
            )
        return ReviewFlags(review_flags=[flag(f) for f in flags])

    @r.post("/review-flags/{flag_id}/resolve", summary="Confirm a flagged item was reviewed")
    async def resolve_review_flag(flag_id: UUID, body: ResolveIn, who: Caller) -> ReviewFlagOut:
        async with runtime.unit_of_work(who) as uow:
            resolved = await review_flags.resolve(uow, who, flag_id, body.note)
        return flag(resolved)

    return r
