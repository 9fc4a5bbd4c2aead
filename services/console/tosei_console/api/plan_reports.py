"""What the towns read about the plan's changes: the review inbox (items a funding programme's
change flagged), the change feed since the reader's last look, and the fiscal year's summary."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from tosei_common.platform.principal import Role
from tosei_common.platform.service import Runtime
from tosei_common.region.fiscal import fiscal_year_label
from tosei_console.api.pages import Posted, Signed, Visitor, render
from tosei_console.api.plan_common import SERVICE, choices, download, plan_lists
from tosei_console.api.problems import refused_page
from tosei_console.domain.plan_words import change_side, field_label
from tosei_console.domain.timeline import actor_label
from tosei_console.handlers import accounts

FEED_PAGE = 50


async def _names(who: Visitor) -> dict[str, str]:
    async with who.runtime.reading() as conn:
        return await accounts.names_by_actor(conn)


async def _reviews_page(
    request: Request,
    who: Visitor,
    *,
    municipality: str | None,
    confirmed: bool,
    refused: dict[str, Any] | None = None,
) -> Response:
    town = municipality if municipality is not None else (who.account.municipality or "")
    answer = await who.services.get(
        SERVICE, "/review-flags", municipality=town, open="false" if confirmed else "true"
    )
    if not answer.ok:
        return refused_page(request, who, answer)
    lists = await plan_lists(who)
    names = await _names(who)
    role = who.account.role
    return render(
        request,
        "plan/reviews.html",
        who,
        title="確認依頼（交付金・補助金の変更）",
        flags=answer.body["review_flags"],
        town=town,
        confirmed=confirmed,
        may_confirm=lambda flag: (
            flag["open"]
            and (
                role is Role.COORDINATOR
                or (role is Role.MUNICIPALITY and flag["municipality"] == who.account.municipality)
            )
        ),
        by=lambda actor: actor_label(actor, names),
        refused=refused or {},
        done=request.query_params.get("done") == "1",
        status_code=422 if refused else 200,
        **choices(who, lists),
    )


def router(_: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/plan/reviews", response_model=None)
    async def reviews(
        request: Request,
        who: Signed,
        municipality: Annotated[str | None, Query(max_length=40)] = None,
        confirmed: Annotated[bool, Query()] = False,
    ) -> Response:
        return await _reviews_page(request, who, municipality=municipality, confirmed=confirmed)

    @routes.post("/plan/reviews/{flag_id}/resolve", response_model=None)
    async def resolve(request: Request, who: Posted, flag_id: UUID) -> Response:
        return await _resolve(request, who, flag_id)

    @routes.get("/plan/changes", response_model=None)
    async def changes(
        request: Request,
        who: Signed,
        since: Annotated[int | None, Query(ge=0, le=2**62)] = None,
        mine: Annotated[bool, Query()] = False,
    ) -> Response:
        return await _changes(request, who, since, mine)

    @routes.post("/plan/changes/seen", response_model=None)
    async def mark_seen(request: Request, who: Posted) -> Response:
        form = await request.form()
        position = str(form.get("seen_up_to") or "")
        body = {"seen_up_to": int(position) if position.isdigit() else position}
        answer = await who.services.put(SERVICE, "/changes/bookmark", body)
        if not answer.ok:
            return refused_page(request, who, answer)
        return RedirectResponse(f"/plan/changes?seen={answer.body['seen_up_to']}", 303)

    @routes.get("/plan/summary", response_model=None)
    async def summary(
        request: Request, who: Signed, fiscal_year: Annotated[str, Query(max_length=20)] = ""
    ) -> Response:
        this_year = who.runtime.clock.fiscal_year()
        year = fiscal_year.strip() or str(this_year)
        answer = await who.services.get(SERVICE, f"/summaries/{quote(year, safe='')}")
        if not answer.ok:
            return refused_page(request, who, answer)
        lists = await plan_lists(who)
        return render(
            request,
            "plan/summary.html",
            who,
            title=f"国土強靱化地域計画 {answer.body['fiscal_year_label']}の変更一覧",
            summary=answer.body,
            fiscal_years=[
                (str(y), fiscal_year_label(y)) for y in range(this_year, this_year - 7, -1)
            ],
            **choices(who, lists),
        )

    @routes.get("/plan/summary/export", response_model=None)
    async def summary_export(
        request: Request,
        who: Signed,
        fiscal_year: Annotated[str, Query(max_length=20)] = "",
        format: Annotated[str, Query(pattern="^(csv|xlsx)$")] = "csv",
    ) -> Response:
        year = fiscal_year.strip() or str(who.runtime.clock.fiscal_year())
        answer = await who.services.get(
            SERVICE, f"/summaries/{quote(year, safe='')}/export", format=format
        )
        if not answer.ok:
            return refused_page(request, who, answer)
        return download(answer)

    return routes


async def _resolve(request: Request, who: Visitor, flag_id: UUID) -> Response:
    form = await request.form()
    note = str(form.get("note") or "").strip()
    answer = await who.services.post(
        SERVICE, f"/review-flags/{flag_id}/resolve", {"note": note or None}
    )
    if answer.ok:
        return RedirectResponse("/plan/reviews?done=1", 303)
    if answer.status != 422:
        return refused_page(request, who, answer)
    refused = {
        "flag_id": str(flag_id),
        "values": {"note": note},
        "errors": answer.field_messages,
        "message": answer.message,
    }
    return await _reviews_page(request, who, municipality=None, confirmed=False, refused=refused)


async def _changes(request: Request, who: Visitor, since: int | None, mine: bool) -> Response:
    town = who.account.municipality if mine else None
    answer = await who.services.get(
        SERVICE, "/changes", since=since, municipality=town, limit=FEED_PAGE
    )
    if not answer.ok:
        return refused_page(request, who, answer)
    lists = await plan_lists(who)
    names = await _names(who)
    return render(
        request,
        "plan/changes.html",
        who,
        title="変更のお知らせ（前回の確認以降）",
        feed=answer.body,
        mine=mine,
        by=lambda actor: actor_label(actor, names),
        field_label=field_label,
        side=lambda name, stored, label: change_side(name, stored, label, lists),
        seen=request.query_params.get("seen"),
        **choices(who, lists),
    )
