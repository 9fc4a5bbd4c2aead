"""相談受付: the desk registers a consultation, seeing who it may be before saving."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tosei_common.catalogue.intake import BusinessStage, Category, Channel
from tosei_common.platform.principal import Role
from tosei_common.platform.service import Runtime
from tosei_common.region.municipalities import REGION
from tosei_console.api.pages import Posted, Refused, Signed, Visitor, render
from tosei_console.api.problems import refused_page
from tosei_console.domain.forms import consultation_body

MATCH_LIMIT = 5


def _form_page(
    request: Request,
    who: Any,
    *,
    values: dict[str, Any],
    errors: dict[str, str],
    message: str | None,
    idempotency_key: str,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "desk/new.html",
        who,
        title="相談受付",
        values=values,
        errors=errors,
        message=message,
        idempotency_key=idempotency_key,
        stages=list(BusinessStage),
        categories=list(Category),
        channels=list(Channel),
        municipality_options=[(m.name, m.name) for m in REGION],
        status_code=status_code,
    )


async def _matching_clients(who: Visitor, name: str, phone: str) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for query in (name.strip(), phone.strip()):
        if len(query) < 2:
            continue
        answer = await who.services.get("intake", "/clients", q=query, limit=MATCH_LIMIT)
        if answer.ok:
            for client in answer.body:
                found.setdefault(client["id"], client)
    return list(found.values())[:MATCH_LIMIT]


def router(_: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/desk/new")
    async def new_consultation(request: Request, who: Signed) -> HTMLResponse:
        return _form_page(
            request,
            who,
            values={"channel": "walk_in"},
            errors={},
            message=None,
            idempotency_key=str(uuid.uuid4()),
        )

    @routes.post("/desk/new", response_model=None)
    async def register(request: Request, who: Posted) -> Response:
        form = await request.form()
        categories = [str(c) for c in form.getlist("categories")]
        key = str(form.get("idempotency_key") or uuid.uuid4())
        answer = await who.services.post(
            "intake", "/consultations", consultation_body(form, categories), idempotency_key=key
        )
        if answer.ok:
            return RedirectResponse(f"/consultations/{answer.body['id']}?registered=1", 303)
        if answer.status != 422:
            return refused_page(request, who, answer)
        values: dict[str, Any] = {k: str(v) for k, v in form.items() if k != "categories"}
        values["categories"] = categories
        # The same key would replay this refusal: a corrected form is a new request.
        return _form_page(
            request,
            who,
            values=values,
            errors=answer.field_messages,
            message=answer.message,
            idempotency_key=str(uuid.uuid4()),
            status_code=422,
        )

    @routes.get("/desk/matches")
    async def matches(
        request: Request,
        who: Signed,
        name: Annotated[str, Query(alias="person.name")] = "",
        phone: Annotated[str, Query(alias="person.phone")] = "",
    ) -> HTMLResponse:
        """Clients already on file whom the typed name or phone would match."""
        clients = await _matching_clients(who, name, phone)
        return render(request, "desk/matches.html", who, clients=clients)

    @routes.get("/consultations/{consultation_id}", response_model=None)
    async def consultation(request: Request, who: Signed, consultation_id: uuid.UUID) -> Response:
        return await consultation_page(request, who, consultation_id)

    return routes


async def consultation_page(
    request: Request,
    who: Visitor,
    consultation_id: uuid.UUID,
    refused: Refused | None = None,
) -> Response:
    answer = await who.services.get("intake", f"/consultations/{consultation_id}")
    if not answer.ok:
        return refused_page(request, who, answer)
    c = answer.body
    failed = refused.form if refused else None
    typed = refused.values if refused else {}
    as_on_file = {
        "municipality": c["municipality"]["name"],
        "stage": c["stage"],
        "categories": c["categories"],
        "channel": c["channel"],
        "description": c["description"],
    }
    return render(
        request,
        "desk/consultation.html",
        who,
        title="相談の内容",
        c=answer.body,
        registered=request.query_params.get("registered") == "1",
        consent_done=request.query_params.get("consent") == "1",
        corrected=request.query_params.get("corrected") == "1",
        may_record_consent=who.account.role in (Role.DESK, Role.COORDINATOR),
        failed=failed,
        consent_values=typed
        if failed == "consent"
        else {"given_on": who.runtime.clock.today().isoformat()},
        correct_values=typed if failed == "correct" else as_on_file,
        errors=refused.errors if refused else {},
        stages=list(BusinessStage),
        categories=list(Category),
        channels=list(Channel),
        municipality_options=[(m.name, m.name) for m in REGION],
        message=refused.message if refused else None,
        status_code=refused.status_code if refused else 200,
    )
