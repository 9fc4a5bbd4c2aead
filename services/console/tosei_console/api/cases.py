"""案件: my cases, the queue, one case with its whole timeline, and the work done on it."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tosei_common.catalogue.caseflow import (
    CaseState,
    OutcomeType,
    SessionMode,
    Track,
    TransferReason,
)
from tosei_common.platform.principal import Role
from tosei_common.platform.service import Runtime
from tosei_common.region.municipalities import REGION
from tosei_console.api.pages import NOT_REFUSED, Posted, Refused, Signed, Visitor, render
from tosei_console.api.problems import refused_page
from tosei_console.domain import forms
from tosei_console.domain.timeline import actor_label, detail, kind_label
from tosei_console.handlers import accounts

#: The forms of the case page: the path they post to (``{entry_id}``: the session or outcome
#: the form is about) and how the form becomes a body.
ACTIONS: dict[str, tuple[str, Callable[[Any], dict[str, Any]]]] = {
    "session": ("sessions", forms.session_body),
    "transfer": ("transfer", forms.transfer_body),
    "transition": ("transitions", forms.transition_body),
    "outcome": ("outcomes", forms.outcome_body),
    "referral": ("referrals", forms.referral_body),
    "void-session": ("sessions/{entry_id}/void", forms.void_body),
    "void-outcome": ("outcomes/{entry_id}/void", forms.void_body),
}

DONE = {
    "session": "相談の記録を保存しました",
    "transfer": "案件を引き継ぎました",
    "transition": "案件の状態を変更しました",
    "outcome": "成果を記録しました",
    "referral": "外部専門家への依頼を記録しました",
    "void-session": "相談の記録を取り消しました（経過には残ります）",
    "void-outcome": "成果の記録を取り消しました（経過には残ります）",
}


async def _case_page(
    request: Request,
    who: Visitor,
    case_id: uuid.UUID,
    refused: Refused | None = None,
) -> Response:
    answer = await who.services.get("caseflow", f"/cases/{case_id}")
    if not answer.ok:
        return refused_page(request, who, answer)
    case = answer.body
    experts: list[dict[str, Any]] = []
    external: list[dict[str, Any]] = []
    async with who.runtime.reading() as conn:
        names = await accounts.names_by_actor(conn)
    listed = await who.services.get("caseflow", "/experts")
    if listed.ok:
        names |= {f"expert:{e['expert_id']}": e["name"] for e in listed.body["experts"]}
    if case["can_change"] and listed.ok:
        experts = [
            e for e in listed.body["experts"] if e["active"] and e["expert_id"] != case["expert_id"]
        ]
    if case["can_change"] and case["consent_to_share"]:
        network = await who.services.get("caseflow", "/external-experts")
        if network.ok:
            external = [e for e in network.body["external_experts"] if e["active"]]
    return render(
        request,
        "cases/case.html",
        who,
        title=f"案件 {str(case_id)[:8].upper()}",
        case=case,
        kind_label=kind_label,
        by=lambda actor: actor_label(actor, names),
        detail=lambda item: detail(item["kind"], item["facts"], names),
        experts=experts,
        external_experts=external,
        **(refused.context() if refused else NOT_REFUSED),
        done=DONE.get(request.query_params.get("done", "")),
        today=who.runtime.clock.today().isoformat(),
        form_key=str(uuid.uuid4()),
        session_modes=[(m.value, m) for m in SessionMode],
        transfer_reasons=list(TransferReason),
        outcome_types=list(OutcomeType),
        status_code=refused.status_code if refused else 200,
    )


def router(_: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/cases", response_model=None)
    async def case_list(
        request: Request,
        who: Signed,
        view: Annotated[str, Query()] = "",
        state: Annotated[str, Query()] = "",
        track: Annotated[str, Query()] = "",
        municipality: Annotated[str, Query()] = "",
    ) -> Response:
        role = who.account.role
        queue = _shows_queue(role, view)
        if queue:
            answer = await who.services.get("caseflow", "/queue")
        else:
            answer = await who.services.get(
                "caseflow", "/cases", state=state, track=track, municipality=municipality, limit=100
            )
        cases = answer.body["cases"] if answer.ok else []
        if not answer.ok:
            return refused_page(request, who, answer)
        return render(
            request,
            "cases/list.html",
            who,
            title="案件",
            cases=cases,
            queue=queue,
            heading=_heading(role, queue),
            filters={"state": state, "track": track, "municipality": municipality},
            states=list(CaseState),
            tracks=list(Track),
            municipalities=REGION,
            today=who.runtime.clock.today().isoformat(),
        )

    @routes.get("/follow-ups", response_model=None)
    async def follow_ups(request: Request, who: Signed) -> Response:
        answer = await who.services.get("caseflow", "/follow-ups/overdue")
        if not answer.ok:
            return refused_page(request, who, answer)
        listed = answer.body["follow_ups"]
        return render(
            request,
            "cases/follow_ups.html",
            who,
            title="期限切れのフォローアップ",
            follow_ups=listed,
            clients=await _who_to_call(who, [f["case_id"] for f in listed]),
        )

    @routes.get("/cases/{case_id}", response_model=None)
    async def case_page(request: Request, who: Signed, case_id: uuid.UUID) -> Response:
        return await _case_page(request, who, case_id)

    @routes.post("/cases/{case_id}/{action}", response_model=None)
    async def act(request: Request, who: Posted, case_id: uuid.UUID, action: str) -> Response:
        return await _act(request, who, case_id, action)

    return routes


async def _act(request: Request, who: Visitor, case_id: uuid.UUID, action: str) -> Response:
    """One of the case page's forms, sent to caseflow; refused forms come back as typed."""
    if action not in ACTIONS:
        return HTMLResponse("そのような操作はありません", status_code=404)
    path, body_of = ACTIONS[action]
    form = await request.form()
    if "{entry_id}" in path:
        try:
            path = path.format(entry_id=uuid.UUID(str(form.get("entry_id") or "")))
        except ValueError:
            return HTMLResponse("取り消す記録が指定されていません", status_code=422)
    answer = await who.services.post(
        "caseflow",
        f"/cases/{case_id}/{path}",
        body_of(form),
        idempotency_key=str(form.get("idempotency_key") or "") or None,
    )
    if answer.ok:
        return RedirectResponse(f"/cases/{case_id}?done={action}", status_code=303)
    if answer.status != 422:
        return refused_page(request, who, answer)
    typed = {k: str(v) for k, v in form.items()}
    return await _case_page(request, who, case_id, Refused.of(action, typed, answer))


async def _who_to_call(who: Visitor, case_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The client of each case (intake's consultation: name, phone, business), for the
    person who follows up. Only what intake lets this person read; the first 100 cases."""
    answers = await asyncio.gather(
        *(who.services.get("intake", f"/consultations/{case_id}") for case_id in case_ids[:100])
    )
    return {case_id: a.body for case_id, a in zip(case_ids, answers, strict=False) if a.ok}


def _shows_queue(role: Role, view: str) -> bool:
    """A coordinator starts at the queue of unassigned cases; an expert sees only their own."""
    if role is Role.EXPERT or view == "all":
        return False
    return view == "queue" or role is Role.COORDINATOR


def _heading(role: Role, queue: bool) -> str:
    if queue:
        return "担当者の決まっていない案件"
    if role is Role.EXPERT:
        return "わたしの案件"
    return "すべての案件"
