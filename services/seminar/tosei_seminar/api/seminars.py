"""Seminars: the coordinators plan them; anyone reads the published ones."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends

from tosei_common.platform.auth import current_principal, optional_principal
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime
from tosei_seminar.api.requests import SeminarIn, SeminarPatch, StateIn
from tosei_seminar.api.responses.seminars import (
    SeminarList,
    SeminarOut,
    SeminarSummary,
    seminar_out,
)
from tosei_seminar.handlers import reads
from tosei_seminar.handlers import seminars as commands

Who = Annotated[Principal, Depends(current_principal)]
MaybeWho = Annotated[Principal | None, Depends(optional_principal)]


async def shown(rt: Runtime, who: Principal | None, seminar_id: UUID) -> SeminarOut:
    """The seminar as the caller may see it (what every change to it answers)."""
    async with rt.reading() as conn:
        return seminar_out(await reads.seminar_detail(conn, who, seminar_id))


def router(rt: Runtime) -> APIRouter:
    api = APIRouter(prefix="/seminars", tags=["seminars"])

    @api.get("", summary="Seminars: the published ones, or all of them for staff")
    async def list_seminars(who: MaybeWho) -> SeminarList:
        async with rt.reading() as conn:
            found = await reads.seminars(conn, who)
        return SeminarList(seminars=[SeminarSummary.of(s) for s in found])

    @api.post("", status_code=201, summary="Plan the seminar of a fiscal year")
    async def create(body: SeminarIn, who: Who) -> SeminarOut:
        async with rt.unit_of_work(who) as uow:
            seminar_id = await commands.create(
                uow,
                who,
                body.fiscal_year,
                body.title,
                day=body.date,
                start=body.start_time,
                end=body.end_time,
            )
        return await shown(rt, who, seminar_id)

    @api.get("/{seminar_id}", summary="A seminar (staff also see fees, candidates, budget)")
    async def read(seminar_id: UUID, who: MaybeWho) -> SeminarOut:
        return await shown(rt, who, seminar_id)

    @api.patch("/{seminar_id}", summary="Change the title or the date and times")
    async def update(seminar_id: UUID, body: SeminarPatch, who: Who) -> SeminarOut:
        async with rt.unit_of_work(who) as uow:
            await commands.update(
                uow,
                who,
                seminar_id,
                title=body.title,
                day=body.date,
                start=body.start_time,
                end=body.end_time,
            )
        return await shown(rt, who, seminar_id)

    @api.post("/{seminar_id}/state", summary="Move the seminar along its states")
    async def change_state(seminar_id: UUID, body: StateIn, who: Who) -> SeminarOut:
        async with rt.unit_of_work(who) as uow:
            await commands.change_state(
                uow,
                who,
                seminar_id,
                body.state,
                body.reason,
                small_cells=rt.settings.small_cell_threshold,
            )
        return await shown(rt, who, seminar_id)

    return api
