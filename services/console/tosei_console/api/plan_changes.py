"""Changing the plan: add an item, revise it (the version it was read at travels with the form;
a concurrent change shows both sides and a way to redo it), retire, split, merge."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from tosei_common.platform.service import Runtime
from tosei_console.api.pages import Posted, Signed, Visitor, render
from tosei_console.api.plan import plan_item_page
from tosei_console.api.plan_common import SERVICE, choices, own_town, plan_lists
from tosei_console.api.problems import refused_page
from tosei_console.domain import plan_forms as forms
from tosei_console.domain.plan_words import PlanLists, field_label, shown
from tosei_console.domain.timeline import actor_label
from tosei_console.handlers import accounts
from tosei_console.upstream import Answer

MAX_PARTS = 10


def _text(form: Mapping[str, Any], name: str) -> str:
    return str(form.get(name) or "").strip()


async def _form_page(
    request: Request,
    who: Visitor,
    *,
    values: dict[str, Any],
    item: dict[str, Any] | None = None,
    answer: Answer | None = None,
    lists: PlanLists | None = None,
) -> Response:
    lists = lists or await plan_lists(who)
    editing = item is not None
    return render(
        request,
        "plan/form.html",
        who,
        title="計画事業の変更" if editing else "計画事業の追加",
        heading=f"計画事業 No.{item['number']} の変更" if item else "計画事業を追加する",
        action=f"/plan/items/{item['id']}/edit" if item else "/plan/items/new",
        button="変更を保存する" if editing else "追加する",
        item=item,
        version=values.get("version") or (item and item["version"]),
        form_key=None if editing else str(uuid.uuid4()),
        values=values,
        errors=answer.field_messages if answer else {},
        message=answer.message if answer else None,
        c=choices(who, lists),
        kpi_rows=forms.kpi_rows(values),
        status_code=answer.status if answer else 200,
    )


async def _typed(request: Request, prefix: str = "") -> tuple[dict[str, Any], Any]:
    form = await request.form()
    programmes = [str(p) for p in form.getlist(f"{prefix}funding_programmes")]
    return forms.typed_flat(form, programmes, prefix), form


def router(_: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/plan/items/new", response_model=None)
    async def new_item(request: Request, who: Signed) -> Response:
        values = {"municipality": own_town(who), "status": "planned"}
        return await _form_page(request, who, values=values)

    @routes.post("/plan/items/new", response_model=None)
    async def add_item(request: Request, who: Posted) -> Response:
        return await _add(request, who)

    @routes.get("/plan/items/{item_id}/edit", response_model=None)
    async def edit_item(request: Request, who: Signed, item_id: UUID) -> Response:
        return await _edit_form(request, who, item_id)

    @routes.post("/plan/items/{item_id}/edit", response_model=None)
    async def revise_item(request: Request, who: Posted, item_id: UUID) -> Response:
        return await _revise(request, who, item_id)

    @routes.post("/plan/items/{item_id}/retire", response_model=None)
    async def retire_item(request: Request, who: Posted, item_id: UUID) -> Response:
        return await _retire(request, who, item_id)

    @routes.get("/plan/items/{item_id}/split", response_model=None)
    async def split_form(
        request: Request,
        who: Signed,
        item_id: UUID,
        parts: Annotated[int, Query(ge=2, le=MAX_PARTS)] = 2,
    ) -> Response:
        return await _split_form(request, who, item_id, parts)

    @routes.post("/plan/items/{item_id}/split", response_model=None)
    async def split_item(request: Request, who: Posted, item_id: UUID) -> Response:
        return await _split(request, who, item_id)

    @routes.get("/plan/merge", response_model=None)
    async def merge_form(
        request: Request, who: Signed, source: Annotated[list[str] | None, Query()] = None
    ) -> Response:
        values = {"municipality": own_town(who), "status": "planned"}
        chosen = set(source or [])
        return await _merge_page(request, who, values, chosen)

    @routes.post("/plan/merge", response_model=None)
    async def merge_items(request: Request, who: Posted) -> Response:
        return await _merge(request, who)

    return routes


async def _edit_form(request: Request, who: Visitor, item_id: UUID) -> Response:
    """The item's form as it is on file; an item the person may not change shows its page,
    which says why."""
    answer = await who.services.get(SERVICE, f"/plan-items/{item_id}")
    if not answer.ok:
        return refused_page(request, who, answer)
    item = answer.body
    if not item["can_change"]:
        return await plan_item_page(request, who, item_id)
    return await _form_page(request, who, values=forms.item_flat(item), item=item)


async def _split_form(request: Request, who: Visitor, item_id: UUID, parts: int) -> Response:
    """Each part starts as a copy of the item, to be cut down."""
    answer = await who.services.get(SERVICE, f"/plan-items/{item_id}")
    if not answer.ok:
        return refused_page(request, who, answer)
    values: dict[str, Any] = {}
    for i in range(parts):
        values |= forms.item_flat(answer.body, f"parts.{i}.")
    return await _split_page(request, who, answer.body, parts, values)


async def _add(request: Request, who: Visitor) -> Response:
    typed, form = await _typed(request)
    body = forms.content_body(typed) | {"reason": _text(form, "reason") or None}
    key = _text(form, "idempotency_key") or None
    answer = await who.services.post(SERVICE, "/plan-items", body, idempotency_key=key)
    if answer.ok:
        return RedirectResponse(f"/plan/items/{answer.body['id']}?done=added", 303)
    if answer.status not in (403, 422):
        return refused_page(request, who, answer)
    return await _form_page(
        request, who, values=typed | {"reason": _text(form, "reason")}, answer=answer
    )


async def _revise(request: Request, who: Visitor, item_id: UUID) -> Response:
    typed, form = await _typed(request)
    reason, version = _text(form, "reason"), _text(form, "version")
    current = await who.services.get(SERVICE, f"/plan-items/{item_id}")
    if not current.ok:
        return refused_page(request, who, current)
    body = forms.patch_body(typed, forms.item_flat(current.body), version=version, reason=reason)
    answer = await who.services.patch(SERVICE, f"/plan-items/{item_id}", body)
    if answer.ok:
        return RedirectResponse(f"/plan/items/{item_id}?done=revised", 303)
    typed_form = typed | {"reason": reason, "version": version}
    if answer.status == 409 and "current_version" in (answer.body or {}):
        return await _conflict_page(request, who, item_id, typed_form, answer)
    if answer.status not in (403, 409, 422):
        return refused_page(request, who, answer)
    return await _form_page(request, who, values=typed_form, item=current.body, answer=answer)


async def _retire(request: Request, who: Visitor, item_id: UUID) -> Response:
    form = await request.form()
    typed = {k: _text(form, k) for k in ("retirement", "reason", "version")}
    body = {
        "version": int(typed["version"]) if typed["version"].isdigit() else typed["version"],
        "retirement": typed["retirement"] or None,
        "reason": typed["reason"] or None,
    }
    answer = await who.services.post(SERVICE, f"/plan-items/{item_id}/retire", body)
    if answer.ok:
        return RedirectResponse(f"/plan/items/{item_id}?done=retired", 303)
    if answer.status != 422:
        return refused_page(request, who, answer)
    refused = {
        "values": typed,
        "errors": answer.field_messages,
        "message": answer.message,
        "status_code": 422,
    }
    return await plan_item_page(request, who, item_id, refused=refused)


async def _split(request: Request, who: Visitor, item_id: UUID) -> Response:
    form = await request.form()
    count = min(max(int(_text(form, "parts") or 2), 2), MAX_PARTS)
    values: dict[str, Any] = {}
    bodies = []
    for i in range(count):
        prefix = f"parts.{i}."
        programmes = [str(p) for p in form.getlist(f"{prefix}funding_programmes")]
        flat = forms.typed_flat(form, programmes, prefix)
        values |= flat
        bodies.append(forms.content_body(flat, prefix))
    version = _text(form, "version")
    body = {
        "version": int(version) if version.isdigit() else version,
        "reason": _text(form, "reason") or None,
        "parts": bodies,
    }
    answer = await who.services.post(
        SERVICE,
        f"/plan-items/{item_id}/split",
        body,
        idempotency_key=_text(form, "idempotency_key") or None,
    )
    if answer.ok:
        return RedirectResponse(f"/plan/items/{item_id}?done=split", 303)
    current = await who.services.get(SERVICE, f"/plan-items/{item_id}")
    if answer.status not in (403, 422) or not current.ok:
        return refused_page(request, who, answer)
    values["reason"] = _text(form, "reason")
    return await _split_page(request, who, current.body, count, values, answer)


async def _merge(request: Request, who: Visitor) -> Response:
    typed, form = await _typed(request, "item.")
    sources = []
    for packed in form.getlist("source"):
        item_id, _, version = str(packed).partition(":")
        sources.append({"id": item_id, "version": int(version) if version.isdigit() else 0})
    body = {
        "sources": sources,
        "reason": _text(form, "reason") or None,
        "item": forms.content_body(typed, "item."),
    }
    answer = await who.services.post(
        SERVICE,
        "/plan-items/merge",
        body,
        idempotency_key=_text(form, "idempotency_key") or None,
    )
    if answer.ok:
        return RedirectResponse(f"/plan/items/{answer.body['item']['id']}?done=merged", 303)
    if answer.status not in (403, 422):
        return refused_page(request, who, answer)
    values = typed | {"reason": _text(form, "reason")}
    chosen = {str(s["id"]) for s in sources}
    return await _merge_page(request, who, values, chosen, answer)


async def _split_page(
    request: Request,
    who: Visitor,
    item: dict[str, Any],
    parts: int,
    values: dict[str, Any],
    answer: Answer | None = None,
) -> Response:
    lists = await plan_lists(who)
    return render(
        request,
        "plan/split.html",
        who,
        title=f"計画事業 No.{item['number']} の分割",
        item=item,
        parts=parts,
        values=values,
        errors=answer.field_messages if answer else {},
        message=answer.message if answer else None,
        form_key=str(uuid.uuid4()),
        c=choices(who, lists),
        kpi_rows=[forms.kpi_rows(values, f"parts.{i}.") for i in range(parts)],
        status_code=answer.status if answer else 200,
    )


async def _merge_page(
    request: Request,
    who: Visitor,
    values: dict[str, Any],
    chosen: set[str],
    answer: Answer | None = None,
) -> Response:
    listed = await who.services.get(SERVICE, "/plan-items")
    if not listed.ok:
        return refused_page(request, who, listed)
    lists = await plan_lists(who)
    prefixed = {k if k.startswith("item.") else f"item.{k}": v for k, v in values.items()}
    prefixed["reason"] = values.get("reason", "")
    return render(
        request,
        "plan/merge.html",
        who,
        title="計画事業の統合",
        candidates=[i for i in listed.body["items"] if i["can_change"]],
        chosen=chosen,
        values=prefixed,
        errors=answer.field_messages if answer else {},
        message=answer.message if answer else None,
        form_key=str(uuid.uuid4()),
        c=choices(who, lists),
        kpi_rows=forms.kpi_rows(prefixed, "item."),
        status_code=answer.status if answer else 200,
    )


async def _conflict_page(
    request: Request,
    who: Visitor,
    item_id: UUID,
    typed: dict[str, Any],
    refused: Answer,
) -> Response:
    """Both sides of a concurrent change: what the person typed (on the version they had) and
    what the item says now, who changed it meanwhile, and the form again on the current
    version with their own changes on top."""
    current, history = (
        await who.services.get(SERVICE, f"/plan-items/{item_id}"),
        await who.services.get(SERVICE, f"/plan-items/{item_id}/history"),
    )
    if not current.ok or not history.ok:
        return refused_page(request, who, refused)
    item = current.body
    sent = int(refused.body.get("sent_version") or 0)
    revisions = history.body["revisions"]
    now = forms.item_flat(item)
    base = forms.as_of_version(now, revisions, sent)
    mine = forms.changed_fields(typed, base)
    theirs = [r for r in revisions if r["version"] > sent]
    async with who.runtime.reading() as conn:
        names = await accounts.names_by_actor(conn)
    changed_by: dict[str, list[str]] = {}
    for r in theirs:
        for name in r["changes"]:
            changed_by.setdefault(name, []).append(actor_label(r["actor"], names))
    lists = await plan_lists(who)
    rows = [
        {
            "label": field_label(name),
            "mine": shown(name, typed, lists) if name in mine else "（変更していません）",
            "now": shown(name, now, lists),
            "who": "、".join(dict.fromkeys(changed_by.get(name, []))) or "―",
        }
        for name in forms.FIELDS
        if name in mine or name in changed_by
    ]
    values = forms.redo_values(now, typed, mine) | {"reason": typed.get("reason", "")}
    return render(
        request,
        "plan/conflict.html",
        who,
        title="ほかの人が先に変更しました",
        message=refused.message,
        item=item,
        sent_version=sent,
        theirs=theirs,
        rows=rows,
        by=lambda actor: actor_label(actor, names),
        values=values,
        c=choices(who, lists),
        kpi_rows=forms.kpi_rows(values),
        status_code=409,
    )
