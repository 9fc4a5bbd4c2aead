"""What people read and type: answers in Japanese (English on request) naming the field, fiscal
years in every usual spelling, free text stored exactly as typed."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.resilience.plan import (
    AUDITOR,
    COORDINATOR,
    DESK,
    EN,
    HIRANAI,
    SNOW_PLOUGHS,
    PlanClient,
    item,
    officer,
)
from tosei_common.platform.principal import Principal, Role
from tosei_common.platform.service import Runtime
from tosei_resilience.domain.plan_item import PlanItemContent
from tosei_resilience.handlers import plan_items

MISSING = "5b0e3c1e-8f0e-4a43-9d0a-2f1f3c6a9b11"


async def _both(http: httpx.AsyncClient, method: str, path: str, **kwargs: Any) -> tuple[Any, Any]:
    """The same request answered in Japanese (the default) and in English."""
    headers = kwargs.pop("headers")
    ja = await http.request(method, path, headers=headers, **kwargs)
    en = await http.request(method, path, headers=headers | EN, **kwargs)
    assert ja.status_code == en.status_code
    assert ja.json()["error"] == en.json()["error"]
    return ja.json(), en.json()


async def test_a_refusal_of_the_role_is_said_in_japanese(http: httpx.AsyncClient) -> None:
    ja, en = await _both(http, "GET", "/plan-items", headers=DESK)
    assert ja["message"] == (
        "国土強靱化地域計画の閲覧はコーディネーター・市町村の職員・監査担当だけが行えます"
        "（あなたは相談窓口の職員です）"
    )
    assert "the token has desk" in en["message"]


async def test_an_unknown_item_is_said_in_japanese(http: httpx.AsyncClient) -> None:
    ja, en = await _both(http, "GET", f"/plan-items/{MISSING}", headers=AUDITOR)
    assert ja["message"] == f"計画事業（ID: {MISSING}）が見つかりません"
    assert en["message"] == f"no plan item {MISSING}"


async def test_a_stale_version_and_a_forbidden_transition_are_said_in_japanese(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    added = await plan.add(item(SNOW_PLOUGHS, status="done"), officer(HIRANAI))
    await plan.revise(added, COORDINATOR, estimated_cost_yen=50_000_000)
    path = f"/plan-items/{added['id']}"

    stale, _ = await _both(
        http,
        "PATCH",
        path,
        json={"version": 1, "reason": "古い画面から", "estimated_cost_yen": 1},
        headers=officer(HIRANAI),
    )
    assert stale["error"] == "conflict"
    assert stale["message"].startswith(
        "計画事業 No.1「冬期道路交通確保のための除雪機械の更新」は他の人が変更しました（現在は第2版"
    )
    backwards, _ = await _both(
        http,
        "PATCH",
        path,
        json={"version": 2, "reason": "誤り", "status": "planned"},
        headers=officer(HIRANAI),
    )
    assert backwards["error"] == "invalid_transition"
    assert backwards["message"].endswith(
        "の進捗状況は完了（done）から計画（planned）には変えられません"
    )


async def test_a_rule_of_the_plan_names_the_field_in_japanese(http: httpx.AsyncClient) -> None:
    body = item(SNOW_PLOUGHS, fiscal_year_to=2021)
    ja, en = await _both(http, "POST", "/plan-items", json=body, headers=officer(HIRANAI))

    assert ja["error"] == "validation_failed"
    assert {f["field"]: f["message"] for f in ja["fields"]} == {
        "fiscal_year_to": "終了年度（令和3年度）が開始年度（令和4年度）より前です"
    }
    [problem] = en["fields"]
    assert problem == {
        "field": "fiscal_year_to",
        "message": "the last fiscal year (2021) is before the first (2022)",
    }


async def test_an_unknown_reference_names_the_field_in_japanese(http: httpx.AsyncClient) -> None:
    body = item(SNOW_PLOUGHS, policy_area="bridges")
    ja, _ = await _both(http, "POST", "/plan-items", json=body, headers=officer(HIRANAI))
    [problem] = ja["fields"]
    assert problem["field"] == "policy_area"
    assert problem["message"].startswith("計画に施策分野「bridges」はありません")


async def test_a_coordinator_who_does_not_say_whose_item_is_told_in_japanese(
    http: httpx.AsyncClient,
) -> None:
    body = {k: v for k, v in SNOW_PLOUGHS.items() if k != "municipality"}
    ja, _ = await _both(http, "POST", "/plan-items", json=body, headers=COORDINATOR)
    assert ja["fields"] == [
        {"field": "municipality", "message": "コーディネーターは入力が必要です"}
    ]


async def test_an_unknown_municipality_in_a_query_is_said_in_japanese(
    http: httpx.AsyncClient,
) -> None:
    ja, en = await _both(http, "GET", "/review-flags?municipality=八戸市", headers=AUDITOR)
    [problem] = ja["fields"]
    assert problem["field"] == "municipality"
    assert problem["message"].startswith("「八戸市」は東青圏域の市町村ではありません")
    assert "not a municipality" in en["fields"][0]["message"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"as_of": "2024/5/1\x07"}, "as_of"), ({"municipality": "平内\x00"}, "municipality")],
)
async def test_a_control_character_in_a_query_is_refused_naming_it(
    http: httpx.AsyncClient, params: dict[str, str], field: str
) -> None:
    response = await http.get("/plan-items", params=params, headers=AUDITOR)
    assert response.status_code == 422
    [problem] = response.json()["fields"]
    assert problem["field"] == field
    assert "制御文字" in problem["message"]


SPELLINGS = [2026, "2026", "FY2026", "2026年度", "令和8年度", "R8"]


@pytest.mark.parametrize("spelling", SPELLINGS, ids=str)
async def test_a_fiscal_year_is_taken_in_every_usual_spelling_everywhere(
    plan: PlanClient, http: httpx.AsyncClient, spelling: int | str
) -> None:
    kpi = {"indicator": "除雪完了率", "target": 100, "target_fiscal_year": spelling}
    added = await plan.add(
        item(SNOW_PLOUGHS, fiscal_year_from=spelling, fiscal_year_to=spelling, kpis=[kpi]),
        officer(HIRANAI),
    )
    assert (added["fiscal_year_from"], added["fiscal_year_to"]) == (2026, 2026)
    assert added["kpis"][0]["target_fiscal_year"] == 2026
    revised = await plan.revise(added, officer(HIRANAI), fiscal_year_from="R7")
    assert revised["fiscal_years_label"] == "令和7年度～令和8年度"

    programme = await http.post(
        "/funding-programmes",
        json={
            "name": "防災・安全交付金",
            "ministry": "国土交通省",
            "condition": "required",
            "effective_from_fiscal_year": spelling,
            "reason": "登録",
        },
        headers=COORDINATOR,
    )
    assert programme.status_code == 201, programme.text
    assert programme.json()["effective_from_label"] == "令和8年度"

    summary = await plan.get(f"/summaries/{spelling}")
    assert summary["fiscal_year_display"] == "令和8年度 (FY2026)"
    export = await http.get(f"/summaries/{spelling}/export", headers=AUDITOR)
    assert export.status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/plan-items", item(SNOW_PLOUGHS, fiscal_year_from=1999), "fiscal_year_from"),
        ("POST", "/plan-items", item(SNOW_PLOUGHS, fiscal_year_to="令和83年度"), "fiscal_year_to"),
        ("GET", "/summaries/2101", None, "fiscal_year"),
    ],
)
async def test_a_fiscal_year_out_of_range_is_refused_with_the_range(
    http: httpx.AsyncClient, method: str, path: str, body: dict[str, Any] | None, field: str
) -> None:
    ja, en = await _both(http, method, path, json=body, headers=officer(HIRANAI))
    assert ja["error"] == "validation_failed"
    [problem] = [f for f in ja["fields"] if f["field"] == field]
    assert "平成12年度（2000）から令和82年度（2100）の間" in problem["message"]
    assert (
        "between 2000 and 2100" in next(f for f in en["fields"] if f["field"] == field)["message"]
    )


async def test_free_text_is_stored_exactly_as_typed(plan: PlanClient) -> None:
    typed = {
        "title": "除雪機械の更新（第２期）　ロータリー車ＲＳ－２",
        "lead_department": "建設課  道路係",
        "reason": "資材価格の高騰により\r\n事業費を見直し\t（再掲）",
    }
    added = await plan.add(item(SNOW_PLOUGHS, **typed), officer(HIRANAI))

    assert added["title"] == typed["title"]
    assert added["lead_department"] == typed["lead_department"]
    [first] = (await plan.get(f"/plan-items/{added['id']}/history"))["revisions"]
    assert first["reason"] == "資材価格の高騰により\n事業費を見直し\t（再掲）"


async def test_two_programmes_cannot_share_a_name_however_it_is_typed(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    await plan.programme("GX推進交付金")
    body = {"name": "ＧＸ推進交付金", "ministry": "環境省", "condition": "none", "reason": "重複"}
    ja, _ = await _both(http, "POST", "/funding-programmes", json=body, headers=COORDINATOR)
    assert ja["error"] == "conflict"
    assert ja["message"] == "交付金・補助金「GX推進交付金」はすでに登録されています"
    assert [f["field"] for f in ja["fields"]] == ["name"]


async def test_a_list_entry_taken_names_the_code_or_the_name(http: httpx.AsyncClient) -> None:
    code, _ = await _both(
        http,
        "POST",
        "/risk-scenarios",
        json={"code": "1-1", "name": "別の事態"},
        headers=COORDINATOR,
    )
    area = {"code": "roads", "name": "交通・物流"}
    name, _ = await _both(http, "POST", "/policy-areas", json=area, headers=COORDINATOR)
    assert (code["error"], [f["field"] for f in code["fields"]]) == ("conflict", ["code"])
    assert (name["error"], [f["field"] for f in name["fields"]]) == ("conflict", ["name"])
    assert name["message"].startswith("「交通・物流」という施策分野はすでにあります")


async def test_every_change_is_audited_with_who_and_why(plan: PlanClient, service: Runtime) -> None:
    added = await plan.add(SNOW_PLOUGHS, officer(HIRANAI, "hiranai-kimura"))
    await plan.revise(added, COORDINATOR, estimated_cost_yen=1, reason="再見積")

    async with service.reading() as conn:
        rows = await conn.fetch(
            "SELECT actor, entity, entity_id, action, reason, changes FROM audit_log ORDER BY id"
        )
    assert [(r["actor"], r["entity"], r["action"], r["reason"]) for r in rows] == [
        ("municipality:hiranai-kimura", "plan_item", "added", SNOW_PLOUGHS["reason"]),
        ("coordinator:kikaku-sato", "plan_item", "revised", "再見積"),
    ]
    assert {r["entity_id"] for r in rows} == {added["id"]}

    # the auditors' query, the same in every service: old → new, per member of staff
    officer_asks = await plan.http.get("/audit-log", headers=officer(HIRANAI, "hiranai-kimura"))
    assert officer_asks.status_code == 403
    page = await plan.http.get(
        "/audit-log", params={"actor": "coordinator:kikaku-sato"}, headers=AUDITOR
    )
    assert page.status_code == 200, page.text
    (revised,) = page.json()["entries"]
    assert revised["changes"]["estimated_cost_yen"]["new"] == 1
    assert set(revised["changes"]["estimated_cost_yen"]) == {"old", "new"}
    sheet = await plan.http.get("/audit-log.csv", headers=COORDINATOR)
    assert sheet.content.decode("utf-8-sig").startswith("日時,日付（和暦）,操作した者")


async def test_a_command_is_all_or_nothing_in_the_unit_of_work_it_is_given(
    service: Runtime,
) -> None:
    who = Principal(subject="kikaku-sato", role=Role.COORDINATOR)
    content = PlanItemContent(
        title="除雪機械の更新",
        municipality=HIRANAI,
        risk_scenario="1-6",
        policy_area="transport",
        lead_department="建設課",
        estimated_cost_yen=None,
        fiscal_year_from=2024,
        fiscal_year_to=2026,
        status="planned",
        funding_programmes=(),
        kpis=(),
    )

    async def add_then_fail() -> None:
        async with service.unit_of_work(who) as uow:
            added = await plan_items.add(uow, who, content, "追加")
            assert added.number == 1
            raise RuntimeError("after the add")

    with pytest.raises(RuntimeError, match="after the add"):
        await add_then_fail()

    async with service.reading() as conn:
        written = await conn.fetchval(
            "SELECT (SELECT count(*) FROM plan_items) + (SELECT count(*) FROM outbox)"
            " + (SELECT count(*) FROM audit_log)"
        )
    assert written == 0
