"""交付金・補助金: the national programmes the plan's items rely on and their conditions; the
coordinators add and revise them (a change of conditions flags the items relying on it)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from tosei_common.catalogue import labels
from tosei_common.platform.service import Runtime
from tosei_console.api.pages import Posted, Signed, Visitor, render
from tosei_console.api.plan_common import SERVICE, choices, plan_lists
from tosei_console.api.problems import refused_page
from tosei_console.domain.plan_words import PlanLists
from tosei_console.domain.timeline import actor_label
from tosei_console.handlers import accounts
from tosei_console.upstream import Answer

PROGRAMME_FIELDS = ("name", "ministry", "condition", "condition_note", "effective_from_fiscal_year")
PROGRAMME_LABELS = {f.value: words for f, words in labels.FUNDING_PROGRAMME_FIELD.items()}


def _typed(form: Mapping[str, Any]) -> dict[str, str]:
    return {k: str(form.get(k) or "").strip() for k in (*PROGRAMME_FIELDS, "reason", "version")}


def _value(name: str, text: str) -> Any:
    if not text:
        return None
    if name in ("effective_from_fiscal_year", "version") and text.isdigit():
        return int(text)
    return text


def _on_file(programme: Mapping[str, Any]) -> dict[str, str]:
    return {k: "" if programme.get(k) is None else str(programme[k]) for k in PROGRAMME_FIELDS} | {
        "version": str(programme["version"])
    }


def router(_: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/plan/programmes", response_model=None)
    async def programmes(request: Request, who: Signed) -> Response:
        return await _list_page(request, who)

    @routes.post("/plan/programmes", response_model=None)
    async def add_programme(request: Request, who: Posted) -> Response:
        form = await request.form()
        typed = _typed(form)
        body = {k: _value(k, typed[k]) for k in (*PROGRAMME_FIELDS, "reason")}
        answer = await who.services.post(
            SERVICE,
            "/funding-programmes",
            body,
            idempotency_key=str(form.get("idempotency_key") or "") or None,
        )
        if answer.ok:
            return RedirectResponse(f"/plan/programmes/{answer.body['id']}?added=1", 303)
        if answer.status not in (403, 409, 422):
            return refused_page(request, who, answer)
        return await _list_page(request, who, typed, answer)

    @routes.get("/plan/programmes/{programme_id}", response_model=None)
    async def programme(request: Request, who: Signed, programme_id: UUID) -> Response:
        return await _programme_page(request, who, programme_id)

    @routes.post("/plan/programmes/{programme_id}", response_model=None)
    async def revise_programme(request: Request, who: Posted, programme_id: UUID) -> Response:
        typed = _typed(await request.form())
        current = await who.services.get(SERVICE, f"/funding-programmes/{programme_id}")
        if not current.ok:
            return refused_page(request, who, current)
        on_file = _on_file(current.body)
        body: dict[str, Any] = {
            "version": _value("version", typed["version"]),
            "reason": typed["reason"] or None,
        }
        body |= {k: _value(k, typed[k]) for k in PROGRAMME_FIELDS if typed[k] != on_file[k]}
        answer = await who.services.patch(SERVICE, f"/funding-programmes/{programme_id}", body)
        if answer.ok:
            flagged = len(answer.body["flagged_items"])
            return RedirectResponse(f"/plan/programmes/{programme_id}?flagged={flagged}", 303)
        if answer.status not in (403, 409, 422):
            return refused_page(request, who, answer)
        # Sent again, the form is based on the version there is now (the message says so).
        typed["version"] = on_file["version"]
        return await _programme_page(request, who, programme_id, typed, answer)

    return routes


async def _list_page(
    request: Request,
    who: Visitor,
    typed: dict[str, str] | None = None,
    answer: Answer | None = None,
) -> Response:
    listed = await who.services.get(SERVICE, "/funding-programmes")
    if not listed.ok:
        return refused_page(request, who, listed)
    lists = PlanLists.of(None, None, listed.body)
    return render(
        request,
        "plan/programmes.html",
        who,
        title="交付金・補助金",
        programmes=listed.body["funding_programmes"],
        values=typed or {"condition": "prioritised"},
        errors=answer.field_messages if answer else {},
        message=answer.message if answer else None,
        form_key=str(uuid.uuid4()),
        status_code=answer.status if answer else 200,
        **choices(who, lists),
    )


async def _programme_page(
    request: Request,
    who: Visitor,
    programme_id: UUID,
    typed: dict[str, str] | None = None,
    answer: Answer | None = None,
) -> Response:
    found = await who.services.get(SERVICE, f"/funding-programmes/{programme_id}")
    if not found.ok:
        return refused_page(request, who, found)
    async with who.runtime.reading() as conn:
        names = await accounts.names_by_actor(conn)
    lists = await plan_lists(who)
    return render(
        request,
        "plan/programme.html",
        who,
        title=f"交付金・補助金 {found.body['name']}",
        programme=found.body,
        values=typed or _on_file(found.body),
        errors=answer.field_messages if answer else {},
        message=answer.message if answer else None,
        labels_of=PROGRAMME_LABELS,
        by=lambda actor: actor_label(actor, names),
        flagged=request.query_params.get("flagged"),
        added=request.query_params.get("added") == "1",
        status_code=answer.status if answer else 200,
        **choices(who, lists),
    )
