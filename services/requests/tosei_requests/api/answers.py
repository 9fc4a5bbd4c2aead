"""HTTP: the prefecture's answers — record (or correct) one, and read a year's answers with the
summary per year and per town (public once the year's request book is published)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends

from tosei_common.platform.auth import current_principal, optional_principal
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime
from tosei_requests.api.briefing_responses import AnswersOut
from tosei_requests.api.params import YearPath
from tosei_requests.api.request_items import item_out
from tosei_requests.api.requests import AnswerIn
from tosei_requests.api.responses import AnswerOut
from tosei_requests.handlers import answers, reads

Caller = Annotated[Principal, Depends(current_principal)]
Anyone = Annotated[Principal | None, Depends(optional_principal)]


def router(runtime: Runtime) -> APIRouter:
    r = APIRouter(tags=["answers"])

    @r.put("/request-items/{item_id}/answer", summary="Record (or correct) the prefecture's answer")
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
        shown_item = await item_out(runtime, who, item_id)
        assert shown_item.answer is not None
        return shown_item.answer

    @r.get(
        "/answers/{fiscal_year}",
        summary="The year's answers, with the summary per year and per town",
    )
    async def year_answers(fiscal_year: YearPath, who: Anyone) -> AnswersOut:
        async with runtime.reading() as conn:
            return AnswersOut.of(await reads.answers(conn, who, fiscal_year))

    return r
