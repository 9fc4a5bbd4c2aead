"""The host rotation: which town hosts which fiscal year, and the coordinators' overrides."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from tosei_common.platform.auth import current_principal
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime
from tosei_common.region.municipalities import municipality
from tosei_seminar.api.requests import OptionalYear, OverrideIn, SeminarYear
from tosei_seminar.api.responses.seminars import RotationOut, RotationYearOut
from tosei_seminar.handlers import reads
from tosei_seminar.handlers import rotation as commands

Who = Annotated[Principal, Depends(current_principal)]
Year = Annotated[SeminarYear, Path(description="2026, FY2026, 2026年度, 令和8年度 or R8")]


def router(rt: Runtime) -> APIRouter:
    api = APIRouter(prefix="/rotation", tags=["rotation"])

    @api.get("", summary="The hosts of the coming fiscal years (anyone may read it)")
    async def upcoming(
        from_year: Annotated[
            OptionalYear, Query(description="First fiscal year (default: this one).")
        ] = None,
        years: Annotated[int, Query(ge=1, le=50)] = 10,
    ) -> RotationOut:
        first = from_year if from_year is not None else rt.clock.fiscal_year()
        async with rt.reading() as conn:
            found = await reads.rotation_years(conn, first, years)
        return RotationOut(years=[RotationYearOut.of(y) for y in found])

    @api.put(
        "/overrides/{fiscal_year}", summary="Another town hosts this fiscal year (with the reason)"
    )
    async def set_override(fiscal_year: Year, body: OverrideIn, who: Who) -> RotationYearOut:
        async with rt.unit_of_work(who) as uow:
            await commands.set_host(uow, who, fiscal_year, municipality(body.host), body.reason)
        async with rt.reading() as conn:
            [year] = await reads.rotation_years(conn, fiscal_year, 1)
        return RotationYearOut.of(year)

    @api.delete(
        "/overrides/{fiscal_year}",
        status_code=204,
        summary="The town whose turn it is hosts again",
    )
    async def remove_override(fiscal_year: Year, who: Who) -> Response:
        async with rt.unit_of_work(who) as uow:
            await commands.set_host(uow, who, fiscal_year, None, None)
        return Response(status_code=204)

    return api
