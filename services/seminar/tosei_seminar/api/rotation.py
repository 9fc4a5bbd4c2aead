"""The host rotation: which town hosts which fiscal year, and the coordinators' overrides."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Response

from tosei_common.platform.auth import Principal
from tosei_common.platform.service import Runtime
from tosei_common.region.municipalities import municipality
from tosei_seminar.api import shapes
from tosei_seminar.api.deps import fiscal_year_param, manage
from tosei_seminar.api.models import OverrideIn
from tosei_seminar.handlers import seminars as commands
from tosei_seminar.handlers import views


def rotation_routes(rt: Runtime) -> APIRouter:
    router = APIRouter(prefix="/rotation", tags=["rotation"])

    @router.get("", summary="The hosts of the coming fiscal years (anyone may read it)")
    async def upcoming(
        from_year: int | None = Query(
            default=None, ge=2021, le=2200, description="First fiscal year (default: this one)."
        ),
        years: int = Query(default=10, ge=1, le=50),
    ) -> dict[str, Any]:
        first = from_year if from_year is not None else rt.clock.fiscal_year()
        rows = await views.rotation_years(rt, first, years)
        return {"years": [shapes.rotation_year(y) for y in rows]}

    @router.put(
        "/overrides/{fiscal_year}",
        summary="Another town hosts this fiscal year (with the reason)",
    )
    async def set_override(
        body: OverrideIn,
        fiscal_year: str = Path(max_length=20, description="2026, FY2026 or 令和8年度"),
        who: Principal = Depends(manage),
    ) -> dict[str, Any]:
        year = fiscal_year_param(fiscal_year)
        await commands.set_override(rt, year, municipality(body.host), body.reason, who.actor)
        rows = await views.rotation_years(rt, year, 1)
        return shapes.rotation_year(rows[0])

    @router.delete(
        "/overrides/{fiscal_year}",
        status_code=204,
        summary="The town whose turn it is hosts again",
    )
    async def remove_override(
        fiscal_year: str = Path(max_length=20), who: Principal = Depends(manage)
    ) -> Response:
        await commands.remove_override(rt, fiscal_year_param(fiscal_year), who.actor)
        return Response(status_code=204)

    return router
