"""HTTP: cases, their whole history, assignment, the lifecycle and transfers."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from tosei_caseflow.api.requests import Assignment, Transfer, Transition, municipality_code
from tosei_caseflow.api.responses import CaseDetail, CaseList, CaseSummary
from tosei_caseflow.domain.views import CaseFilter
from tosei_caseflow.handlers import cases, reads
from tosei_common.catalogue.caseflow import CaseState, Track
from tosei_common.platform.auth import current_principal
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime
from tosei_common.region.inputs import FreeText

Who = Annotated[Principal, Depends(current_principal)]


def router(runtime: Runtime) -> APIRouter:
    api = APIRouter(prefix="/cases", tags=["cases"])

    @api.get("", summary="Cases, newest first (an expert sees their current and former cases)")
    async def list_cases(
        who: Who,
        state: CaseState | None = None,
        track: Track | None = None,
        expert_id: UUID | None = None,
        municipality: Annotated[
            str | None, FreeText(40), Query(description="外ケ浜町, 青森, 022012 …")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> CaseList:
        where = CaseFilter(
            state=state,
            track=track,
            expert_id=expert_id,
            municipality=municipality_code(municipality),
            limit=limit,
            offset=offset,
        )
        async with runtime.reading() as conn:
            found = await reads.cases(conn, who, where)
        return CaseList(cases=[CaseSummary.of(c) for c in found], limit=limit, offset=offset)

    @api.get("/{case_id}", summary="A case with its whole history, across experts")
    async def get_case(case_id: UUID, who: Who) -> CaseDetail:
        async with runtime.unit_of_work(who) as uow:
            file = await reads.case_file(uow, who, case_id)
        return CaseDetail.of_file(file)

    @api.post("/{case_id}/assign", status_code=204, summary="Give the case to an expert by hand")
    async def assign(case_id: UUID, body: Assignment, who: Who) -> None:
        async with runtime.unit_of_work(who) as uow:
            await cases.assign(uow, who, case_id, body.expert_id, body.reason)

    @api.post("/{case_id}/transitions", status_code=204, summary="Move the case in its lifecycle")
    async def transition(case_id: UUID, body: Transition, who: Who) -> None:
        async with runtime.unit_of_work(who) as uow:
            await cases.change_state(uow, who, case_id, body.to, body.reason, body.satisfaction)

    @api.post("/{case_id}/transfer", status_code=204, summary="Hand the case to another expert")
    async def transfer(case_id: UUID, body: Transfer, who: Who) -> None:
        async with runtime.unit_of_work(who) as uow:
            await cases.transfer(
                uow, who, case_id, body.to_expert_id, body.reason, body.handover_note
            )

    return api
