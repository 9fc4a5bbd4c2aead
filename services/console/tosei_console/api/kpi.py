"""実績: the council's figures of a fiscal year, against the FY2019 baseline, with charts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from markupsafe import Markup

from tosei_common.platform.service import Runtime
from tosei_common.region.fiscal import fiscal_year_label
from tosei_console.api.pages import Signed, render
from tosei_console.api.problems import refused_page
from tosei_console.domain.charts import Bar, bar_chart, has_data, total

#: What the page charts per month, with the unit it counts in.
MONTHLY = (
    ("consultations", "月別の相談件数（相談の実施回数）", "件"),
    ("founders", "月別の創業者数", "人"),
    ("outcomes", "月別の成果の件数", "件"),
)
#: The FY2019 figures the council compares with (startup 500 / 20, SME 244).
BASELINE_WORDS = {"consultations": "相談件数", "founders": "創業者数"}


def _month_label(key: str) -> str:
    return f"{int(key[5:])}月"


def charts(report: dict[str, Any]) -> list[dict[str, Any]]:
    shown = []
    for figure, title, unit in MONTHLY:
        bars = [Bar(_month_label(k), total(v[figure])) for k, v in report["months"].items()]
        shown.append(
            {
                "id": f"chart-{figure}",
                "title": f"{report['label']} {title}",
                "bars": bars,
                "unit": unit,
                "svg": Markup(bar_chart(f"chart-{figure}", title, bars, unit=unit))
                if has_data(bars)
                else None,
            }
        )
    return shown


def router(_: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/kpi", response_model=None)
    async def kpi(
        request: Request, who: Signed, fiscal_year: Annotated[str, Query()] = ""
    ) -> Response:
        year = fiscal_year or str(who.runtime.clock.fiscal_year())
        answer = await who.services.get("caseflow", "/reports/kpi", fiscal_year=year)
        if not answer.ok:
            return refused_page(request, who, answer)
        report = answer.body
        this_year = who.runtime.clock.fiscal_year()
        years = [(str(y), fiscal_year_label(y)) for y in range(this_year, this_year - 6, -1)]
        return render(
            request,
            "kpi/report.html",
            who,
            title=f"実績 {report['label']}",
            report=report,
            charts=charts(report),
            years=years,
            baseline_words=BASELINE_WORDS,
            month_label=_month_label,
        )

    @routes.get("/kpi.csv", response_model=None)
    async def kpi_csv(
        request: Request, who: Signed, fiscal_year: Annotated[str, Query()] = ""
    ) -> Response:
        year = fiscal_year or str(who.runtime.clock.fiscal_year())
        answer = await who.services.get("caseflow", "/reports/kpi.csv", fiscal_year=year)
        if not answer.ok:
            return refused_page(request, who, answer)
        return Response(
            answer.body,
            media_type=answer.headers.get("content-type", "text/csv"),
            headers={
                "Content-Disposition": answer.headers.get(
                    "content-disposition", f'attachment; filename="kpi-{year}.csv"'
                )
            },
        )

    return routes
