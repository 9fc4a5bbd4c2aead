"""Bad input is a 4xx that names the field and changes nothing; the plan's lists; metrics; fuzz."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from tests.resilience.plan import (
    AUDITOR,
    COORDINATOR,
    HIRANAI,
    SNOW_PLOUGHS,
    PlanClient,
    item,
    officer,
)
from tosei_common.platform.http import build_app
from tosei_common.platform.service import Runtime

KPI = {"indicator": "除雪完了率", "unit": "%", "target": 100}


async def _nothing_written(service: Runtime) -> bool:
    async with service.pool.acquire() as conn:
        written: int = await conn.fetchval(
            "SELECT (SELECT count(*) FROM plan_items) + (SELECT count(*) FROM outbox)"
        )
    return written == 0


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (item(SNOW_PLOUGHS, fiscal_year_to=2021), "fiscal_year_to", "before the first"),
        (item(SNOW_PLOUGHS, fiscal_year_from="来年度"), "fiscal_year_from", "not a fiscal year"),
        (item(SNOW_PLOUGHS, fiscal_year_from=1999), "fiscal_year_from", "2000"),
        (item(SNOW_PLOUGHS, municipality="八戸市"), "municipality", "not a municipality"),
        (item(SNOW_PLOUGHS, risk_scenario="9-9"), "risk_scenario", "GET /risk-scenarios"),
        (item(SNOW_PLOUGHS, risk_scenario="豪雪"), "risk_scenario", "pattern"),
        (item(SNOW_PLOUGHS, policy_area="bridges"), "policy_area", "no policy area"),
        (item(SNOW_PLOUGHS, title="　 "), "title", "is empty"),
        (item(SNOW_PLOUGHS, title="x" * 201), "title", "longer than 200"),
        (item(SNOW_PLOUGHS, estimated_cost_yen=-1), "estimated_cost_yen", "greater than"),
        (item(SNOW_PLOUGHS, status="retired"), "status", "planned, in_progress or done"),
        (item(SNOW_PLOUGHS, kpis=[KPI, KPI]), "kpis", "listed twice"),
        (item(SNOW_PLOUGHS, kpis=[{**KPI, "target": "NaN"}]), "kpis.0.target", "finite"),
        (item(SNOW_PLOUGHS, lead_department="建設課\x00"), "lead_department", "control"),
        (item(SNOW_PLOUGHS, owner="平内町"), "owner", "Extra inputs"),
        ({k: v for k, v in SNOW_PLOUGHS.items() if k != "reason"}, "reason", "Field required"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
async def test_a_bad_new_item_is_a_422_naming_the_field(
    http: httpx.AsyncClient, service: Runtime, body: dict[str, Any], field: str, words: str
) -> None:
    english = {"Accept-Language": "en"}
    response = await http.post("/plan-items", json=body, headers=officer(HIRANAI) | english)

    assert response.status_code == 422, response.text
    problems = {f["field"]: f["message"] for f in response.json()["fields"]}
    assert field in problems, problems
    assert words in problems[field]
    assert await _nothing_written(service)


async def test_a_coordinator_must_say_whose_item_it_is(
    http: httpx.AsyncClient, service: Runtime
) -> None:
    body = item(SNOW_PLOUGHS)
    del body["municipality"]
    response = await http.post("/plan-items", json=body, headers=COORDINATOR)
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "municipality"
    assert await _nothing_written(service)


async def test_a_revision_cannot_blank_a_required_field(plan: PlanClient) -> None:
    added = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    response = await plan.http.patch(
        f"/plan-items/{added['id']}",
        json={"version": 1, "reason": "消去", "title": None, "risk_scenario": None},
        headers=officer(HIRANAI),
    )
    assert response.status_code == 422
    assert {f["field"] for f in response.json()["fields"]} == {"title", "risk_scenario"}
    assert (await plan.get(f"/plan-items/{added['id']}"))["version"] == 1


async def _written(service: Runtime) -> int:
    """Everything the service has written: rows of its tables and events in its outbox."""
    async with service.pool.acquire() as conn:
        written: int = await conn.fetchval(
            """
            SELECT (SELECT count(*) FROM plan_items) + (SELECT count(*) FROM plan_item_revisions)
                 + (SELECT count(*) FROM funding_programme_revisions)
                 + (SELECT count(*) FROM review_flags WHERE resolved_at IS NOT NULL)
                 + (SELECT count(*) FROM risk_goals) + (SELECT count(*) FROM risk_scenarios)
                 + (SELECT count(*) FROM policy_areas) + (SELECT count(*) FROM outbox)
            """
        )
    return written


async def test_a_control_character_in_a_retirement_reason_is_refused_and_exports_still_open(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    added = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))

    response = await http.post(
        f"/plan-items/{added['id']}/retire",
        json={"version": 1, "retirement": "completed", "reason": "完了\x0cしました"},
        headers=officer(HIRANAI),
    )

    assert response.status_code == 422, response.text
    problems = {f["field"]: f["message"] for f in response.json()["fields"]}
    assert "制御文字" in problems["reason"]
    assert (await plan.get(f"/plan-items/{added['id']}"))["version"] == 1
    for path in ("/summaries/2024/export", "/plan/export"):
        export = await http.get(path, params={"format": "xlsx"}, headers=AUDITOR)
        assert export.status_code == 200, path


async def test_every_free_text_field_refuses_control_characters(
    plan: PlanClient, http: httpx.AsyncClient, service: Runtime
) -> None:
    safety = await plan.programme("防災・安全交付金")
    added = await plan.add(item(SNOW_PLOUGHS, funding_programmes=[safety["id"]]), COORDINATOR)
    other = await plan.add(item(SNOW_PLOUGHS, title="除雪車庫の改修"), COORDINATOR)
    revised = await http.patch(
        f"/funding-programmes/{safety['id']}",
        json={"version": 1, "reason": "要件化", "condition": "required"},
        headers=COORDINATOR,
    )
    assert revised.status_code == 200, revised.text
    [flag] = (await plan.get("/review-flags"))["review_flags"]
    part = {k: v for k, v in SNOW_PLOUGHS.items() if k != "reason"}
    bad = "完了\x0bしました\x85"

    def with_bad(body: dict[str, Any], field: str) -> dict[str, Any]:
        """``body`` with ``bad`` at the dotted ``field`` (kpis.0.unit, parts.1.title)."""
        changed = copy.deepcopy(body)
        *path, last = field.split(".")
        target: Any = changed
        for step in path:
            target = target[int(step)] if step.isdigit() else target[step]
        target[last] = bad
        return changed

    item_path, flag_path = f"/plan-items/{added['id']}", f"/review-flags/{flag['id']}/resolve"
    merge = {
        "sources": [{"id": added["id"], "version": 1}, {"id": other["id"], "version": 1}],
        "reason": "統合",
        "item": part,
    }
    programme = {"name": "緊急防災・減災事業債", "ministry": "総務省", "condition": "none"}
    requests: list[tuple[str, str, dict[str, Any], list[str]]] = [
        (
            "POST",
            "/plan-items",
            item(SNOW_PLOUGHS),
            [
                "title",
                "lead_department",
                "reason",
                "municipality",
                "kpis.0.indicator",
                "kpis.0.unit",
            ],
        ),
        ("PATCH", item_path, {"version": 1, "reason": "見直し", "title": "t"}, ["reason", "title"]),
        (
            "POST",
            f"{item_path}/retire",
            {"version": 1, "retirement": "other", "reason": "r"},
            ["reason"],
        ),
        (
            "POST",
            f"{item_path}/split",
            {"version": 1, "reason": "分割", "parts": [part, part]},
            ["reason", "parts.1.title", "parts.0.lead_department"],
        ),
        ("POST", "/plan-items/merge", merge, ["reason", "item.title"]),
        (
            "POST",
            "/funding-programmes",
            {**programme, "condition_note": "n", "reason": "登録"},
            ["name", "ministry", "condition_note", "reason"],
        ),
        (
            "PATCH",
            f"/funding-programmes/{safety['id']}",
            {"version": 2, "reason": "改称", "name": "n", "ministry": "m", "condition_note": "c"},
            ["reason", "name", "ministry", "condition_note"],
        ),
        ("POST", flag_path, {"note": "確認済み"}, ["note"]),
        ("POST", "/risk-scenarios", {"code": "9-1", "name": "n", "goal": "g"}, ["name", "goal"]),
        ("POST", "/policy-areas", {"code": "digital", "name": "デジタル活用"}, ["name"]),
    ]
    before = await _written(service)
    let_through = []
    for method, path, body, fields in requests:
        for field in fields:
            response = await http.request(
                method, path, json=with_bad(body, field), headers=COORDINATOR
            )
            problems = {f["field"]: f["message"] for f in response.json().get("fields", [])}
            if response.status_code != 422 or "制御文字" not in problems.get(field, ""):
                let_through.append(f"{method} {path} {field}: {response.status_code} {problems}")

    assert let_through == []
    assert await _written(service) == before


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"as_of": "去年"}, "as_of"),
        ({"as_of": "2024/2/30"}, "as_of"),
        ({"as_of": "1900-01-01"}, "as_of"),
        ({"as_of": "2024-05-01", "needs_review": "true"}, "needs_review"),
        ({"municipality": "札幌市"}, "municipality"),
        ({"status": "paused"}, "status"),
    ],
)
async def test_a_bad_query_is_a_422_naming_the_parameter(
    http: httpx.AsyncClient, params: dict[str, str], field: str
) -> None:
    response = await http.get("/plan-items", params=params, headers=AUDITOR)
    assert response.status_code == 422, response.text
    assert field in {f["field"].removeprefix("query.") for f in response.json()["fields"]}


async def test_split_and_merged_retirements_come_only_from_a_split_or_a_merger(
    plan: PlanClient,
) -> None:
    added = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    response = await plan.http.post(
        f"/plan-items/{added['id']}/retire",
        json={"version": 1, "retirement": "split", "reason": "分割"},
        headers=officer(HIRANAI),
    )
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "retirement"


async def test_an_unknown_item_is_a_404(http: httpx.AsyncClient) -> None:
    missing = "5b0e3c1e-8f0e-4a43-9d0a-2f1f3c6a9b11"
    for response in (
        await http.get(f"/plan-items/{missing}", headers=AUDITOR),
        await http.get(f"/plan-items/{missing}/history", headers=AUDITOR),
        await http.patch(
            f"/plan-items/{missing}",
            json={"version": 1, "reason": "x", "title": "y"},
            headers=COORDINATOR,
        ),
    ):
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"


async def test_coordinators_extend_the_plan_s_risk_scenarios_and_policy_areas(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    no_goal = await http.post(
        "/risk-scenarios",
        json={"code": "9-1", "name": "原子力災害による広域避難"},
        headers=COORDINATOR,
    )
    assert no_goal.status_code == 422
    assert no_goal.json()["fields"][0]["field"] == "goal"

    added = await http.post(
        "/risk-scenarios",
        json={
            "code": "9-1",
            "name": "原子力災害による広域避難",
            "goal": "複合災害時にも住民の避難を完遂する",
        },
        headers=COORDINATOR,
    )
    assert added.status_code == 201, added.text
    under_goal_one = await http.post(
        "/risk-scenarios",
        json={"code": "1-10", "name": "雪崩による集落の孤立"},
        headers=COORDINATOR,
    )
    assert under_goal_one.status_code == 201
    again = await http.post(
        "/risk-scenarios", json={"code": "1-10", "name": "別の名前"}, headers=COORDINATOR
    )
    assert again.status_code == 409

    goals = (await plan.get("/risk-scenarios"))["goals"]
    assert [g["number"] for g in goals] == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert [s["code"] for s in goals[0]["scenarios"]][-2:] == ["1-7", "1-10"]

    area = await http.post(
        "/policy-areas",
        json={"code": "digital", "name": "デジタル活用", "cross_cutting": True},
        headers=COORDINATOR,
    )
    assert area.status_code == 201
    areas = [a["code"] for a in (await plan.get("/policy-areas"))["policy_areas"]]
    assert areas[-1] == "digital"

    used = await plan.add(
        item(SNOW_PLOUGHS, risk_scenario="1-10", policy_area="digital"), officer(HIRANAI)
    )
    assert used["risk_scenario"]["name"] == "雪崩による集落の孤立"
    assert used["policy_area"]["name"] == "デジタル活用"


async def test_metrics_count_the_plan_by_status_and_the_open_reviews(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    safety = await plan.programme("防災・安全交付金")
    await plan.add(item(SNOW_PLOUGHS, funding_programmes=[safety["id"]]), officer(HIRANAI))
    await plan.add(item(SNOW_PLOUGHS, status="in_progress"), officer(HIRANAI))
    await http.patch(
        f"/funding-programmes/{safety['id']}",
        json={"version": 1, "reason": "要件化", "condition": "required"},
        headers=COORDINATOR,
    )

    text = (await http.get("/metrics")).text

    assert 'tosei_resilience_plan_items{status="planned"} 1.0' in text
    assert 'tosei_resilience_plan_items{status="in_progress"} 1.0' in text
    assert "tosei_resilience_open_review_flags 1.0" in text


async def test_the_asyncapi_document_lists_the_plan_s_events(http: httpx.AsyncClient) -> None:
    document = (await http.get("/asyncapi.json")).json()
    assert set(document["channels"]["tosei.resilience.plan_items"]["messages"]) == {
        "jp.tosei.resilience.plan_item.added.v1",
        "jp.tosei.resilience.plan_item.revised.v1",
        "jp.tosei.resilience.plan_item.retired.v1",
    }
    assert "tosei.resilience.funding_programmes" in document["channels"]


@pytest.mark.slow
async def test_fuzzing_the_api_finds_no_server_error(plan: PlanClient, service: Runtime) -> None:
    from tests.support.fuzz import server_errors

    safety = await plan.programme("防災・安全交付金")
    await plan.add(item(SNOW_PLOUGHS, funding_programmes=[safety["id"]]), officer(HIRANAI))

    for caller in (COORDINATOR, officer(HIRANAI)):
        assert await server_errors(build_app(service), caller, max_examples=25) == []
