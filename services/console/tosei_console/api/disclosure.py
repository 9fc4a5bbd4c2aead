"""本人開示, 利用停止 and 消去: a coordinator answers a person's requests about their own
records — one JSON bundle and one readable PDF of everything held about them across the
services, stopping (or resuming) the use of their records, and erasing them early; and keeps
them from any erasure while a legal hold (訴訟等による保存) stands."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from tosei_common.platform.downloads import download
from tosei_common.platform.service import Runtime
from tosei_console.api.clients import client_page
from tosei_console.api.corrections import after_client_form
from tosei_console.api.pages import Posted, Refused, Signed, Visitor, render
from tosei_console.api.problems import refused_page
from tosei_console.disclosure_pdf import render as render_pdf
from tosei_console.domain.disclosure import DisclosureBundle
from tosei_console.handlers.disclosure import gather

Contacts = Annotated[list[str] | None, Query()]


async def bundled(
    request: Request, who: Visitor, client_id: uuid.UUID, contacts: list[str] | None
) -> DisclosureBundle | Response:
    """The bundle, or the page of the service's refusal."""
    found = await gather(who.services, client_id, contacts or [], who.runtime.clock.now())
    if isinstance(found, DisclosureBundle):
        return found
    return refused_page(request, who, found)


#: The erasure form's checkbox: nothing is asked of intake without it.
CONFIRMED = "消去すると元に戻せないことを確認しました"


def _unconfirmed(typed: dict[str, str]) -> Refused:
    return Refused(
        "erasure",
        typed,
        {"confirm": f"「{CONFIRMED}」にチェックを入れてください"},
        "消去の確認にチェックが入っていないため、消去していません",
        422,
    )


def _use_command(action: str, done: str) -> Callable[..., Awaitable[Response]]:
    """The form post that stops (or resumes) the use of the client's records, places or lifts
    a legal hold, or erases the client (that one only when confirmed), with a reason."""

    async def use(request: Request, who: Posted, client_id: uuid.UUID) -> Response:
        form = await request.form()
        if action == "erasure" and form.get("confirm") != "yes":
            typed = {k: str(v) for k, v in form.items()}
            return await client_page(request, who, client_id, _unconfirmed(typed))
        answer = await who.services.post(
            "intake", f"/clients/{client_id}/{action}", {"reason": form.get("reason") or None}
        )
        if answer.ok:
            return RedirectResponse(f"/clients/{client_id}?done={done}", status_code=303)
        return await after_client_form(request, who, client_id, answer, action, form)

    return use


def router(_: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/clients/{client_id}/disclosure", response_model=None)
    async def disclosure_page(request: Request, who: Signed, client_id: uuid.UUID) -> Response:
        answer = await who.services.get("intake", f"/clients/{client_id}")
        if not answer.ok:
            return refused_page(request, who, answer)
        return render(
            request,
            "clients/disclosure.html",
            who,
            title=f"本人開示 {answer.body['name']}",
            client=answer.body,
        )

    @routes.get("/clients/{client_id}/disclosure.json", response_model=None)
    async def disclosure_json(
        request: Request, who: Signed, client_id: uuid.UUID, contacts: Contacts = None
    ) -> Response:
        found = await bundled(request, who, client_id, contacts)
        if isinstance(found, Response):
            return found
        return download(
            found.model_dump_json(indent=2).encode(),
            f"保有個人情報開示_{found.produced_on}.json",
            "application/json",
            ascii_filename="disclosure.json",
        )

    @routes.get("/clients/{client_id}/disclosure.pdf", response_model=None)
    async def disclosure_pdf(
        request: Request, who: Signed, client_id: uuid.UUID, contacts: Contacts = None
    ) -> Response:
        found = await bundled(request, who, client_id, contacts)
        if isinstance(found, Response):
            return found
        pdf = await asyncio.to_thread(render_pdf, found)
        return download(
            pdf,
            f"保有個人情報開示_{found.produced_on}.pdf",
            "application/pdf",
            ascii_filename="disclosure.pdf",
        )

    for action, done in (
        ("stop-use", "use_stopped"),
        ("resume-use", "use_resumed"),
        ("legal-hold", "held"),
        ("legal-hold/lift", "hold_lifted"),
        ("erasure", "erased"),
    ):
        routes.add_api_route(
            f"/clients/{{client_id}}/{action}",
            _use_command(action, done),
            methods=["POST"],
            response_model=None,
        )

    return routes
