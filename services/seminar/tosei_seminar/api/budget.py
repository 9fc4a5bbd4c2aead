"""A seminar's budget lines (coordinators); the totals and warnings come with the seminar."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response

from tosei_common.platform.auth import current_principal
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime
from tosei_seminar.api.requests import BudgetLineIn, BudgetLinePatch
from tosei_seminar.api.responses.common import Created
from tosei_seminar.handlers import budget as commands

Who = Annotated[Principal, Depends(current_principal)]


def router(rt: Runtime) -> APIRouter:
    api = APIRouter(prefix="/seminars/{seminar_id}/budget", tags=["seminars"])

    @api.post("", status_code=201, summary="Add a budget line")
    async def add_budget_line(seminar_id: UUID, body: BudgetLineIn, who: Who) -> Created:
        async with rt.unit_of_work(who) as uow:
            line_id = await commands.add(
                uow,
                who,
                seminar_id,
                category=body.category,
                item=body.item,
                planned=body.planned,
                actual=body.actual,
            )
        return Created(id=str(line_id))

    @api.patch("/{line_id}", summary="Change a budget line")
    async def change_budget_line(
        seminar_id: UUID, line_id: UUID, body: BudgetLinePatch, who: Who
    ) -> Created:
        async with rt.unit_of_work(who) as uow:
            await commands.change(uow, who, seminar_id, line_id, body.patch())
        return Created(id=str(line_id))

    @api.delete("/{line_id}", status_code=204, summary="Remove a budget line")
    async def remove_budget_line(seminar_id: UUID, line_id: UUID, who: Who) -> Response:
        async with rt.unit_of_work(who) as uow:
            await commands.remove(uow, who, seminar_id, line_id)
        return Response(status_code=204)

    return api
