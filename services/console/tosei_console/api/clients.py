"""相談者: find a client however their name was written, see all they consulted on, correct
their details, merge two, and undo a mistaken merge."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from tosei_common.platform.principal import Role
from tosei_common.platform.service import Runtime
from tosei_console.api.pages import NOT_REFUSED, Posted, Refused, Signed, Visitor, render
from tosei_console.api.problems import refused_page


async def client_page(
    request: Request,
    who: Visitor,
    client_id: uuid.UUID,
    refused: Refused | None = None,
) -> Response:
    answer = await who.services.get("intake", f"/clients/{client_id}")
    if not answer.ok:
        return refused_page(request, who, answer)
    duplicates = await who.services.get("intake", f"/clients/{client_id}/possible-duplicates")
    return render(
        request,
        "clients/client.html",
        who,
        title=f"相談者 {answer.body['name']}",
        client=answer.body,
        duplicates=duplicates.body if duplicates.ok else [],
        expert_names=await expert_names(who, answer.body["consultations"]),
        merged=request.query_params.get("merged"),
        done=DONE.get(request.query_params.get("done", "")),
        **(refused.context() if refused else NOT_REFUSED),
        may_correct=who.account.role in (Role.DESK, Role.COORDINATOR),
        status_code=refused.status_code if refused else 200,
    )


async def expert_names(who: Visitor, consultations: list[dict[str, Any]]) -> dict[str, str]:
    """The names of the experts the client's cases are assigned to: intake knows only their
    ids (the registry is caseflow's), so they are looked up there when there is one to show."""
    if not any(c.get("assigned_expert") for c in consultations):
        return {}
    listed = await who.services.get("caseflow", "/experts")
    if not listed.ok:
        return {}
    return {e["expert_id"]: e["name"] for e in listed.body["experts"]}


DONE = {
    "corrected": "相談者の情報を訂正しました（訂正前の内容と理由は記録に残ります）",
    "unmerged": "統合を取り消しました。元の記録は別の相談者に戻りました",
    "use_stopped": "この相談者の記録の利用を停止しました（理由は記録に残ります）",
    "use_resumed": "この相談者の記録の利用停止を解除しました",
    "held": "訴訟等による保存を設定しました。解除するまで、この相談者の記録は消去されません",
    "hold_lifted": "訴訟等による保存を解除しました（理由は記録に残ります）",
    "erased": "この相談者の個人情報を消去しました（統計に使う項目は残ります）",
}


def router(_: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/clients", response_model=None)
    async def search(request: Request, who: Signed, q: Annotated[str, Query()] = "") -> Response:
        found = []
        if q.strip():
            answer = await who.services.get("intake", "/clients", q=q.strip(), limit=50)
            if not answer.ok:
                return refused_page(request, who, answer)
            found = answer.body
        return render(request, "clients/search.html", who, title="相談者", q=q, clients=found)

    @routes.get("/clients/{client_id}", response_model=None)
    async def client(request: Request, who: Signed, client_id: uuid.UUID) -> Response:
        return await client_page(request, who, client_id)

    @routes.get("/clients/{client_id}/merge", response_model=None)
    async def confirm_merge(
        request: Request, who: Signed, client_id: uuid.UUID, duplicate_id: uuid.UUID
    ) -> Response:
        kept = await who.services.get("intake", f"/clients/{client_id}")
        merged = await who.services.get("intake", f"/clients/{duplicate_id}")
        for answer in (kept, merged):
            if not answer.ok:
                return refused_page(request, who, answer)
        return render(
            request,
            "clients/merge.html",
            who,
            title="相談者の統合",
            kept=kept.body,
            merged=merged.body,
        )

    @routes.post("/clients/{client_id}/merge", response_model=None)
    async def merge(
        request: Request,
        who: Posted,
        client_id: uuid.UUID,
        duplicate_id: Annotated[uuid.UUID, Form()],
    ) -> Response:
        answer = await who.services.post(
            "intake", f"/clients/{client_id}/merge", {"duplicate_id": str(duplicate_id)}
        )
        if not answer.ok:
            return refused_page(request, who, answer)
        moved = len(answer.body["moved_consultations"])
        return RedirectResponse(f"/clients/{client_id}?merged={moved}", status_code=303)

    return routes
