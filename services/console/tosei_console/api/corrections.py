"""Corrections made from the console: a consultation's details and consent, a client's
details, a mistaken merge undone. The services decide and keep the history; these pages send
what was typed and show the service's Japanese answer next to the field it names."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from tosei_common.platform.service import Runtime
from tosei_console.api.clients import client_page
from tosei_console.api.desk import consultation_page
from tosei_console.api.pages import Posted, Refused, Visitor
from tosei_console.api.problems import refused_page
from tosei_console.domain import forms
from tosei_console.upstream import Answer


def router(_: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.post("/consultations/{consultation_id}/correct", response_model=None)
    async def correct_consultation(
        request: Request, who: Posted, consultation_id: uuid.UUID
    ) -> Response:
        """受付の内容の訂正: the town, stage, categories, channel and description, with why."""
        form = await request.form()
        categories = [str(c) for c in form.getlist("categories")]
        answer = await who.services.patch(
            "intake",
            f"/consultations/{consultation_id}",
            forms.consultation_correction_body(form, categories),
        )
        if answer.ok:
            return RedirectResponse(f"/consultations/{consultation_id}?corrected=1", 303)
        if answer.status not in (409, 422):
            return refused_page(request, who, answer)
        typed: dict[str, Any] = {k: str(v) for k, v in form.items()}
        typed["categories"] = categories
        return await consultation_page(
            request, who, consultation_id, Refused.of("correct", typed, answer)
        )

    @routes.post("/consultations/{consultation_id}/consent", response_model=None)
    async def consent(request: Request, who: Posted, consultation_id: uuid.UUID) -> Response:
        """外部への共有の同意, recorded or withdrawn after the consultation."""
        form = await request.form()
        body = forms.consent_body(form)
        answer = await who.services.post(
            "intake", f"/consultations/{consultation_id}/consent", body
        )
        if answer.ok:
            return RedirectResponse(f"/consultations/{consultation_id}?consent=1", 303)
        if answer.status not in (409, 422):
            return refused_page(request, who, answer)
        typed = {k: str(v) for k, v in form.items()}
        return await consultation_page(
            request, who, consultation_id, Refused.of("consent", typed, answer)
        )

    @routes.post("/clients/{client_id}/correct", response_model=None)
    async def correct_client(request: Request, who: Posted, client_id: uuid.UUID) -> Response:
        form = await request.form()
        answer = await who.services.patch(
            "intake", f"/clients/{client_id}", forms.client_correction_body(form)
        )
        return await _after(request, who, client_id, answer, "correct", form, "corrected")

    @routes.post("/clients/{client_id}/unmerge", response_model=None)
    async def unmerge(
        request: Request,
        who: Posted,
        client_id: uuid.UUID,
        duplicate_id: Annotated[uuid.UUID, Form()],
    ) -> Response:
        form = await request.form()
        answer = await who.services.post(
            "intake", f"/clients/{duplicate_id}/unmerge", {"reason": form.get("reason") or None}
        )
        return await _after(request, who, client_id, answer, "unmerge", form, "unmerged")

    return routes


async def _after(
    request: Request,
    who: Visitor,
    client_id: uuid.UUID,
    answer: Answer,
    form_name: str,
    form: Any,
    done: str,
) -> Response:
    """Back to the client's page: with what was done, or with the form as typed and the
    service's Japanese message next to the field it names."""
    if answer.ok:
        return RedirectResponse(f"/clients/{client_id}?done={done}", status_code=303)
    return await after_client_form(request, who, client_id, answer, form_name, form)


async def after_client_form(
    request: Request, who: Visitor, client_id: uuid.UUID, answer: Answer, form_name: str, form: Any
) -> Response:
    """A refused form of the client's page: the page again, with the form as typed and the
    service's message next to the field it names (or the refusal page, for a 403 or a 503)."""
    if answer.status not in (409, 422):
        return refused_page(request, who, answer)
    typed = {k: str(v) for k, v in form.items()}
    return await client_page(request, who, client_id, Refused.of(form_name, typed, answer))
