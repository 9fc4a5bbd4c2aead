"""HTTP: the desk's worklists: cases waiting for an expert, follow-ups past their date."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends

from tosei_caseflow.api.responses import CaseSummary, FollowUp, FollowUps, Queue
from tosei_caseflow.handlers import reads
from tosei_common.platform.auth import current_principal
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime

Who = Annotated[Principal, Depends(current_principal)]


def router(runtime: Runtime) -> APIRouter:
    api = APIRouter(tags=["cases"])

    @api.get("/queue", summary="Cases waiting for an expert (e.g. handed over, no match)")
    async def waiting(who: Who) -> Queue:
        async with runtime.reading() as conn:
            found = await reads.queue(conn, who)
        return Queue(cases=[CaseSummary.of(c) for c in found])

    @api.get("/follow-ups/overdue", summary="Cases whose next action date has passed")
    async def overdue(who: Who, expert_id: UUID | None = None) -> FollowUps:
        async with runtime.reading() as conn:
            rows = await reads.overdue_follow_ups(conn, who, runtime.clock.today(), expert_id)
        return FollowUps(follow_ups=[FollowUp.of(r) for r in rows])

    return api
