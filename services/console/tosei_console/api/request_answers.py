"""重点要望の回答と引き継ぎ: the prefecture's answers (recorded per item, summed up per year and
town), requests carried into the next fiscal year (opening it when it is not yet), and one
request's lineage across the years."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from tosei_common.platform.principal import Role
from tosei_common.platform.service import Runtime
from tosei_common.region.fiscal import fiscal_year_label
from tosei_console.api.pages import Posted, Refused, Signed, Visitor, render
from tosei_console.api.problems import refused_page
from tosei_console.api.request_items import SERVICE, item_page_of, open_years
from tosei_console.domain import request_forms as forms
from tosei_console.upstream import Answer

DERIVATIONS = {"carried": "継続", "merged": "統合", "split": "分割"}


async def _answers_page(
    request: Request,
    who: Visitor,
    year: int,
    *,
    errors: dict[str, str] | None = None,
    message: str | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    answer = await who.services.get(SERVICE, f"/answers/{year}")
    if not answer.ok and answer.status != 404:
        return refused_page(request, who, answer)
    found = answer.body if answer.ok else None
    entries = found["entries"] if found else []
    fixed = False
    if found:
        briefing = await who.services.get(SERVICE, f"/briefings/{year}")
        fixed = briefing.ok and briefing.body["agenda_fixed_at"] is not None
    candidates = [
        e for e in entries if e["answer"] is None or e["answer"]["status"] in forms.CARRIED_ON
    ]
    return render(
        request,
        "requests/answers.html",
        who,
        title=f"{fiscal_year_label(year)} 県の回答",
        year=year,
        found=found,
        entries=entries,
        fixed=fixed,
        candidates=candidates if fixed else [],
        next_year=year + 1,
        next_open=(year + 1) in await open_years(who),
        coordinator=who.account.role is Role.COORDINATOR,
        values=values or {},
        errors=errors or {},
        message=message,
        form_key=str(uuid.uuid4()),
        status_code=status_code,
    )


async def _carry(who: Visitor, item_id: str, reason: str | None, key: str) -> Answer:
    return await who.services.post(
        SERVICE,
        f"/request-items/{item_id}/carry-over",
        {"reason": reason},
        idempotency_key=key,
    )


def router(_: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/requests/{year}/answers", response_model=None)
    async def answers_page(request: Request, who: Signed, year: int) -> Response:
        return await _answers_page(request, who, year)

    @routes.post("/requests/items/{item_id}/answer", response_model=None)
    async def record_answer(request: Request, who: Posted, item_id: uuid.UUID) -> Response:
        return await _record_answer(request, who, item_id, await request.form())

    @routes.post("/requests/items/{item_id}/carry-over", response_model=None)
    async def carry_one(request: Request, who: Posted, item_id: uuid.UUID) -> Response:
        return await _carry_one(request, who, item_id, await request.form())

    @routes.post("/requests/{year}/carry-over", response_model=None)
    async def carry_many(request: Request, who: Posted, year: int) -> Response:
        return await _carry_many(request, who, year, await request.form())

    @routes.get("/requests/items/{item_id}/lineage", response_model=None)
    async def lineage(request: Request, who: Signed, item_id: uuid.UUID) -> Response:
        answer = await who.services.get(SERVICE, f"/request-items/{item_id}/lineage")
        if not answer.ok:
            return refused_page(request, who, answer)
        chain = answer.body
        references = {n["id"]: n["reference"] for n in chain["items"]}
        return render(
            request,
            "requests/lineage.html",
            who,
            title="要望の年度をまたいだ経緯",
            chain=chain,
            current=str(item_id),
            references=references,
            derivations=DERIVATIONS,
        )

    return routes


def _refused(form_name: str, form: FormData, answer: Answer) -> Refused:
    typed = {k: str(v) for k, v in form.items()}
    refused = Refused.of(form_name, typed, answer)
    validation = isinstance(answer.body, dict) and answer.body.get("error") == "validation_failed"
    message = forms.summary(answer.message, refused.errors, validation=validation)
    return Refused(refused.form, refused.values, refused.errors, message, refused.status_code)


async def _carry_many(request: Request, who: Visitor, year: int, form: FormData) -> Response:
    """The chosen requests into the next year, opening its drafting first when needed."""
    chosen = [str(v) for v in form.getlist("items")]
    typed = {"reason": str(form.get("reason") or "")}
    if not chosen:
        return await _answers_page(
            request,
            who,
            year,
            errors={"items": "引き継ぐ要望を選んでください"},
            message="引き継ぐ要望を選んでください",
            values=typed,
            status_code=422,
        )
    key = str(form.get("idempotency_key") or "") or str(uuid.uuid4())
    if year + 1 not in await open_years(who):
        opened = await who.services.post(
            SERVICE, "/years", {"fiscal_year": year + 1}, idempotency_key=f"{key}-year"
        )
        if not opened.ok:
            return refused_page(request, who, opened)
    reason = forms.reason_body(form)["reason"]
    refusals = []
    for item_id in chosen:
        carried = await _carry(who, item_id, reason, f"{key}-{item_id}")
        if not carried.ok:
            refusals.append(carried.message)
    if refusals:
        return await _answers_page(
            request,
            who,
            year,
            message="引き継げなかった要望があります：" + "／".join(refusals),
            values=typed,
            status_code=422,
        )
    return RedirectResponse(f"/requests?fiscal_year={year + 1}&done=carried", 303)


async def _record_answer(
    request: Request, who: Visitor, item_id: uuid.UUID, form: FormData
) -> Response:
    answer = await who.services.put(
        SERVICE, f"/request-items/{item_id}/answer", forms.answer_body(form)
    )
    if answer.ok:
        return RedirectResponse(f"/requests/items/{item_id}?done=answered#answer", 303)
    if answer.status != 422:
        return refused_page(request, who, answer)
    return await item_page_of(request, who, item_id, _refused("answer", form, answer))


async def _carry_one(
    request: Request, who: Visitor, item_id: uuid.UUID, form: FormData
) -> Response:
    key = str(form.get("idempotency_key") or "") or str(uuid.uuid4())
    answer = await _carry(who, str(item_id), forms.reason_body(form)["reason"], key)
    if answer.ok:
        return RedirectResponse(f"/requests/items/{answer.body['id']}?done=carried", 303)
    if answer.status != 422:
        return refused_page(request, who, answer)
    return await item_page_of(request, who, item_id, _refused("carry", form, answer))
