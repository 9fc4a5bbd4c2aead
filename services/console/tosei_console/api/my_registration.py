"""「わたしの申込」: a registrant's own registration, reached by the reference (受付番号) alone —
see it (the wait-list position read fresh each time), cancel it after a confirmation, watch
online, and after the day answer the feedback form and download the 修了証.

The reference is the registrant's only credential, so every use of one is rate limited per
client address (``lookup_limit``), and its pages are neither cached nor sent as a Referer.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tosei_common.platform.service import Runtime
from tosei_console.api.public import (
    PRIVATE_HEADERS,
    check_form_token,
    lookup_limit,
    problem_page,
    render_public,
    services,
)
from tosei_console.api.seminar_public import qr_of
from tosei_console.domain.public_seminar import (
    feedback_body,
    field_errors,
    status_words,
    time_span,
)

#: The seminar service accepts references of up to 40 characters.
_LONGEST = 40
NOT_FOUND = "この受付番号の申込は見つかりませんでした。受付番号をもう一度ご確認ください"
Limited = [Depends(lookup_limit)]


def _service_path(reference: str, tail: str = "") -> str:
    return f"/registrations/{quote(reference, safe='')}{tail}"


def _my(reference: str, done: str | None = None) -> str:
    return f"/seminar/my/{quote(reference, safe='')}" + (f"?done={done}" if done else "")


async def _page(
    request: Request,
    reference: str,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    if len(reference) > _LONGEST:
        return _not_found(request, reference)
    answer = await services(request).get("seminar", _service_path(reference))
    if answer.status == 404:
        return _not_found(request, reference)
    if not answer.ok:
        return problem_page(request, answer, back="/seminar/my")
    r = answer.body
    if r["reference"] != reference:  # typed forgivingly: on to the address of the real one
        return RedirectResponse(_my(r["reference"]), status_code=303, headers=PRIVATE_HEADERS)
    seminar = r["seminar"]
    return render_public(
        request,
        "public/my.html",
        status_code=status_code,
        private=True,
        title="わたしの申込",
        r=r,
        seminar=seminar,
        times=time_span(seminar.get("starts_at"), seminar.get("ends_at")),
        status=status_words(r["status"], r["position"]),
        qr=qr_of(r["reference"]),
        done=request.query_params.get("done"),
        may_cancel=r["status"] in ("accepted", "waitlisted")
        and seminar["state"] in ("registration_open", "registration_closed"),
        feedback_due=r["checked_in"] and not r["feedback_given"],
        errors=errors or {},
        values=values or {},
        idempotency_key=str(uuid.uuid4()),
    )


def _not_found(request: Request, reference: str) -> HTMLResponse:
    return render_public(
        request,
        "public/my_lookup.html",
        status_code=404,
        private=True,
        title="わたしの申込",
        values={"reference": reference[:_LONGEST]},
        errors={"reference": NOT_FOUND},
    )


async def lookup_form(request: Request) -> HTMLResponse:
    return render_public(
        request,
        "public/my_lookup.html",
        private=True,
        title="わたしの申込",
        values={},
        errors={},
    )


async def lookup(
    request: Request,
    reference: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_form_token(request, csrf_token)
    typed = reference.strip()
    if not typed:
        return render_public(
            request,
            "public/my_lookup.html",
            status_code=422,
            private=True,
            title="わたしの申込",
            values={},
            errors={"reference": "受付番号を入力してください"},
        )
    if len(typed) > _LONGEST:
        return _not_found(request, typed)
    found = await services(request).get("seminar", _service_path(typed))
    if found.status == 404:
        return _not_found(request, typed)
    if not found.ok:
        return problem_page(request, found, back="/seminar/my")
    return RedirectResponse(_my(found.body["reference"]), status_code=303, headers=PRIVATE_HEADERS)


async def mine(request: Request, reference: str) -> Response:
    return await _page(request, reference)


async def confirm_cancel(request: Request, reference: str) -> Response:
    if len(reference) > _LONGEST:
        return _not_found(request, reference)
    answer = await services(request).get("seminar", _service_path(reference))
    if not answer.ok:
        return (
            _not_found(request, reference)
            if answer.status == 404
            else problem_page(request, answer, back=_my(reference))
        )
    r = answer.body
    return render_public(
        request,
        "public/cancel.html",
        private=True,
        title="申込の取消",
        r=r,
        seminar=r["seminar"],
        times=time_span(r["seminar"].get("starts_at"), r["seminar"].get("ends_at")),
        status=status_words(r["status"], r["position"]),
    )


async def cancel(
    request: Request, reference: str, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    check_form_token(request, csrf_token)
    if len(reference) > _LONGEST:
        return _not_found(request, reference)
    answer = await services(request).post("seminar", _service_path(reference, "/cancel"), {})
    if answer.status == 404:
        return _not_found(request, reference)
    if not answer.ok:
        return problem_page(request, answer, back=_my(reference))
    return RedirectResponse(_my(reference, "cancelled"), 303, headers=PRIVATE_HEADERS)


async def feedback(request: Request, reference: str) -> Response:
    form = await request.form()
    check_form_token(request, str(form.get("csrf_token", "")))
    if len(reference) > _LONGEST:
        return _not_found(request, reference)
    answer = await services(request).post(
        "seminar",
        _service_path(reference, "/feedback"),
        feedback_body(form),
        idempotency_key=str(form.get("idempotency_key") or uuid.uuid4()),
    )
    if answer.ok:
        return RedirectResponse(_my(reference, "feedback"), 303, headers=PRIVATE_HEADERS)
    if answer.status == 422:
        typed = {k: str(v) for k, v in form.items() if k != "csrf_token"}
        errors = field_errors(answer.field_messages, typed)
        return await _page(request, reference, errors=errors, values=typed, status_code=422)
    return problem_page(request, answer, back=_my(reference))


async def certificate(request: Request, reference: str) -> Response:
    if len(reference) > _LONGEST:
        return _not_found(request, reference)
    answer = await services(request).get("seminar", _service_path(reference, "/certificate.pdf"))
    if not answer.ok:
        return problem_page(request, answer, back=_my(reference))
    passed = {
        k: v
        for k, v in answer.headers.items()
        if k.lower() in ("content-type", "content-disposition")
    }
    return Response(answer.body, headers={**passed, **PRIVATE_HEADERS})


def router(_: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)
    routes.add_api_route("/seminar/my", lookup_form, methods=["GET"])
    routes.add_api_route("/seminar/my", lookup, methods=["POST"], dependencies=Limited)
    routes.add_api_route("/seminar/my/{reference}", mine, methods=["GET"], dependencies=Limited)
    routes.add_api_route(
        "/seminar/my/{reference}/cancel", confirm_cancel, methods=["GET"], dependencies=Limited
    )
    routes.add_api_route(
        "/seminar/my/{reference}/cancel", cancel, methods=["POST"], dependencies=Limited
    )
    routes.add_api_route(
        "/seminar/my/{reference}/feedback", feedback, methods=["POST"], dependencies=Limited
    )
    routes.add_api_route(
        "/seminar/my/{reference}/certificate.pdf",
        certificate,
        methods=["GET"],
        dependencies=Limited,
    )
    return routes
