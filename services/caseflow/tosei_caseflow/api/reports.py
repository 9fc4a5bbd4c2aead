"""HTTP: the council's KPI report, as JSON and as CSV for Excel."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from tosei_caseflow.api.kpi_responses import KpiReport
from tosei_caseflow.domain.kpi_sheet import report_csv_rows
from tosei_caseflow.handlers import reads
from tosei_common.platform.auth import current_principal
from tosei_common.platform.downloads import csv_download
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime
from tosei_common.region.fiscal import fiscal_year_label
from tosei_common.region.inputs import FiscalYear

Who = Annotated[Principal, Depends(current_principal)]
Year = Annotated[
    int | None,
    FiscalYear(first=2000, last=2100),
    Query(
        description="2021, FY2021, 2021年度, 令和3年度 or R3; left out: this fiscal year",
        examples=["令和3年度"],
    ),
]


def router(runtime: Runtime) -> APIRouter:
    api = APIRouter(prefix="/reports", tags=["reports"])

    @api.get("/kpi", summary="KPIs of a fiscal year, by month, track, municipality, category")
    async def kpi_json(who: Who, fiscal_year: Year = None) -> KpiReport:
        year = fiscal_year or runtime.clock.fiscal_year()
        async with runtime.reading() as conn:
            report = await reads.kpi_report(
                conn, who, year, small_cells=runtime.settings.small_cell_threshold
            )
        return KpiReport.of(report)

    @api.get("/kpi.csv", summary="The same KPIs as CSV (UTF-8 with BOM: opens in Excel)")
    async def kpi_csv(who: Who, fiscal_year: Year = None) -> Response:
        year = fiscal_year or runtime.clock.fiscal_year()
        async with runtime.reading() as conn:
            report = await reads.kpi_report(
                conn,
                who,
                year,
                monthly=True,
                small_cells=runtime.settings.small_cell_threshold,
            )
        header, rows = report_csv_rows(report)
        return csv_download(
            f"相談実績_{fiscal_year_label(report.fiscal_year)}.csv",
            header,
            rows,
            ascii_filename=f"consultations-FY{report.fiscal_year}.csv",
        )

    return api
