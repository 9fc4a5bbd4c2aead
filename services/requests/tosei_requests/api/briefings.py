"""HTTP: the yearly briefing — schedule or reschedule, the agenda (set, fix), the minutes, the
history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from tosei_common.platform.auth import current_principal
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime
from tosei_requests.api.briefing_responses import BriefingOut, BriefingsOut, BriefingSummaryOut
from tosei_requests.api.params import YearPath
from tosei_requests.api.requests import AgendaIn, BriefingIn, MinutesIn
from tosei_requests.api.responses import HistoryOut
from tosei_requests.handlers import briefings, reads

Caller = Annotated[Principal, Depends(current_principal)]


async def briefing_out(runtime: Runtime, who: Principal, fiscal_year: int) -> BriefingOut:
    """The briefing as the caller reads it now (after a command: what the command left)."""
    async with runtime.reading() as conn:
        return BriefingOut.of_view(await reads.briefing(conn, who, fiscal_year))


def router(runtime: Runtime) -> APIRouter:
    r = APIRouter(prefix="/briefings", tags=["briefings"])

    @r.get("", summary="The briefings, one per fiscal year")
    async def list_briefings(who: Caller) -> BriefingsOut:
        async with runtime.reading() as conn:
            found = await reads.briefings(conn, who)
        return BriefingsOut(briefings=[BriefingSummaryOut.of(b) for b in found])

    @r.get("/{fiscal_year}", summary="A year's briefing with its agenda")
    async def get_briefing(fiscal_year: YearPath, who: Caller) -> BriefingOut:
        return await briefing_out(runtime, who, fiscal_year)

    @r.put(
        "/{fiscal_year}", summary="Schedule the year's briefing, or reschedule it (with a reason)"
    )
    async def schedule(fiscal_year: YearPath, body: BriefingIn, who: Caller) -> BriefingOut:
        async with runtime.unit_of_work(who) as uow:
            await briefings.schedule(uow, who, fiscal_year, body.schedule(), body.reason)
        return await briefing_out(runtime, who, fiscal_year)

    @r.put("/{fiscal_year}/agenda", summary="The agenda: the adopted items in the joint order")
    async def set_agenda(fiscal_year: YearPath, body: AgendaIn, who: Caller) -> BriefingOut:
        async with runtime.unit_of_work(who) as uow:
            await briefings.set_agenda(
                uow, who, fiscal_year, body.items, body.grouping, body.reason
            )
        return await briefing_out(runtime, who, fiscal_year)

    @r.post(
        "/{fiscal_year}/agenda/fix",
        summary="Fix the agenda (its items then change only by a coordinator, with a reason)",
    )
    async def fix_agenda(fiscal_year: YearPath, who: Caller) -> BriefingOut:
        async with runtime.unit_of_work(who) as uow:
            await briefings.fix_agenda(uow, who, fiscal_year)
        return await briefing_out(runtime, who, fiscal_year)

    @r.put("/{fiscal_year}/minutes", summary="Record (or correct) the minutes after the briefing")
    async def minutes(fiscal_year: YearPath, body: MinutesIn, who: Caller) -> BriefingOut:
        async with runtime.unit_of_work(who) as uow:
            await briefings.minutes(uow, who, fiscal_year, body.minutes, body.reason)
        return await briefing_out(runtime, who, fiscal_year)

    @r.get("/{fiscal_year}/history", summary="Every change of the briefing and its agenda")
    async def history(fiscal_year: YearPath, who: Caller) -> HistoryOut:
        async with runtime.reading() as conn:
            return HistoryOut.of(await reads.briefing_history(conn, who, fiscal_year))

    return r
