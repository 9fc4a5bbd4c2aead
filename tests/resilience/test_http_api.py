"""Bad input is a 4xx that names the field and changes nothing; the plan's lists; metrics; fuzz."""

from __future__ import annotations

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
from tosei_common.http import build_app
from tosei_common.service import Runtime

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
        (item(SNOW_PLOUGHS, title="　 "), "title", "blank"),
        (item(SNOW_PLOUGHS, title="x" * 201), "title", "at most 200"),
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
    response = await http.post("/plan-items", json=body, headers=officer(HIRANAI))

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
