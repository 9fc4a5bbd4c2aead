"""HTTP: the council's KPI report, as JSON and as CSV for Excel."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from tosei_caseflow.domain import kpi
from tosei_caseflow.handlers.reports import load_facts, report_csv_rows, report_json
from tosei_common.platform.auth import Principal, Role, require
from tosei_common.platform.downloads import csv_download
from tosei_common.platform.errors import Unprocessable
from tosei_common.platform.service import Runtime
from tosei_common.region.fiscal import DateParseError, fiscal_year_label, parse_fiscal_year

READERS = (Role.DESK, Role.COORDINATOR, Role.AUDITOR)
FiscalYear = Query(
    max_length=20,
    description="2021, FY2021, 令和3年度 or R3",
    examples=["令和3年度"],
)


def _year(text: str) -> int:
    try:
        fy = parse_fiscal_year(text)
    except DateParseError as exc:
        raise Unprocessable(str(exc), fields={"fiscal_year": "not a fiscal year"}) from exc
    if not 2000 <= fy <= 2100:
        raise Unprocessable(f"FY{fy} is out of range", fields={"fiscal_year": "2000–2100"})
    return fy


def routes(rt: Runtime) -> APIRouter:
    router = APIRouter(prefix="/reports", tags=["reports"])

    async def build(text: str) -> kpi.Report:
        fy = _year(text)
        async with rt.pool.acquire() as conn:
            facts = await load_facts(conn)
        return kpi.report(facts, fy)

    @router.get("/kpi", summary="KPIs of a fiscal year, by month, track, municipality, category")
    async def kpi_json(
        fiscal_year: str = FiscalYear, _: Principal = Depends(require(*READERS))
    ) -> dict[str, Any]:
        return report_json(await build(fiscal_year))

    @router.get("/kpi.csv", summary="The same KPIs as CSV (UTF-8 with BOM: opens in Excel)")
    async def kpi_csv(
        fiscal_year: str = FiscalYear, _: Principal = Depends(require(*READERS))
    ) -> Response:
        report = await build(fiscal_year)
        header, rows = report_csv_rows(report)
        return csv_download(
            f"相談実績_{fiscal_year_label(report.fiscal_year)}.csv",
            header,
            rows,
            ascii_filename=f"consultations-FY{report.fiscal_year}.csv",
        )

    return router
