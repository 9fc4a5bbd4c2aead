"""出席の報告: who registered and who came, by role, town and mode, with charts drawn on the
server, and the CSV downloads (the attendance figures; the attendee list for staff). Municipal
officers read the figures with the groups of too few people hidden, as the service answers."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from tosei_common.platform.principal import Role
from tosei_common.platform.service import Runtime
from tosei_console.api.pages import Signed, Visitor, render
from tosei_console.api.problems import refused_page
from tosei_console.api.seminars import page_context, seminar_of
from tosei_console.domain.charts import Bar, horizontal_bar_chart

#: The report's charts: the breakdown of the service's answer and the chart's words.
CHARTS = (
    ("by_role", "職種別の出席者数"),
    ("by_municipality", "市町村別の出席者数"),
)
NOBODY = "出席者はまだいません。"
HIDDEN_ALL = "人数の少ない区分はすべて秘匿（「―」）しているため、図はありません。表をご覧ください。"
#: The service's CSV answer headers the console passes on as sent.
PASSED_ON = ("content-type", "content-disposition")


def charts(report: dict[str, Any]) -> list[dict[str, Any]]:
    drawn = []
    for breakdown, title in CHARTS:
        chart_id = f"chart-{breakdown.replace('_', '-')}"
        bars = [Bar(row["label"], row["attended"]) for row in report[breakdown]]
        # A chart whose every bar is nobody or hidden says nothing: the table says it instead.
        drawn_any = any(bar.value for bar in bars)
        hidden = any(bar.value is None for bar in bars)
        drawn.append(
            {
                "id": chart_id,
                "title": title,
                "svg": Markup(horizontal_bar_chart(chart_id, title, bars, unit="人"))
                if drawn_any
                else None,
                "empty": HIDDEN_ALL if hidden else NOBODY,
            }
        )
    return drawn


async def _download(request: Request, who: Visitor, path: str) -> Response:
    answer = await who.services.get("seminar", path)
    if not answer.ok:
        return refused_page(request, who, answer)
    headers = {k: v for k, v in answer.headers.items() if k.lower() in PASSED_ON}
    return Response(answer.body, headers=headers)


def router(_: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/seminars/{seminar_id}/report", response_model=None)
    async def report(request: Request, who: Signed, seminar_id: uuid.UUID) -> Response:
        seminar = await seminar_of(who, seminar_id)
        if not seminar.ok:
            return refused_page(request, who, seminar)
        answer = await who.services.get("seminar", f"/seminars/{seminar_id}/attendance")
        if not answer.ok:
            return refused_page(request, who, answer)
        return render(
            request,
            "seminars/report.html",
            who,
            title=f"出席の報告 {seminar.body['fiscal_year_label']}",
            **page_context(who, seminar.body, "report"),
            report=answer.body,
            charts=charts(answer.body),
            attendee_list=who.account.role in (Role.COORDINATOR, Role.AUDITOR),
        )

    @routes.get("/seminars/{seminar_id}/attendance.csv", response_model=None)
    async def attendance_csv(request: Request, who: Signed, seminar_id: uuid.UUID) -> Response:
        return await _download(request, who, f"/seminars/{seminar_id}/attendance.csv")

    @routes.get("/seminars/{seminar_id}/attendees.csv", response_model=None)
    async def attendees_csv(request: Request, who: Signed, seminar_id: uuid.UUID) -> Response:
        return await _download(request, who, f"/seminars/{seminar_id}/attendees.csv")

    return routes
