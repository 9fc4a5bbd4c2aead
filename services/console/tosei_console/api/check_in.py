"""当日の受付: at the door, on a phone or a tablet. The reference is typed or read from the
registrant's QR code by the device's camera (static/checkin.js, with the vendored jsQR); the
page shows who it is and how they attend, the coordinator checks them in, and the running count
of each mode stays on screen."""

from __future__ import annotations

import uuid
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from tosei_common.platform.service import Runtime
from tosei_console.api.pages import Posted, Signed, Visitor, render
from tosei_console.api.problems import refused_page
from tosei_console.api.seminars import page_context, seminar_of
from tosei_console.domain import seminar_forms as forms


async def _found(who: Visitor, seminar_id: uuid.UUID, reference: str) -> dict[str, Any]:
    """The registration a reference names, if it is this seminar's: what the door needs to
    know before checking someone in (their name, mode, place and status)."""
    answer = await who.services.get("seminar", f"/registrations/{quote(reference, safe='')}")
    if answer.status == 404:
        return {
            "lookup_error": f"受付番号「{reference}」の申込は見つかりません。番号を確かめてください"
        }
    if not answer.ok:
        return {"lookup_error": answer.message}
    if answer.body["seminar"]["id"] != str(seminar_id):
        seminar = answer.body["seminar"]
        return {
            "lookup_error": f"受付番号「{reference}」は{seminar['fiscal_year_label']}の研修会"
            f"「{seminar['title']}」の申込です。この研修会の申込ではありません"
        }
    return {"found": answer.body}


async def _counts(who: Visitor, seminar_id: uuid.UUID) -> list[dict[str, Any]]:
    """Checked in so far of each mode, out of those with a seat."""
    answer = await who.services.get("seminar", f"/seminars/{seminar_id}/attendance")
    return list(answer.body["by_mode"]) if answer.ok else []


async def _page(
    request: Request,
    who: Visitor,
    seminar_id: uuid.UUID,
    *,
    reference: str = "",
    checked: str = "",
    again: bool = False,
    refused: str | None = None,
    status_code: int = 200,
) -> Response:
    answer = await seminar_of(who, seminar_id)
    if not answer.ok:
        return refused_page(request, who, answer)
    context: dict[str, Any] = {"found": None, "lookup_error": None, "checked_in": None}
    if reference:
        context |= await _found(who, seminar_id, reference)
    if checked:
        done = await _found(who, seminar_id, checked)
        context["checked_in"] = done.get("found")
    counts = await _counts(who, seminar_id)
    return render(
        request,
        "seminars/check_in.html",
        who,
        title=f"当日の受付 {answer.body['fiscal_year_label']}",
        **page_context(who, answer.body, "check-in"),
        **context,
        reference=reference,
        again=again,
        refused=refused,
        counts=counts,
        checked_total=sum(c["attended"] or 0 for c in counts),
        seated_total=sum(c["registered"] or 0 for c in counts),
        status_code=status_code,
    )


def router(_: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/seminars/{seminar_id}/check-in", response_model=None)
    async def check_in_page(
        request: Request,
        who: Signed,
        seminar_id: uuid.UUID,
        reference: Annotated[str, Query(max_length=400)] = "",
        checked: Annotated[str, Query(max_length=40)] = "",
        again: Annotated[str, Query()] = "",
    ) -> Response:
        return await _page(
            request,
            who,
            seminar_id,
            reference=forms.scanned_reference(reference),
            checked=checked,
            again=again == "yes",
        )

    @routes.post("/seminars/{seminar_id}/check-in", response_model=None)
    async def check_in(request: Request, who: Posted, seminar_id: uuid.UUID) -> Response:
        form = await request.form()
        body = forms.check_in_body(form)
        answer = await who.services.post("seminar", f"/seminars/{seminar_id}/check-ins", body)
        if answer.ok:
            again = "&again=yes" if answer.body["already_checked_in"] else ""
            reference = quote(answer.body["reference"], safe="")
            return RedirectResponse(
                f"/seminars/{seminar_id}/check-in?checked={reference}{again}", status_code=303
            )
        if answer.status in (401, 403, 503):
            return refused_page(request, who, answer)
        return await _page(
            request,
            who,
            seminar_id,
            reference=body["reference"],
            refused=answer.message,
            status_code=answer.status,
        )

    return routes
