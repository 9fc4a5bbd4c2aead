"""重点要望: a year's request items (an officer's own town's, or all for coordinators), drafting
and editing one with its linked plan items (searched by title), and moving it (submit, adopt,
return, withdraw)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from tosei_common.platform.principal import Role
from tosei_common.platform.service import Runtime
from tosei_common.region.fiscal import fiscal_year_label
from tosei_common.region.municipalities import REGION, municipality
from tosei_console.api.pages import Posted, Refused, Signed, Visitor, render
from tosei_console.api.problems import refused_page
from tosei_console.domain import request_forms as forms
from tosei_console.domain.timeline import actor_label
from tosei_console.handlers import accounts
from tosei_console.upstream import Answer

SERVICE = "requests"
PLAN_SEARCH_LIMIT = 10

DONE = {
    "drafted": "要望を作成しました。内容を確かめて「提出する」を押すと、コーディネーターに届きます",
    "revised": "要望を保存しました",
    "submitted": "要望を提出しました",
    "adopted": "要望を採択しました",
    "returned": "要望を差し戻しました",
    "withdrawn": "要望を取り下げました",
    "draft": "要望を作成中に戻しました",
    "answered": "県の回答を記録しました",
    "carried": "次年度に引き継ぎました",
}


async def open_years(who: Visitor) -> list[int]:
    answer = await who.services.get(SERVICE, "/years")
    return [y["fiscal_year"] for y in answer.body["years"]] if answer.ok else []


def chosen_year(who: Visitor, typed: str, years: list[int]) -> int:
    """The year asked for, else this fiscal year, else the latest opened."""
    if typed.strip().isdigit():
        return int(typed)
    this_year = who.runtime.clock.fiscal_year()
    if this_year in years or not years:
        return this_year
    return max(years)


async def department_options(who: Visitor) -> list[tuple[str, str]]:
    answer = await who.services.get(SERVICE, "/departments")
    if not answer.ok:
        return []
    return [(d["code"], d["name"]) for d in answer.body["departments"] if not d["retired"]]


async def plan_items_by_id(who: Visitor, ids: list[str]) -> list[dict[str, Any]]:
    if not ids:
        return []
    answer = await who.services.get(
        SERVICE, "/plan-items", id=ids, include_retired="true", limit=50
    )
    return list(answer.body["items"]) if answer.ok else []


async def plan_search(who: Visitor, title: str, linked: list[str]) -> PlanSearch:
    """The plan items whose title holds ``title``, those already linked left out."""
    if not title.strip():
        return PlanSearch([], 0)
    answer = await who.services.get(
        SERVICE, "/plan-items", title=title.strip()[:100], limit=PLAN_SEARCH_LIMIT
    )
    if not answer.ok:
        return PlanSearch([], 0)
    found = answer.body["items"]
    return PlanSearch([i for i in found if i["item_id"] not in linked], len(found))


@dataclass(frozen=True)
class PlanSearch:
    results: list[dict[str, Any]]
    found: int  # linked ones included


def _own(who: Visitor, item: dict[str, Any]) -> bool:
    town = who.account.municipality
    return town is not None and town in [m["code"] for m in item["municipalities"]]


async def history_names(who: Visitor) -> dict[str, str]:
    async with who.runtime.reading() as conn:
        return await accounts.names_by_actor(conn)


def router(_: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/requests", response_model=None)
    async def year_items(
        request: Request,
        who: Signed,
        fiscal_year: Annotated[str, Query(max_length=4)] = "",
        municipality_code: Annotated[str, Query(alias="municipality", max_length=6)] = "",
        status: Annotated[str, Query(max_length=20)] = "",
    ) -> Response:
        return await _year_items(request, who, fiscal_year, municipality_code, status)

    @routes.post("/requests/years", response_model=None)
    async def open_year(request: Request, who: Posted) -> Response:
        return await _open_year(request, who, await request.form())

    @routes.get("/requests/new", response_model=None)
    async def new_item(
        request: Request, who: Signed, fiscal_year: Annotated[str, Query(max_length=4)] = ""
    ) -> Response:
        year = chosen_year(who, fiscal_year, await open_years(who))
        town = who.account.municipality
        values: dict[str, Any] = {"municipalities": [town] if town else [], "departments": []}
        return await _item_form(request, who, year=year, values=values)

    @routes.post("/requests/new", response_model=None)
    async def draft(request: Request, who: Posted) -> Response:
        return await _draft(request, who, await request.form())

    @routes.get("/requests/plan-items", response_model=None)
    async def plan_items(
        request: Request,
        who: Signed,
        plan_q: Annotated[str, Query(max_length=100)] = "",
        linked: Annotated[list[str] | None, Query(alias="plan_item_ids")] = None,
    ) -> HTMLResponse:
        """The plan items whose title holds what is typed (htmx swaps them into the form)."""
        found = await plan_search(who, plan_q, linked or [])
        return render(
            request,
            "requests/plan_results.html",
            who,
            results=found.results,
            found=found.found,
            plan_q=plan_q.strip(),
        )

    @routes.get("/requests/items/{item_id}", response_model=None)
    async def item_page(request: Request, who: Signed, item_id: uuid.UUID) -> Response:
        return await item_page_of(request, who, item_id)

    @routes.get("/requests/items/{item_id}/edit", response_model=None)
    async def edit_item(request: Request, who: Signed, item_id: uuid.UUID) -> Response:
        return await _edit_form(request, who, item_id)

    @routes.post("/requests/items/{item_id}/edit", response_model=None)
    async def revise(request: Request, who: Posted, item_id: uuid.UUID) -> Response:
        return await _revise(request, who, item_id, await request.form())

    @routes.post("/requests/items/{item_id}/move", response_model=None)
    async def move(request: Request, who: Posted, item_id: uuid.UUID) -> Response:
        return await _move(request, who, item_id, await request.form())

    return routes


STATUSES = (
    ("draft", "作成中"),
    ("submitted", "提出済み"),
    ("adopted", "採択"),
    ("returned", "差戻し"),
    ("withdrawn", "取下げ"),
)


async def _year_items(
    request: Request, who: Visitor, fiscal_year: str, municipality_code: str, status: str
) -> Response:
    """The year's items: an officer's own town's (joint ones included), or all of them."""
    years = await open_years(who)
    year = chosen_year(who, fiscal_year, years)
    role = who.account.role
    town = who.account.municipality if role is Role.MUNICIPALITY else municipality_code
    items: list[dict[str, Any]] = []
    if year in years:
        answer = await who.services.get(
            SERVICE, "/request-items", fiscal_year=year, municipality=town, status=status
        )
        if not answer.ok:
            return refused_page(request, who, answer)
        items = answer.body["items"]
    this_year = who.runtime.clock.fiscal_year()
    return render(
        request,
        "requests/list.html",
        who,
        title=f"重点要望 {fiscal_year_label(year)}",
        year=year,
        year_open=year in years,
        years=sorted(set(years) | {year}, reverse=True),
        openable=[y for y in (this_year, this_year + 1) if y not in years],
        items=items,
        town_name=municipality(town).name if town else None,
        filters={"municipality": municipality_code, "status": status},
        towns=REGION,
        statuses=STATUSES,
        may_draft=role in (Role.MUNICIPALITY, Role.COORDINATOR),
        coordinator=role is Role.COORDINATOR,
        done=DONE.get(request.query_params.get("done", "")),
        form_key=str(uuid.uuid4()),
    )


async def _draft(request: Request, who: Visitor, form: FormData) -> Response:
    year = str(form.get("fiscal_year") or "")
    shown_year = int(year) if year.isdigit() else who.runtime.clock.fiscal_year()
    if _searching(form):
        return await _item_form(request, who, year=shown_year, values=_typed(form))
    answer = await who.services.post(
        SERVICE,
        "/request-items",
        forms.draft_body(_content(form), year),
        idempotency_key=str(form.get("idempotency_key") or "") or None,
    )
    if answer.ok:
        return RedirectResponse(f"/requests/items/{answer.body['id']}?done=drafted", 303)
    return await _refused_form(request, who, form, answer, year=shown_year)


async def _revise(request: Request, who: Visitor, item_id: uuid.UUID, form: FormData) -> Response:
    shown = await who.services.get(SERVICE, f"/request-items/{item_id}")
    if not shown.ok:
        return refused_page(request, who, shown)
    item = shown.body
    year = item["fiscal_year"]
    if _searching(form):
        return await _item_form(request, who, year=year, values=_typed(form), item=item)
    body = forms.revision_body(form, _content(form))
    answer = await who.services.patch(SERVICE, f"/request-items/{item_id}", body)
    if answer.ok:
        return RedirectResponse(f"/requests/items/{item_id}?done=revised", 303)
    return await _refused_form(request, who, form, answer, year=year, item=item)


async def _move(request: Request, who: Visitor, item_id: uuid.UUID, form: FormData) -> Response:
    to = str(form.get("to") or "")
    answer = await who.services.post(
        SERVICE,
        f"/request-items/{item_id}/transitions",
        {"to": to, **forms.reason_body(form)},
        idempotency_key=str(form.get("idempotency_key") or "") or None,
    )
    back = str(form.get("back") or "")
    if answer.ok and back.startswith("/requests?"):
        return RedirectResponse(f"{back}&done={to}", 303)
    if answer.ok:
        return RedirectResponse(f"/requests/items/{item_id}?done={to}", 303)
    if answer.status != 422:
        return refused_page(request, who, answer)
    typed = {k: str(v) for k, v in form.items()}
    return await item_page_of(request, who, item_id, Refused.of(f"move-{to}", typed, answer))


def _searching(form: FormData) -> bool:
    """The form came back for a plan-item search (the 検索する button, which is also what
    Enter presses in the form): with nothing to search for, it is the form sent."""
    return form.get("action") == "search" and bool(str(form.get("plan_q") or "").strip())


def _typed(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {
        k: str(v) for k, v in form.items() if k not in ("departments", "municipalities")
    }
    for name in ("departments", "municipalities", "plan_item_ids"):
        values[name] = [str(v) for v in form.getlist(name)]
    return values


def _content(form: FormData) -> dict[str, Any]:
    return forms.item_body(
        form,
        departments=[str(v) for v in form.getlist("departments")],
        towns=[str(v) for v in form.getlist("municipalities")],
        plan_items=list(dict.fromkeys(str(v) for v in form.getlist("plan_item_ids"))),
    )


async def _refused_form(
    request: Request,
    who: Visitor,
    form: FormData,
    answer: Answer,
    *,
    year: int,
    item: dict[str, Any] | None = None,
) -> Response:
    # a change on an older version (409) is said on its own page, with the way to reload
    if answer.status not in (403, 422) or (answer.status == 403 and not answer.field_messages):
        return refused_page(request, who, answer)
    errors = answer.field_messages
    validation = isinstance(answer.body, dict) and answer.body.get("error") == "validation_failed"
    return await _item_form(
        request,
        who,
        year=year,
        values=_typed(form),
        item=item,
        errors=errors,
        message=forms.summary(answer.message, errors, validation=validation),
        status_code=answer.status,
    )


async def _item_form(
    request: Request,
    who: Visitor,
    *,
    year: int,
    values: dict[str, Any],
    item: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    message: str | None = None,
    status_code: int = 200,
) -> Response:
    linked_ids = list(dict.fromkeys(values.get("plan_item_ids", [])))
    linked = await plan_items_by_id(who, linked_ids)
    plan_q = str(values.get("plan_q", "") or "")
    found = await plan_search(who, plan_q, linked_ids)
    heading = (
        f"{fiscal_year_label(year)}の要望を作成"
        if item is None
        else f"要望{item['reference']}を編集"
    )
    return render(
        request,
        "requests/item_form.html",
        who,
        title=heading,
        heading=heading,
        year=year,
        item=item,
        values=values,
        errors=errors or {},
        message=message,
        linked=linked,
        results=found.results,
        found=found.found,
        plan_q=plan_q,
        searched=bool(plan_q.strip()),
        departments=await department_options(who),
        towns=REGION,
        coordinator=who.account.role is Role.COORDINATOR,
        idempotency_key=str(uuid.uuid4()),
        status_code=status_code,
    )


async def item_page_of(
    request: Request, who: Visitor, item_id: uuid.UUID, refused: Refused | None = None
) -> Response:
    answer = await who.services.get(SERVICE, f"/request-items/{item_id}")
    if not answer.ok:
        return refused_page(request, who, answer)
    item = answer.body
    history = await who.services.get(SERVICE, f"/request-items/{item_id}/history")
    names = await history_names(who)
    departments = await department_options(who)
    department_names = dict(departments)
    role = who.account.role
    own = _own(who, item)
    failed = refused.form if refused else None
    return render(
        request,
        "requests/item.html",
        who,
        title=f"要望{item['reference']} {item['title']}",
        item=item,
        history=history.body["entries"] if history.ok else [],
        by=lambda actor: actor_label(actor, names),
        action_label=lambda a: forms.ACTIONS.get(a, a),
        label_of=forms.label_of,
        changed=lambda name, value: forms.change_text(name, value, department_names),
        moves=forms.moves_for(role, item["status"], own=own, agenda_fixed=item["agenda_fixed"]),
        may_edit=forms.may_edit(role, item, own=own),
        may_answer=role is Role.COORDINATOR
        and item["agenda_fixed"]
        and item["status"] == "adopted",
        may_carry=role in (Role.COORDINATOR, Role.MUNICIPALITY)
        and (own or role is Role.COORDINATOR)
        and forms.may_carry_over(item),
        answer_statuses=forms.ANSWER_STATUSES,
        departments=departments,
        failed=failed,
        values=refused.values if refused else _answer_values(who, item),
        errors=refused.errors if refused else {},
        message=refused.message if refused else None,
        done=DONE.get(request.query_params.get("done", "")),
        form_key=str(uuid.uuid4()),
        status_code=refused.status_code if refused else 200,
    )


def _answer_values(who: Visitor, item: dict[str, Any]) -> dict[str, Any]:
    given = item.get("answer")
    if given is None:
        first = item["departments"][0]["code"] if item["departments"] else ""
        return {"received_on": who.runtime.clock.today().isoformat(), "department": first}
    return {
        "received_on": given["received_on"],
        "status": given["status"],
        "department": given["department"]["code"],
        "text": given["text"],
    }


async def _open_year(request: Request, who: Visitor, form: FormData) -> Response:
    answer = await who.services.post(
        SERVICE,
        "/years",
        {"fiscal_year": str(form.get("fiscal_year") or "")},
        idempotency_key=str(form.get("idempotency_key") or "") or None,
    )
    if not answer.ok:
        return refused_page(request, who, answer)
    return RedirectResponse(f"/requests?fiscal_year={answer.body['fiscal_year']}", 303)


async def _edit_form(request: Request, who: Visitor, item_id: uuid.UUID) -> Response:
    answer = await who.services.get(SERVICE, f"/request-items/{item_id}")
    if not answer.ok:
        return refused_page(request, who, answer)
    item = answer.body
    values = forms.item_values(item)
    return await _item_form(request, who, year=item["fiscal_year"], values=values, item=item)
