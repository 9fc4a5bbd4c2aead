"""HTTP: exports of the plan for council meetings, and the per-fiscal-year summary of changes."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from tosei_common.platform.downloads import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    csv_download,
    xlsx_download,
)
from tosei_common.platform.service import Runtime
from tosei_common.region.fiscal import fiscal_year_label, tokyo_date
from tosei_resilience.api import sheets
from tosei_resilience.api.parameters import AsOf, Caller, Filter, FiscalYearPath, parse_moment
from tosei_resilience.api.responses.reports import Summary, summary
from tosei_resilience.handlers import reads

PLAN_TITLE = "東青圏域国土強靱化地域計画"


class SheetFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


def _download(
    form: SheetFormat,
    name: str,
    header: tuple[str, ...],
    rows: list[list[Any]],
    sheet: str,
    money_columns: tuple[str, ...] = (),
) -> Response:
    if form is SheetFormat.XLSX:
        return xlsx_download(f"{name}.xlsx", header, rows, sheet=sheet, money_columns=money_columns)
    return csv_download(f"{name}.csv", header, rows)


def router(runtime: Runtime) -> APIRouter:
    r = APIRouter(tags=["reports"])

    @r.get(
        "/plan/export",
        summary="The plan as a spreadsheet (CSV or xlsx, Japanese headers), now or on a date",
        response_class=Response,
        responses={200: {"content": {CSV_MEDIA_TYPE: {}, XLSX_MEDIA_TYPE: {}}}},
    )
    async def export_plan(
        who: Caller, which: Filter, as_of: AsOf = None, format: SheetFormat = SheetFormat.CSV
    ) -> Response:
        moment = parse_moment(as_of)
        async with runtime.reading() as conn:
            view = await reads.plan(conn, who, which, as_of=moment)
        day = tokyo_date(moment or runtime.clock.now())
        return _download(
            format,
            f"{PLAN_TITLE}_{day:%Y%m%d}時点",
            sheets.PLAN_HEADER,
            sheets.plan_rows(view),
            "計画事業一覧",
            sheets.PLAN_MONEY_COLUMNS,
        )

    @r.get("/summaries/{fiscal_year}", summary="What changed in the plan in a fiscal year")
    async def annual_summary(fiscal_year: FiscalYearPath, who: Caller) -> Summary:
        async with runtime.reading() as conn:
            found = await reads.annual_summary(conn, who, fiscal_year, now=runtime.clock.now())
        return summary(found)

    @r.get(
        "/summaries/{fiscal_year}/export",
        summary="A fiscal year's changes as a spreadsheet (CSV or xlsx)",
        response_class=Response,
        responses={200: {"content": {CSV_MEDIA_TYPE: {}, XLSX_MEDIA_TYPE: {}}}},
    )
    async def export_summary(
        fiscal_year: FiscalYearPath, who: Caller, format: SheetFormat = SheetFormat.CSV
    ) -> Response:
        async with runtime.reading() as conn:
            found = await reads.annual_summary(conn, who, fiscal_year, now=runtime.clock.now())
        label = fiscal_year_label(fiscal_year)
        return _download(
            format,
            f"{PLAN_TITLE}_{label}変更一覧",
            sheets.SUMMARY_HEADER,
            sheets.summary_rows(found),
            f"{label}変更一覧",
        )

    return r
