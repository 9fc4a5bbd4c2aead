"""国土強靱化計画: the plan's items (now, or as they stood on a date), one item with its whole
history, and the plan as a spreadsheet."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from tosei_common.platform.service import Runtime
from tosei_common.region.fiscal import DateParseError, japanese_date, parse_date
from tosei_console.api.pages import Signed, Visitor, render
from tosei_console.api.plan_common import SERVICE, choices, download, plan_lists
from tosei_console.api.problems import refused_page
from tosei_console.domain.plan_words import change_side, field_label
from tosei_console.domain.timeline import actor_label
from tosei_console.handlers import accounts

#: The list's filters, as the service names them.
FILTERS = ("municipality", "risk_scenario", "policy_area", "status", "funding_programme")

DONE = {
    "added": "計画事業を追加しました",
    "revised": "計画事業を変更しました",
    "retired": "計画事業を廃止しました（履歴は残ります）",
    "split": "計画事業を分割しました",
    "merged": "計画事業を統合しました",
}


def _filters(request: Request) -> dict[str, str]:
    given = {k: request.query_params.get(k, "").strip()[:60] for k in FILTERS}
    if request.query_params.get("include_retired") == "true":
        given["include_retired"] = "true"
    return {k: v for k, v in given.items() if v}


async def _plan_page(request: Request, who: Visitor, *, as_of: str | None) -> Response:
    filters = _filters(request)
    params = dict(filters) | ({"as_of": as_of} if as_of else {})
    lists = await plan_lists(who)
    errors: dict[str, str] = {}
    message = None
    items: list[dict[str, Any]] = []
    shown_as_of = None
    if as_of != "":  # the as-of screen asks for its day first
        answer = await who.services.get(SERVICE, "/plan-items", **params)
        if answer.status == 422:
            errors, message = answer.field_messages, answer.message
        elif not answer.ok:
            return refused_page(request, who, answer)
        else:
            items, shown_as_of = answer.body["items"], answer.body["as_of"]
    return render(
        request,
        "plan/list.html",
        who,
        title="国土強靱化地域計画 時点指定" if as_of is not None else "国土強靱化地域計画 計画事業",
        items=items,
        filters=filters,
        as_of=as_of,
        as_of_shown=shown_as_of,
        errors=errors,
        message=message,
        query=params,
        done=DONE.get(request.query_params.get("done", "")),
        today=who.runtime.clock.today().isoformat(),
        status_code=422 if message else 200,
        **choices(who, lists),
    )


async def _names(who: Visitor) -> dict[str, str]:
    async with who.runtime.reading() as conn:
        return await accounts.names_by_actor(conn)


def router(_: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/plan", response_model=None)
    async def plan(request: Request, who: Signed) -> Response:
        return await _plan_page(request, who, as_of=None)

    @routes.get("/plan/as-of", response_model=None)
    async def plan_as_of(
        request: Request, who: Signed, date: Annotated[str, Query(max_length=40)] = ""
    ) -> Response:
        """What the plan said on a day (a subsidy application's, say)."""
        return await _plan_page(request, who, as_of=date.strip() or "")

    @routes.get("/plan/export", response_model=None)
    async def export(
        request: Request,
        who: Signed,
        format: Annotated[str, Query(pattern="^(csv|xlsx)$")] = "csv",
        as_of: Annotated[str, Query(max_length=40)] = "",
    ) -> Response:
        params = _filters(request) | {"format": format, "as_of": as_of.strip()}
        answer = await who.services.get(SERVICE, "/plan/export", **params)
        if not answer.ok:
            return refused_page(request, who, answer)
        return download(answer)

    @routes.get("/plan/items/{item_id}", response_model=None)
    async def item_page(
        request: Request,
        who: Signed,
        item_id: UUID,
        as_of: Annotated[str, Query(max_length=40)] = "",
    ) -> Response:
        return await plan_item_page(request, who, item_id, as_of=as_of.strip())

    return routes


async def plan_item_page(
    request: Request,
    who: Visitor,
    item_id: UUID,
    *,
    as_of: str = "",
    refused: dict[str, Any] | None = None,
) -> Response:
    """An item with its whole history; ``refused``: the retire form sent back as typed."""
    answer = await who.services.get(SERVICE, f"/plan-items/{item_id}", as_of=as_of)
    if not answer.ok:
        return refused_page(request, who, answer)
    history = await who.services.get(SERVICE, f"/plan-items/{item_id}/history")
    if not history.ok:
        return refused_page(request, who, history)
    item = answer.body
    lists = await plan_lists(who)
    names = await _names(who)
    numbers = {str(r["id"]): r["number"] for r in item["superseded_by"] + item["derived_from"]}
    try:
        as_of_day = japanese_date(parse_date(as_of)) if as_of else ""
    except DateParseError:
        as_of_day = as_of
    return render(
        request,
        "plan/item.html",
        who,
        title=f"計画事業 No.{item['number']} {item['title']}",
        item=item,
        revisions=list(reversed(history.body["revisions"])),
        as_of=as_of,
        as_of_day=as_of_day,
        by=lambda actor: actor_label(actor, names),
        field_label=field_label,
        side=lambda name, stored, label: change_side(name, stored, label, lists, numbers),
        done=DONE.get(request.query_params.get("done", "")),
        refused=refused or {},
        status_code=(refused or {}).get("status_code", 200),
        **choices(who, lists),
    )
