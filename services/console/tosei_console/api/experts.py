"""支援人材: the registry of experts, their capacity, specialities and whether they take cases."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from tosei_common.catalogue.caseflow import Track
from tosei_common.catalogue.intake import Category
from tosei_common.platform.service import Runtime
from tosei_console.api.pages import Posted, Signed, Visitor, render
from tosei_console.api.problems import refused_page


async def _registry(
    request: Request,
    who: Visitor,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    message: str | None = None,
    status_code: int = 200,
) -> Response:
    answer = await who.services.get("caseflow", "/experts")
    if not answer.ok:
        return refused_page(request, who, answer)
    return render(
        request,
        "experts/registry.html",
        who,
        title="支援人材",
        experts=answer.body["experts"],
        tracks=list(Track),
        categories=list(Category),
        values=values or {"weekly_capacity": "5"},
        errors=errors or {},
        message=message,
        done=request.query_params.get("done"),
        status_code=status_code,
    )


def router(_: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/experts", response_model=None)
    async def registry(request: Request, who: Signed) -> Response:
        return await _registry(request, who)

    @routes.post("/experts", response_model=None)
    async def register(request: Request, who: Posted) -> Response:
        form = await request.form()
        capacity = str(form.get("weekly_capacity", "")).strip()
        body = {
            "name": str(form.get("name", "")),
            "track": str(form.get("track", "")) or None,
            "specialities": [str(c) for c in form.getlist("specialities")],
            "weekly_capacity": int(capacity) if capacity.isdigit() else capacity or None,
        }
        answer = await who.services.post("caseflow", "/experts", body)
        if answer.ok:
            return RedirectResponse("/experts?done=added", status_code=303)
        if answer.status != 422:
            return refused_page(request, who, answer)
        values: dict[str, Any] = {k: str(v) for k, v in form.items() if k != "specialities"}
        values["specialities"] = body["specialities"]
        return await _registry(
            request,
            who,
            values=values,
            errors=answer.field_messages,
            message=answer.message,
            status_code=422,
        )

    @routes.post("/experts/{expert_id}", response_model=None)
    async def change(request: Request, who: Posted, expert_id: uuid.UUID) -> Response:
        form = await request.form()
        change: dict[str, Any] = {}
        if "active" in form:
            change["active"] = form["active"] == "true"
        capacity = str(form.get("weekly_capacity", "")).strip()
        if capacity:
            change["weekly_capacity"] = int(capacity) if capacity.isdigit() else capacity
        answer = await who.services.patch("caseflow", f"/experts/{expert_id}", change)
        if not answer.ok:
            if answer.status == 422:
                return await _registry(request, who, message=answer.message, status_code=422)
            return refused_page(request, who, answer)
        return RedirectResponse("/experts?done=changed", status_code=303)

    return routes
