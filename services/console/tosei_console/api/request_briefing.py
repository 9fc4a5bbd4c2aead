"""重点要望の説明会: the coordinators schedule the year's briefing, put the adopted items in the
joint order (by numbers, or by dragging them), fix the agenda and download the request book
(要望書) as the requests service makes it."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from tosei_common.platform.principal import Role
from tosei_common.platform.service import Runtime
from tosei_common.region.fiscal import fiscal_year_label
from tosei_common.region.municipalities import REGION
from tosei_console.api.pages import Posted, Signed, Visitor, render
from tosei_console.api.problems import refused_page
from tosei_console.api.request_items import SERVICE, department_options
from tosei_console.domain import request_forms as forms

#: The book's answer headers the console passes on as the service sent them.
PASSED_ON = ("content-type", "content-disposition")

DONE = {
    "scheduled": "説明会の日程を保存しました",
    "ordered": "議題の順番を保存しました",
    "fixed": "議題を確定しました。要望書をダウンロードできます",
}


async def _agenda_rows(
    who: Visitor, year: int, briefing: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """The items to order: the agenda's in its order, then the adopted ones not on it yet."""
    adopted = await who.services.get(SERVICE, "/request-items", fiscal_year=year, status="adopted")
    items = {i["id"]: i for i in adopted.body["items"]} if adopted.ok else {}
    on_agenda = [e["item_id"] for e in (briefing or {}).get("agenda", [])]
    ordered = [items[i] for i in on_agenda if i in items]
    ordered += [i for i in items.values() if i["id"] not in on_agenda]
    return ordered


async def _page(
    request: Request,
    who: Visitor,
    year: int,
    *,
    failed: str | None = None,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    message: str | None = None,
    status_code: int = 200,
) -> Response:
    answer = await who.services.get(SERVICE, f"/briefings/{year}")
    if not answer.ok and answer.status != 404:
        return refused_page(request, who, answer)
    briefing = answer.body if answer.ok else None
    rows = await _agenda_rows(who, year, briefing)
    on_agenda = {e["item_id"]: e for e in (briefing or {}).get("agenda", [])}
    schedule_values = forms.briefing_values(briefing) if briefing else {}
    order_values: dict[str, Any] = {
        f"rank.{row['id']}": str(n) for n, row in enumerate(rows, start=1)
    }
    order_values["grouping"] = (briefing or {}).get("grouping", "joint_then_town")
    if failed == "schedule":
        schedule_values = values or {}
    if failed == "order":
        order_values = values or {}
    return render(
        request,
        "requests/briefing.html",
        who,
        title=f"{fiscal_year_label(year)} 説明会と議題",
        year=year,
        briefing=briefing,
        rows=rows,
        on_agenda=on_agenda,
        coordinator=who.account.role is Role.COORDINATOR,
        towns=REGION,
        offices=forms.OFFICES,
        groupings=forms.GROUPINGS,
        departments=await department_options(who),
        prefectural_rows=range(forms.PREFECTURAL_ROWS),
        failed=failed,
        schedule_values=schedule_values,
        order_values=order_values,
        errors=errors or {},
        message=message,
        done=DONE.get(request.query_params.get("done", "")),
        form_key=str(uuid.uuid4()),
        status_code=status_code,
    )


def router(_: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/requests/{year}/briefing", response_model=None)
    async def briefing_page(request: Request, who: Signed, year: int) -> Response:
        return await _page(request, who, year)

    @routes.post("/requests/{year}/briefing", response_model=None)
    async def schedule(request: Request, who: Posted, year: int) -> Response:
        return await _schedule(request, who, year, await request.form())

    @routes.post("/requests/{year}/agenda", response_model=None)
    async def order(request: Request, who: Posted, year: int) -> Response:
        return await _order(request, who, year, await request.form())

    @routes.post("/requests/{year}/agenda/fix", response_model=None)
    async def fix(request: Request, who: Posted, year: int) -> Response:
        answer = await who.services.post(SERVICE, f"/briefings/{year}/agenda/fix", {})
        if answer.ok:
            return RedirectResponse(f"/requests/{year}/briefing?done=fixed#book", 303)
        if answer.status != 422:
            return refused_page(request, who, answer)
        return await _page(
            request, who, year, failed="fix", message=answer.message, status_code=422
        )

    @routes.get("/requests/{year}/book.{kind}", response_model=None)
    async def book(request: Request, who: Signed, year: int, kind: str) -> Response:
        return await _book(request, who, year, kind)

    return routes


async def _refused(
    request: Request,
    who: Visitor,
    year: int,
    form_name: str,
    form: Any,
    errors: dict[str, str],
    answer: Any,
) -> Response:
    validation = isinstance(answer.body, dict) and answer.body.get("error") == "validation_failed"
    return await _page(
        request,
        who,
        year,
        failed=form_name,
        values={k: str(v) for k, v in form.items()},
        errors=errors,
        message=forms.summary(answer.message, errors, validation=validation),
        status_code=422,
    )


async def _order(request: Request, who: Visitor, year: int, form: FormData) -> Response:
    """The joint order as numbered (or as dragged: the script renumbers), to the service."""
    listed = [str(v) for v in form.getlist("listed")]
    typed = forms.joint_order(form, listed)
    if typed.errors:
        return await _page(
            request,
            who,
            year,
            failed="order",
            values={k: str(v) for k, v in form.items()},
            errors=typed.errors,
            message="順位を確認してください。" + "、".join(dict.fromkeys(typed.errors.values())),
            status_code=422,
        )
    body = {
        "items": typed.items,
        "grouping": str(form.get("grouping") or "joint_then_town"),
        **forms.reason_body(form),
    }
    answer = await who.services.put(SERVICE, f"/briefings/{year}/agenda", body)
    if answer.ok:
        return RedirectResponse(f"/requests/{year}/briefing?done=ordered#agenda", 303)
    if answer.status != 422:
        return refused_page(request, who, answer)
    errors = forms.agenda_errors(answer.field_messages, typed.items)
    return await _refused(request, who, year, "order", form, errors, answer)


async def _schedule(request: Request, who: Visitor, year: int, form: FormData) -> Response:
    answer = await who.services.put(SERVICE, f"/briefings/{year}", forms.briefing_body(form))
    if answer.ok:
        return RedirectResponse(f"/requests/{year}/briefing?done=scheduled", 303)
    if answer.status != 422:
        return refused_page(request, who, answer)
    return await _refused(request, who, year, "schedule", form, answer.field_messages, answer)


async def _book(request: Request, who: Visitor, year: int, kind: str) -> Response:
    """The service's PDF or xlsx as it made it: its file name and content type."""
    if kind not in ("pdf", "xlsx"):
        return Response("そのような形式はありません", status_code=404)
    answer = await who.services.get(SERVICE, f"/briefings/{year}/book.{kind}")
    if not answer.ok:
        return refused_page(request, who, answer)
    headers = {k: v for k, v in answer.headers.items() if k.lower() in PASSED_ON}
    return Response(answer.body, headers=headers)
