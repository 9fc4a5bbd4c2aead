"""HTTP: exports of the plan for council meetings, and the per-fiscal-year summary of changes."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response

from tosei_common.platform.auth import Principal
from tosei_common.platform.downloads import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    csv_download,
    xlsx_download,
)
from tosei_common.region.fiscal import fiscal_year_label, tokyo_date
from tosei_resilience.api import sheets, views
from tosei_resilience.api.inputs import parse_fiscal_year_text, parse_moment
from tosei_resilience.api.plan_items import AsOf, item_filter
from tosei_resilience.api.roles import READ
from tosei_resilience.domain.plan import ItemFilter
from tosei_resilience.handlers import reads
from tosei_resilience.handlers.context import Deps

PLAN_TITLE = "東青圏域国土強靱化地域計画"

FiscalYearPath = Annotated[
    str,
    Path(
        max_length=20,
        description="The fiscal year: 2024, FY2024, 令和6年度 or R6.",
        examples=["令和6年度"],
    ),
]


class SheetFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


def _download(
    form: SheetFormat, name: str, header: tuple[str, ...], rows: list[list[Any]], sheet: str
) -> Response:
    if form is SheetFormat.XLSX:
        return xlsx_download(f"{name}.xlsx", header, rows, sheet=sheet)
    return csv_download(f"{name}.csv", header, rows)


def router(deps: Deps) -> APIRouter:
    r = APIRouter(tags=["reports"])

    @r.get(
        "/plan/export",
        summary="The plan as a spreadsheet (CSV or xlsx, Japanese headers), now or on a date",
        response_class=Response,
        responses={200: {"content": {CSV_MEDIA_TYPE: {}, XLSX_MEDIA_TYPE: {}}}},
    )
    async def export_plan(
        _: Annotated[Principal, Depends(READ)],
        which: Annotated[ItemFilter, Depends(item_filter)],
        as_of: AsOf = None,
        format: SheetFormat = SheetFormat.CSV,
    ) -> Response:
        moment = None if as_of is None else parse_moment(as_of)
        view = await reads.plan(deps, which, as_of=moment)
        day = tokyo_date(moment if moment is not None else deps.clock())
        return _download(
            format,
            f"{PLAN_TITLE}_{day:%Y%m%d}時点",
            sheets.PLAN_HEADER,
            sheets.plan_rows(view),
            "計画事業一覧",
        )

    @r.get("/summaries/{fiscal_year}", summary="What changed in the plan in a fiscal year")
    async def annual_summary(
        fiscal_year: FiscalYearPath, _: Annotated[Principal, Depends(READ)]
    ) -> dict[str, Any]:
        return views.summary(await reads.annual_summary(deps, parse_fiscal_year_text(fiscal_year)))

    @r.get(
        "/summaries/{fiscal_year}/export",
        summary="A fiscal year's changes as a spreadsheet (CSV or xlsx)",
        response_class=Response,
        responses={200: {"content": {CSV_MEDIA_TYPE: {}, XLSX_MEDIA_TYPE: {}}}},
    )
    async def export_summary(
        fiscal_year: FiscalYearPath,
        _: Annotated[Principal, Depends(READ)],
        format: SheetFormat = SheetFormat.CSV,
    ) -> Response:
        fy = parse_fiscal_year_text(fiscal_year)
        summary = await reads.annual_summary(deps, fy)
        return _download(
            format,
            f"{PLAN_TITLE}_{fiscal_year_label(fy)}変更一覧",
            sheets.SUMMARY_HEADER,
            sheets.summary_rows(summary),
            f"{fiscal_year_label(fy)}変更一覧",
        )

    return r
