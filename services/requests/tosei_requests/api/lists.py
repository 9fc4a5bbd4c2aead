"""HTTP: the programme's lists — fiscal years open for drafting, and the departments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from tosei_common.platform.auth import current_principal
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime
from tosei_requests.api.requests import DepartmentIn, DepartmentPatchIn, YearIn
from tosei_requests.api.responses import (
    DepartmentOut,
    DepartmentsOut,
    YearOut,
    YearsOut,
    departments_out,
)
from tosei_requests.handlers import lists, reads

Caller = Annotated[Principal, Depends(current_principal)]
Code = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{1,30}$", max_length=31)]


def router(runtime: Runtime) -> APIRouter:
    r = APIRouter(tags=["lists"])

    @r.get("/years", summary="The fiscal years whose drafting has opened")
    async def list_years(who: Caller) -> YearsOut:
        async with runtime.reading() as conn:
            return YearsOut(years=[YearOut.of(y) for y in await reads.years(conn, who)])

    @r.post("/years", status_code=201, summary="Open a fiscal year's drafting")
    async def open_year(body: YearIn, who: Caller) -> YearOut:
        async with runtime.unit_of_work(who) as uow:
            year = await lists.open_drafting(uow, who, body.fiscal_year)
        return YearOut.of(year)

    @r.get("/departments", summary="The prefectural departments requests are addressed to")
    async def list_departments(who: Caller) -> DepartmentsOut:
        async with runtime.reading() as conn:
            return departments_out(await reads.departments(conn, who))

    @r.post("/departments", status_code=201, summary="Add a department to the list")
    async def add_department(body: DepartmentIn, who: Caller) -> DepartmentOut:
        async with runtime.unit_of_work(who) as uow:
            d = await lists.add(uow, who, body.code, body.name)
        return DepartmentOut(code=d.code, name=d.name, retired=d.retired)

    @r.patch("/departments/{code}", summary="Rename a department, or retire it")
    async def revise_department(code: Code, body: DepartmentPatchIn, who: Caller) -> DepartmentOut:
        async with runtime.unit_of_work(who) as uow:
            d = await lists.revise(uow, who, code, name=body.name, retired=body.retired)
        return DepartmentOut(code=d.code, name=d.name, retired=d.retired)

    return r
