"""研修会 (staff): the joint home-care seminar of each fiscal year as the coordinators plan and
run it — its states, venues and seats, budget, registrants — and the host rotation.

Every figure and rule is the seminar service's: the pages show what it answers (its Japanese
labels, its ``next_states``, its refusals) and send each form to it as the signed-in person.
Auditors read the same pages without forms; municipal officers see the published seminar and
the attendance report (``seminar_reports``). The public pages are ``/seminar…`` (singular).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tosei_common.catalogue.seminar import AttendanceMode
from tosei_common.platform.principal import Role
from tosei_common.platform.service import Runtime
from tosei_common.region.fiscal import TOKYO, fiscal_year_label
from tosei_common.region.municipalities import REGION
from tosei_console.api.pages import NOT_REFUSED, Posted, Refused, Signed, Visitor, render
from tosei_console.api.problems import refused_page
from tosei_console.domain import seminar_forms as forms
from tosei_console.domain.seminar_tabs import Tab, move_words, tabs_for
from tosei_console.upstream import Answer

Body = Callable[[Mapping[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Action:
    """A form of the seminar's pages: how it reaches the service, and where it comes back."""

    method: str
    path: str  # after /seminars/{id}; {item}: the row the form is about
    body: Body | None
    tab: str
    done: str


ACTIONS: dict[str, Action] = {
    "edit": Action("PATCH", "", forms.seminar_patch, "overview", "研修会の内容を変更しました"),
    "state": Action("POST", "/state", forms.state_body, "overview", "研修会の状態を変更しました"),
    "speaker": Action("POST", "/speakers", forms.speaker_body, "overview", "講師を追加しました"),
    "remove-speaker": Action("DELETE", "/speakers/{item}", None, "overview", "講師を外しました"),
    "venue": Action("POST", "/venues", forms.venue_body, "venues", "候補会場を追加しました"),
    "remove-venue": Action("DELETE", "/venues/{item}", None, "venues", "候補会場を外しました"),
    "choose-venue": Action("PUT", "/venue", forms.choice_body, "venues", "主会場を決めました"),
    "online": Action("PUT", "/online", forms.online_body, "venues", "配信を設定しました"),
    "site": Action("POST", "/sites", forms.site_body, "venues", "サテライト会場を追加しました"),
    "change-site": Action(
        "PATCH", "/sites/{item}", forms.site_patch, "venues", "サテライト会場を変更しました"
    ),
    "remove-site": Action("DELETE", "/sites/{item}", None, "venues", "サテライト会場を外しました"),
    "budget": Action("POST", "/budget", forms.budget_body, "budget", "予算の行を追加しました"),
    "change-budget": Action(
        "PATCH", "/budget/{item}", forms.budget_patch, "budget", "予算の行を変更しました"
    ),
    "remove-budget": Action("DELETE", "/budget/{item}", None, "budget", "予算の行を削除しました"),
    "correct-attendance": Action(
        "POST",
        "/attendance-corrections",
        forms.correction_body,
        "registrations",
        "出席を訂正しました",
    ),
}

CREATED = "研修会を企画しました。会場・講師・予算を決めて、開催決定にしてください"

TEMPLATE_OF = {
    "overview": "seminars/overview.html",
    "venues": "seminars/venues.html",
    "budget": "seminars/budget.html",
    "registrations": "seminars/registrations.html",
}

REGISTRATION_STATUSES = [
    ("accepted", "参加確定"),
    ("waitlisted", "キャンセル待ち"),
    ("cancelled", "キャンセル済み"),
]
MODES = [
    (AttendanceMode.VENUE.value, "会場参加"),
    (AttendanceMode.VIEWING_SITE.value, "サテライト会場"),
    (AttendanceMode.ONLINE.value, "オンライン"),
]
BUDGET_CATEGORIES = [
    ("venue", "会場使用料"),
    ("keynote", "講師謝金"),
    ("travel", "講師旅費"),
    ("other", "その他"),
]


def manages(who: Visitor) -> bool:
    """Whether the pages offer forms: coordinators run seminars; the rest read (the service
    refuses anyone else's change all the same)."""
    return who.account.role is Role.COORDINATOR


def local_time(moment: str | None) -> str:
    """13:30 of an ISO moment, in Japan: what the time boxes show."""
    return datetime.fromisoformat(moment).astimezone(TOKYO).strftime("%H:%M") if moment else ""


def yen(amount: int | None) -> str:
    return "" if amount is None else f"{amount:,}円"


async def seminar_of(who: Visitor, seminar_id: uuid.UUID) -> Answer:
    return await who.services.get("seminar", f"/seminars/{seminar_id}")


def page_context(who: Visitor, seminar: dict[str, Any], tab: str) -> dict[str, Any]:
    """What every page of one seminar shows: its heading and the tabs this person has."""
    tabs: list[Tab] = tabs_for(who.account.role, seminar["id"])
    return {
        "seminar": seminar,
        "tabs": tabs,
        "tab": tab,
        "manages": manages(who),
        "local_time": local_time,
        "yen": yen,
        "move_words": move_words,
        "form_key": str(uuid.uuid4()),
    }


async def tab_page(
    request: Request,
    who: Visitor,
    seminar_id: uuid.UUID,
    tab: str,
    refused: Refused | None = None,
) -> Response:
    answer = await seminar_of(who, seminar_id)
    if not answer.ok:
        return refused_page(request, who, answer)
    seminar = answer.body
    extra: dict[str, Any] = {}
    if tab == "venues" and manages(who):
        extra |= await _recommendation(who, seminar_id, request.query_params)
    if tab == "registrations":
        found = await _registrants(who, seminar_id, request.query_params)
        if isinstance(found, Answer):
            return refused_page(request, who, found)
        extra |= found
    done_key = request.query_params.get("done", "")
    return render(
        request,
        TEMPLATE_OF[tab],
        who,
        title=f"{seminar['fiscal_year_label']} 研修会",
        **page_context(who, seminar, tab),
        **(refused.context() if refused else NOT_REFUSED),
        done_message=_done_message(done_key, seminar),
        municipalities=REGION,
        budget_categories=BUDGET_CATEGORIES,
        modes=MODES,
        statuses=REGISTRATION_STATUSES,
        **extra,
        status_code=refused.status_code if refused else 200,
    )


def _done_message(done_key: str, seminar: dict[str, Any]) -> str | None:
    if done_key == "state":
        return f"研修会を「{seminar['state_label']}」にしました"
    if done_key == "created":
        return CREATED
    done = ACTIONS.get(done_key)
    return done.done if done else None


async def _recommendation(
    who: Visitor, seminar_id: uuid.UUID, query: Mapping[str, str]
) -> dict[str, Any]:
    """The sizing advice, for the turnout, no-show rate and margin asked for (in per cent on
    the page, as the coordinators say them; the service takes fractions)."""
    asked = {
        "expected_turnout": query.get("expected_turnout", ""),
        "no_show_percent": query.get("no_show_percent", ""),
        "margin_percent": query.get("margin_percent", ""),
    }
    params = {
        "expected_turnout": asked["expected_turnout"].strip() or None,
        "no_show_rate": forms.fraction(asked["no_show_percent"]),
        "margin": forms.fraction(asked["margin_percent"]),
    }
    answer = await who.services.get(
        "seminar", f"/seminars/{seminar_id}/venue-recommendation", **params
    )
    if answer.ok:
        return {"recommendation": answer.body, "asked": asked, "sizing_refused": None}
    return {
        "recommendation": None,
        "asked": asked,
        # Before anything is asked, the service's "nothing to size from" is a hint, not an
        # error: the boxes are not marked wrong until the coordinator has tried them.
        "sizing_refused": {
            "message": answer.message,
            "errors": _sizing_errors(answer) if any(asked.values()) else {},
            "asked": any(asked.values()),
        },
    }


def _sizing_errors(answer: Answer) -> dict[str, str]:
    """The service names its query parameters; the page's boxes are in per cent."""
    named = {"no_show_rate": "no_show_percent", "margin": "margin_percent"}
    found: dict[str, str] = {}
    for name, message in answer.field_messages.items():
        found[named.get(name.rsplit(".", 1)[-1], name.rsplit(".", 1)[-1])] = message
    return found


async def _registrants(
    who: Visitor, seminar_id: uuid.UUID, query: Mapping[str, str]
) -> dict[str, Any] | Answer:
    filters = {name: query.get(name, "") for name in ("status", "mode", "attended")}
    answer = await who.services.get("seminar", f"/seminars/{seminar_id}/registrations", **filters)
    if not answer.ok:
        return answer
    registrations = answer.body["registrations"]
    waiting: dict[str, list[dict[str, Any]]] = {}
    for r in registrations:
        if r["status"] == "waitlisted":
            waiting.setdefault(r["place"], []).append(r)
    for queue in waiting.values():
        queue.sort(key=lambda r: r["position"] or 0)
    return {
        "places": answer.body["places"],
        "registrations": registrations,
        "waiting": waiting,
        "filters": filters,
    }


def _tab_route(tab: str) -> Callable[..., Awaitable[Response]]:
    async def page(request: Request, who: Signed, seminar_id: uuid.UUID) -> Response:
        return await tab_page(request, who, seminar_id, tab)

    return page


def router(_: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/seminars", response_model=None)
    async def seminar_list(request: Request, who: Signed) -> Response:
        return await _list(request, who)

    @routes.post("/seminars", response_model=None)
    async def create(request: Request, who: Posted) -> Response:
        return await _create(request, who)

    @routes.get("/seminars/rotation", response_model=None)
    async def rotation(request: Request, who: Signed) -> Response:
        return await _rotation(request, who)

    @routes.post("/seminars/rotation/{fiscal_year}", response_model=None)
    async def override(request: Request, who: Posted, fiscal_year: int) -> Response:
        return await _override(request, who, fiscal_year)

    for tab, suffix in (
        ("overview", ""),
        ("venues", "/venues"),
        ("budget", "/budget"),
        ("registrations", "/registrations"),
    ):
        routes.add_api_route(
            f"/seminars/{{seminar_id}}{suffix}",
            _tab_route(tab),
            methods=["GET"],
            response_model=None,
        )

    @routes.post("/seminars/{seminar_id}/actions/{action}", response_model=None)
    async def act(request: Request, who: Posted, seminar_id: uuid.UUID, action: str) -> Response:
        return await _act(request, who, seminar_id, action)

    return routes


async def _create(request: Request, who: Visitor) -> Response:
    form = await request.form()
    answer = await who.services.post(
        "seminar",
        "/seminars",
        forms.seminar_body(form),
        idempotency_key=str(form.get("idempotency_key") or "") or None,
    )
    if answer.ok:
        return RedirectResponse(f"/seminars/{answer.body['id']}?done=created", status_code=303)
    if answer.status not in (409, 422):
        return refused_page(request, who, answer)
    typed = {k: str(v) for k, v in form.items()}
    return await _list(request, who, Refused.of("create", typed, answer))


async def _override(request: Request, who: Visitor, fiscal_year: int) -> Response:
    """Another town hosts a year (with the reason), or the rotation's town again."""
    form = await request.form()
    removing = form.get("remove") == "yes"
    path = f"/rotation/overrides/{fiscal_year}"
    if removing:
        answer = await who.services.delete("seminar", path)
    else:
        answer = await who.services.put("seminar", path, forms.override_body(form))
    if answer.ok:
        done = "removed" if removing else "set"
        return RedirectResponse(f"/seminars/rotation?done={done}", status_code=303)
    if answer.status not in (409, 422):
        return refused_page(request, who, answer)
    typed = {k: str(v) for k, v in form.items()} | {"fiscal_year": str(fiscal_year)}
    return await _rotation(request, who, Refused.of("override", typed, answer))


async def _list(request: Request, who: Visitor, refused: Refused | None = None) -> Response:
    answer = await who.services.get("seminar", "/seminars")
    if not answer.ok:
        return refused_page(request, who, answer)
    this_year = who.runtime.clock.fiscal_year()
    seminars = sorted(answer.body["seminars"], key=lambda s: s["fiscal_year"], reverse=True)
    planned = {s["fiscal_year"] for s in seminars}
    years = [
        (str(y), fiscal_year_label(y)) for y in range(this_year, this_year + 3) if y not in planned
    ]
    context = refused.context() if refused else NOT_REFUSED
    if not refused:
        context = context | {"values": {"fiscal_year": years[0][0] if years else ""}}
    return render(
        request,
        "seminars/list.html",
        who,
        title="研修会",
        seminars=seminars,
        years=years,
        manages=manages(who),
        form_key=str(uuid.uuid4()),
        **context,
        status_code=refused.status_code if refused else 200,
    )


async def _rotation(request: Request, who: Visitor, refused: Refused | None = None) -> Response:
    this_year = who.runtime.clock.fiscal_year()
    answer = await who.services.get("seminar", "/rotation", from_year=this_year, years=6)
    if not answer.ok:
        return refused_page(request, who, answer)
    done = {"set": "開催市町村を変更しました", "removed": "輪番どおりに戻しました"}
    return render(
        request,
        "seminars/rotation.html",
        who,
        title="研修会の開催市町村（輪番）",
        years=answer.body["years"],
        this_year=this_year,
        manages=manages(who),
        municipalities=REGION,
        done_message=done.get(request.query_params.get("done", "")),
        **(refused.context() if refused else NOT_REFUSED),
        status_code=refused.status_code if refused else 200,
    )


async def _act(request: Request, who: Visitor, seminar_id: uuid.UUID, name: str) -> Response:
    """One of the seminar pages' forms, sent to the service; a refused form comes back on its
    page as typed, with the service's words next to the field."""
    action = ACTIONS.get(name)
    if action is None:
        return HTMLResponse("そのような操作はありません", status_code=404)
    form = await request.form()
    path = action.path
    if "{item}" in path:
        try:
            path = path.format(item=uuid.UUID(str(form.get("item_id") or "")))
        except ValueError:
            return HTMLResponse("対象の行が指定されていません", status_code=422)
    target = f"/seminars/{seminar_id}{path}"
    body = action.body(form) if action.body else None
    services = who.services
    if action.method == "POST":
        key = str(form.get("idempotency_key") or "") or None
        answer = await services.post("seminar", target, body, idempotency_key=key)
    elif action.method == "PATCH":
        answer = await services.patch("seminar", target, body)
    elif action.method == "PUT":
        answer = await services.put("seminar", target, body)
    else:
        answer = await services.delete("seminar", target)
    page = "" if action.tab == "overview" else f"/{action.tab}"
    if answer.ok:
        return RedirectResponse(f"/seminars/{seminar_id}{page}?done={name}", status_code=303)
    if answer.status not in (409, 422):
        return refused_page(request, who, answer)
    typed = {k: str(v) for k, v in form.items()}
    return await tab_page(request, who, seminar_id, action.tab, Refused.of(name, typed, answer))
