"""研修会の参加登録 for the public (no account): this year's seminar, and the registration form
whose ways to attend follow the person's town (htmx swaps them in; without JavaScript the town's
own button re-renders the page with a plain GET)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from tosei_common.catalogue.labels import ATTENDEE_ROLE
from tosei_common.platform.qr import qr_svg
from tosei_common.platform.service import Runtime
from tosei_common.region.fiscal import fiscal_year
from tosei_common.region.municipalities import REGION
from tosei_console.api.pages import runtime_of
from tosei_console.api.public import (
    check_form_token,
    problem_page,
    registration_limit,
    render_public,
    services,
)
from tosei_console.domain.public_seminar import (
    HONEYPOT,
    OPEN,
    choices,
    field_errors,
    honeypot_filled,
    registration_body,
    status_words,
    this_years_seminar,
    time_span,
)
from tosei_console.upstream import Answer

REVIEW = "入力の内容をご確認ください。直していただきたい項目の横に理由を表示しています。"
TOWNS = [(m.name, m.name) for m in REGION]
ROLES = [(str(code), label) for code, label in ATTENDEE_ROLE.items()]


def qr_of(reference: str) -> str:
    """The reference as a camera-readable code (the door's scanner reads it)."""
    return qr_svg(reference, scale=6, title=f"受付番号 {reference} のQRコード")


async def _seminar(request: Request, seminar_id: uuid.UUID) -> Answer:
    return await services(request).get("seminar", f"/seminars/{seminar_id}")


async def _options(
    request: Request, seminar_id: uuid.UUID, town: str
) -> tuple[list[Any], dict[str, str]]:
    """The ways someone of ``town`` may attend, best first; or the service's word on the town."""
    if not town.strip():
        return [], {}
    answer = await services(request).get(
        "seminar", f"/seminars/{seminar_id}/options", municipality=town
    )
    if answer.ok:
        return choices(answer.body["options"]), {}
    return [], {"municipality": answer.field_messages.get("municipality", answer.message)}


async def _form(
    request: Request,
    seminar: Mapping[str, Any],
    *,
    values: Mapping[str, Any],
    errors: Mapping[str, str] | None = None,
    message: str | None = None,
    duplicate: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    seminar_id = uuid.UUID(seminar["id"])
    offered, town_errors = await _options(request, seminar_id, str(values.get("municipality", "")))
    return render_public(
        request,
        "public/register.html",
        status_code=status_code,
        title="参加の申込",
        seminar=seminar,
        times=time_span(seminar.get("starts_at"), seminar.get("ends_at")),
        values=values,
        errors={**town_errors, **(errors or {})},
        message=message,
        duplicate=duplicate,
        choices=offered,
        towns=TOWNS,
        roles=ROLES,
        honeypot=HONEYPOT,
        idempotency_key=str(uuid.uuid4()),
    )


async def this_year(request: Request) -> HTMLResponse:
    listing = await services(request).get("seminar", "/seminars")
    if not listing.ok:
        return problem_page(request, listing, back="/seminar")
    this_fy = fiscal_year(runtime_of(request).clock.today())
    chosen = this_years_seminar(listing.body["seminars"], this_fy)
    if chosen is None:
        return render_public(request, "public/seminar.html", title="研修会", seminar=None)
    detail = await _seminar(request, uuid.UUID(chosen))
    if not detail.ok:
        return problem_page(request, detail, back="/seminar")
    s = detail.body
    return render_public(
        request,
        "public/seminar.html",
        title=s["title"],
        seminar=s,
        times=time_span(s.get("starts_at"), s.get("ends_at")),
        keynotes=[sp for sp in s["speakers"] if sp["keynote"]],
        speakers=[sp for sp in s["speakers"] if not sp["keynote"]],
        sites=[p for p in s["places"] if p["mode"] == "viewing_site"],
        online=next((p for p in s["places"] if p["mode"] == "online"), None),
        venue_place=next((p for p in s["places"] if p["mode"] == "venue"), None),
        open=s["state"] == OPEN,
    )


async def form(request: Request, seminar_id: uuid.UUID, municipality: str = "") -> Response:
    detail = await _seminar(request, seminar_id)
    if not detail.ok:
        return problem_page(request, detail, back="/seminar")
    return await _form(request, detail.body, values={"municipality": municipality})


async def modes(request: Request, seminar_id: uuid.UUID, municipality: str = "") -> Response:
    """The ways to attend for the chosen town: the part of the form htmx swaps in."""
    offered, errors = await _options(request, seminar_id, municipality)
    return render_public(
        request,
        "public/modes.html",
        choices=offered,
        values={"municipality": municipality},
        errors=errors,
        oob=True,
    )


async def register(request: Request, seminar_id: uuid.UUID) -> Response:
    form = await request.form()
    check_form_token(request, str(form.get("csrf_token", "")))
    typed = {k: str(v) for k, v in form.items() if k not in ("csrf_token", HONEYPOT)}
    detail = await _seminar(request, seminar_id)
    if not detail.ok:
        return problem_page(request, detail, back="/seminar")
    if honeypot_filled(form):
        # A program filled the field no person sees: nothing is registered, and it is told
        # what looks like an ordinary answer, so it learns nothing to adapt to.
        return render_public(request, "public/received.html", title="送信を受け付けました")
    key = str(form.get("idempotency_key") or uuid.uuid4())
    answer = await services(request).post(
        "seminar",
        f"/seminars/{seminar_id}/registrations",
        registration_body(form),
        idempotency_key=key,
    )
    if answer.ok:
        done = answer.body
        return render_public(
            request,
            "public/registered.html",
            status_code=201,
            private=True,
            title="参加の申込を受け付けました",
            seminar=detail.body,
            times=time_span(detail.body.get("starts_at"), detail.body.get("ends_at")),
            done=done,
            status=status_words(done["status"], done["position"]),
            qr=qr_of(done["reference"]),
            my=f"/seminar/my/{quote(done['reference'])}",
        )
    if answer.status == 409 and answer.body.get("reason") == "already_registered":
        return await _form(
            request, detail.body, values=typed, duplicate=answer.message, status_code=409
        )
    if answer.status == 422:
        return await _form(
            request,
            detail.body,
            values=typed,
            errors=field_errors(answer.field_messages, typed),
            message=REVIEW if answer.field_messages else answer.message,
            status_code=422,
        )
    return problem_page(request, answer, back=f"/seminar/{seminar_id}/register")


def router(_: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)
    routes.add_api_route("/seminar", this_year, methods=["GET"])
    routes.add_api_route("/seminar/{seminar_id}/register", form, methods=["GET"])
    routes.add_api_route("/seminar/{seminar_id}/register/modes", modes, methods=["GET"])
    routes.add_api_route(
        "/seminar/{seminar_id}/register",
        register,
        methods=["POST"],
        dependencies=[Depends(registration_limit)],
    )
    return routes
