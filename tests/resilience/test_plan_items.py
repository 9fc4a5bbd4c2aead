"""Plan items over HTTP on the real database: revisions, history, the plan as of a date, lineage."""

from __future__ import annotations

from typing import Any

import httpx

from tests.resilience.plan import (
    AUDITOR,
    COORDINATOR,
    EN,
    HIRANAI,
    SEAWALL,
    SNOW_PLOUGHS,
    PlanClient,
    item,
    officer,
)
from tosei_common.platform.clock import SettableClock
from tosei_common.platform.service import Runtime


async def test_an_added_item_shows_its_names_codes_and_first_version(plan: PlanClient) -> None:
    added = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))

    assert added["number"] == 1
    assert added["version"] == 1
    assert added["municipality"] == HIRANAI
    assert added["municipality_name"] == "平内町"
    assert (
        added["risk_scenario"]["name"]
        == "暴風雪及び豪雪による重大事故や交通途絶等に伴う多数の死傷者の発生"
    )
    assert added["risk_scenario"]["goal_name"] == "直接死を最大限防ぐ"
    assert added["policy_area"]["name"] == "交通・物流"
    assert (added["fiscal_year_from"], added["fiscal_year_to"]) == (2022, 2026)
    assert added["fiscal_years_label"] == "令和4年度～令和8年度"
    assert added["status"] == "planned"
    assert added["kpis"][0]["target_fiscal_year"] == 2026
    assert await plan.get(f"/plan-items/{added['id']}", officer(HIRANAI)) == added


async def test_a_revision_records_the_changed_fields_old_and_new_who_and_why(
    plan: PlanClient, clock: SettableClock
) -> None:
    added = await plan.add(SNOW_PLOUGHS, officer(HIRANAI, "hiranai-kimura"))
    clock.set("2025-06-02 14:00")
    revised = await plan.revise(
        added,
        officer(HIRANAI, "hiranai-kudo"),
        estimated_cost_yen=52_000_000,
        status="in_progress",
        title=SNOW_PLOUGHS["title"],  # unchanged: not a changed field
        reason="資材価格高騰により事業費を見直し",
    )
    assert revised["version"] == 2
    assert revised["estimated_cost_yen"] == 52_000_000

    history = await plan.get(f"/plan-items/{added['id']}/history")
    first, second = history["revisions"]
    assert (first["kind"], first["actor"], first["reason"]) == (
        "added",
        "municipality:hiranai-kimura",
        "令和4年度の計画見直しにより追加",
    )
    assert second["kind"] == "revised"
    assert second["actor"] == "municipality:hiranai-kudo"
    assert second["reason"] == "資材価格高騰により事業費を見直し"
    assert second["changed_fields"] == ["estimated_cost_yen", "status"]
    assert second["changed_fields_label"] == "概算事業費、進捗状況"
    assert second["changes"] == {
        "estimated_cost_yen": {
            "old": 45_000_000,
            "new": 52_000_000,
            "old_label": None,
            "new_label": None,
        },
        "status": {
            "old": "planned",
            "new": "in_progress",
            "old_label": "計画",
            "new_label": "実施中",
        },
    }
    assert second["recorded_at"] == "2025-06-02T14:00:00+09:00"  # 05:00 UTC, shown in Japan time
    assert second["fiscal_year_label"] == "令和7年度"


async def test_a_stale_version_gets_409_and_changes_nothing(plan: PlanClient) -> None:
    added = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    await plan.revise(added, COORDINATOR, estimated_cost_yen=50_000_000)

    stale = await plan.http.patch(
        f"/plan-items/{added['id']}",
        json={"version": 1, "reason": "古い画面からの変更", "estimated_cost_yen": 1},
        headers=officer(HIRANAI) | EN,
    )

    assert stale.status_code == 409
    body = stale.json()
    assert body["error"] == "conflict"
    assert body["current_version"] == 2
    assert "version 2" in body["message"]
    assert "based on version 1" in body["message"]
    now = await plan.get(f"/plan-items/{added['id']}")
    assert (now["version"], now["estimated_cost_yen"]) == (2, 50_000_000)
    assert len((await plan.get(f"/plan-items/{added['id']}/history"))["revisions"]) == 2


async def test_two_officers_editing_the_same_version_at_once_one_wins_one_gets_409(
    plan: PlanClient,
) -> None:
    import asyncio

    added = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    attempts = [
        plan.http.patch(
            f"/plan-items/{added['id']}",
            json={"version": 1, "reason": "同時編集", "estimated_cost_yen": cost},
            headers=officer(HIRANAI, who),
        )
        for cost, who in ((60_000_000, "a"), (70_000_000, "b"))
    ]
    responses = await asyncio.gather(*attempts)

    assert sorted(r.status_code for r in responses) == [200, 409]
    winner = next(r.json() for r in responses if r.status_code == 200)
    now = await plan.get(f"/plan-items/{added['id']}")
    assert (now["version"], now["estimated_cost_yen"]) == (2, winner["estimated_cost_yen"])


async def test_a_revision_that_changes_nothing_is_refused(plan: PlanClient) -> None:
    added = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    response = await plan.http.patch(
        f"/plan-items/{added['id']}",
        json={"version": 1, "reason": "確認", "lead_department": "建設課"},
        headers=officer(HIRANAI) | EN,
    )
    assert response.status_code == 422
    assert response.json()["fields"] == [
        {"field": "lead_department", "message": "same as the current value"}
    ]


async def test_a_retired_item_leaves_the_plan_and_cannot_be_revised(plan: PlanClient) -> None:
    added = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    retired = await plan.retire(added, officer(HIRANAI), "completed")
    assert (retired["status"], retired["retirement"], retired["version"]) == (
        "retired",
        "completed",
        2,
    )
    assert retired["retirement_label"] == "事業完了"

    again = await plan.http.patch(
        f"/plan-items/{added['id']}",
        json={"version": 2, "reason": "再開", "status": "in_progress"},
        headers=COORDINATOR,
    )
    assert again.status_code == 409
    assert again.json()["error"] == "invalid_transition"
    assert (await plan.get("/plan-items"))["count"] == 0
    listed = await plan.get("/plan-items", include_retired="true")
    assert [i["number"] for i in listed["items"]] == [1]


async def test_status_moves_only_along_the_allowed_transitions(plan: PlanClient) -> None:
    added = await plan.add(item(SNOW_PLOUGHS, status="done"), officer(HIRANAI))
    to_planned = await plan.http.patch(
        f"/plan-items/{added['id']}",
        json={"version": 1, "reason": "誤り", "status": "planned"},
        headers=officer(HIRANAI) | EN,
    )
    assert to_planned.status_code == 409
    assert "完了 (done)" in to_planned.json()["message"]
    to_retired = await plan.http.patch(
        f"/plan-items/{added['id']}",
        json={"version": 1, "reason": "廃止", "status": "retired"},
        headers=officer(HIRANAI),
    )
    assert to_retired.status_code == 422
    assert to_retired.json()["fields"][0]["field"] == "status"


async def test_the_plan_as_of_a_past_date_comes_from_the_revision_history(
    plan: PlanClient, clock: SettableClock
) -> None:
    clock.set("2022-05-16 10:00")
    ploughs = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    clock.set("2023-06-01 09:00")
    seawall = await plan.add(SEAWALL, officer("023035"))
    ploughs = await plan.revise(ploughs, officer(HIRANAI), estimated_cost_yen=52_000_000)
    clock.set("2024-03-25 16:00")
    await plan.retire(ploughs, officer(HIRANAI), "abolished")
    seawall = await plan.revise(seawall, COORDINATOR, fiscal_year_to=2029)

    on_2023_03_31 = await plan.get("/plan-items", as_of="令和5年3月31日")
    assert [
        (i["number"], i["version"], i["estimated_cost_yen"]) for i in on_2023_03_31["items"]
    ] == [(1, 1, 45_000_000)]
    assert on_2023_03_31["as_of"] == "2023-03-31T23:59:59.999999+09:00"

    on_2023_12_01 = await plan.get("/plan-items", as_of="2023/12/1")
    assert [(i["number"], i["version"]) for i in on_2023_12_01["items"]] == [(1, 2), (2, 1)]
    assert on_2023_12_01["items"][0]["estimated_cost_yen"] == 52_000_000
    assert on_2023_12_01["items"][1]["fiscal_year_to"] == 2027

    after_retirement = await plan.get("/plan-items", as_of="2024-04-01")
    assert [(i["number"], i["version"]) for i in after_retirement["items"]] == [(2, 2)]
    with_retired = await plan.get("/plan-items", as_of="2024-04-01", include_retired="true")
    assert [i["status"] for i in with_retired["items"]] == ["retired", "planned"]

    before_the_plan = await plan.get("/plan-items", as_of="2022-05-16T09:59:59+09:00")
    assert before_the_plan["items"] == []

    # the past state of the whole plan matches the current state, item by item, today
    now = await plan.get("/plan-items", include_retired="true")
    today = await plan.get("/plan-items", include_retired="true", as_of="2024-03-25T16:00:00+09:00")
    past = "過去の時点の計画です。変更は今の計画で行ってください"
    assert [
        {
            **i,
            "review_flags": [],
            "needs_review": False,
            "can_change": False,
            "cannot_change_because": past,
        }
        for i in now["items"]
    ] == today["items"]


async def test_one_item_as_of_a_date_and_not_before_it_existed(
    plan: PlanClient, clock: SettableClock
) -> None:
    clock.set("2022-05-16 10:00")
    added = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    clock.set("2023-05-16 10:00")
    await plan.revise(added, officer(HIRANAI), title="除雪機械（ロータリー除雪車）の更新")

    then = await plan.get(f"/plan-items/{added['id']}", as_of="2022-12-01")
    assert (then["title"], then["version"]) == (SNOW_PLOUGHS["title"], 1)
    missing = await plan.http.get(
        f"/plan-items/{added['id']}", params={"as_of": "2022-05-15"}, headers=AUDITOR
    )
    assert missing.status_code == 404
    assert "2022-05-15 23:59" in missing.json()["message"]


async def test_a_split_retires_the_item_and_each_part_says_where_it_came_from(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    whole = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    parts = [
        item(SNOW_PLOUGHS, title="ロータリー除雪車の更新", estimated_cost_yen=30_000_000),
        item(SNOW_PLOUGHS, title="除雪ドーザの更新", estimated_cost_yen=15_000_000, kpis=[]),
    ]
    for part in parts:
        del part["reason"]
    response = await http.post(
        f"/plan-items/{whole['id']}/split",
        json={"version": 1, "reason": "機種ごとに交付金の申請を分けるため分割", "parts": parts},
        headers=officer(HIRANAI),
    )
    assert response.status_code == 201, response.text
    body = response.json()

    assert body["retired"]["status"] == "retired"
    assert body["retired"]["retirement"] == "split"
    assert [p["number"] for p in body["retired"]["superseded_by"]] == [2, 3]
    for part in body["parts"]:
        assert part["derivation"] == "split"
        assert part["derived_from"] == [{"id": whole["id"], "number": 1}]
    assert [i["title"] for i in (await plan.get("/plan-items"))["items"]] == [
        "ロータリー除雪車の更新",
        "除雪ドーザの更新",
    ]


async def test_a_merger_names_every_source_and_retires_them(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    first = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    second = await plan.add(
        item(SNOW_PLOUGHS, title="除雪車庫の改修", municipality="023019"), officer(HIRANAI)
    )
    merged = item(SNOW_PLOUGHS, title="除雪体制の強化（機械・車庫）", estimated_cost_yen=80_000_000)
    del merged["reason"]
    response = await http.post(
        "/plan-items/merge",
        json={
            "sources": [
                {"id": first["id"], "version": 1},
                {"id": second["id"], "version": 1},
            ],
            "reason": "一体的に整備するため統合",
            "item": merged,
        },
        headers=officer(HIRANAI),
    )
    assert response.status_code == 201, response.text
    body = response.json()

    assert body["item"]["number"] == 3
    assert body["item"]["derivation"] == "merged"
    assert [d["number"] for d in body["item"]["derived_from"]] == [1, 2]
    assert [(r["retirement"], r["superseded_by"][0]["number"]) for r in body["retired"]] == [
        ("merged", 3),
        ("merged", 3),
    ]


async def test_a_merger_with_one_stale_source_changes_nothing(
    plan: PlanClient, http: httpx.AsyncClient, service: Runtime
) -> None:
    first = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    second = await plan.add(item(SNOW_PLOUGHS, title="除雪車庫の改修"), officer(HIRANAI))
    await plan.revise(second, officer(HIRANAI), lead_department="建設課道路係")
    merged = item(SNOW_PLOUGHS, title="除雪体制の強化")
    del merged["reason"]

    response = await http.post(
        "/plan-items/merge",
        json={
            "sources": [{"id": first["id"], "version": 1}, {"id": second["id"], "version": 1}],
            "reason": "統合",
            "item": merged,
        },
        headers=officer(HIRANAI),
    )

    assert response.status_code == 409
    assert "除雪車庫の改修" in response.json()["message"]
    assert [i["status"] for i in (await plan.get("/plan-items"))["items"]] == ["planned"] * 2
    async with service.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM plan_items") == 2
        assert await conn.fetchval("SELECT count(*) FROM outbox") == 3  # 2 added, 1 revised


async def test_a_subsidy_application_is_judged_on_the_plan_at_its_date(
    plan: PlanClient, clock: SettableClock
) -> None:
    clock.set("2023-04-10 10:00")
    safety = await plan.programme("防災・安全交付金", "required")
    ploughs = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    clock.set("2023-11-20 15:00")
    await plan.revise(
        ploughs, officer(HIRANAI), funding_programmes=[safety["id"]], reason="交付金の活用を明記"
    )

    def numbers(listed: dict[str, Any]) -> list[int]:
        return [i["number"] for i in listed["items"]]

    applied_in_october = await plan.get(
        "/plan-items", as_of="2023/10/31", funding_programme=safety["id"]
    )
    applied_in_december = await plan.get(
        "/plan-items", as_of="2023/12/1", funding_programme=safety["id"]
    )
    assert numbers(applied_in_october) == []
    assert numbers(applied_in_december) == [1]


async def test_a_merger_naming_an_item_twice_is_a_422_and_changes_nothing(
    plan: PlanClient, http: httpx.AsyncClient, service: Runtime
) -> None:
    first = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    second = await plan.add(item(SNOW_PLOUGHS, title="除雪車庫の改修"), officer(HIRANAI))
    merged = item(SNOW_PLOUGHS, title="除雪体制の強化")
    del merged["reason"]

    for versions in ((1, 1), (1, 2)):
        response = await http.post(
            "/plan-items/merge",
            json={
                "sources": [
                    {"id": first["id"], "version": versions[0]},
                    {"id": first["id"], "version": versions[1]},
                    {"id": second["id"], "version": 1},
                ],
                "reason": "統合",
                "item": merged,
            },
            headers=officer(HIRANAI),
        )

        assert response.status_code == 422, response.text
        problems = {f["field"]: f["message"] for f in response.json()["fields"]}
        assert "No.1" in problems["sources"]
    assert [(i["status"], i["version"]) for i in (await plan.get("/plan-items"))["items"]] == [
        ("planned", 1),
        ("planned", 1),
    ]
    async with service.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM plan_items") == 2
        assert await conn.fetchval("SELECT count(*) FROM outbox") == 2


async def test_a_split_into_identical_parts_makes_distinct_items(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    whole = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    part = {k: v for k, v in SNOW_PLOUGHS.items() if k != "reason"}

    response = await http.post(
        f"/plan-items/{whole['id']}/split",
        json={"version": 1, "reason": "同内容で二期に分割", "parts": [part, part]},
        headers=officer(HIRANAI),
    )

    assert response.status_code == 201, response.text
    parts = response.json()["parts"]
    assert len({p["id"] for p in parts}) == 2
    assert [p["number"] for p in parts] == [2, 3]


async def test_a_merger_naming_a_version_ahead_of_the_item_says_which_versions_and_where(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    first = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    second = await plan.add(item(SNOW_PLOUGHS, title="除雪車庫の改修"), officer(HIRANAI))
    merged = item(SNOW_PLOUGHS, title="除雪体制の強化")
    del merged["reason"]

    response = await http.post(
        "/plan-items/merge",
        json={
            "sources": [{"id": first["id"], "version": 1}, {"id": second["id"], "version": 9}],
            "reason": "統合",
            "item": merged,
        },
        headers=officer(HIRANAI),
    )

    assert response.status_code == 409
    body = response.json()
    assert body["message"] == (
        "計画事業 No.2「除雪車庫の改修」に第9版はありません（現在は第1版です）。"
        "読み込み直してから、第1版として変更してください"
    )
    assert body["fields"] == [
        {"field": "sources.1.version", "message": "第9版はありません（現在は第1版です）"}
    ]
    assert (body["current_version"], body["sent_version"]) == (1, 9)


async def test_a_merger_with_a_stale_source_names_its_field_and_both_versions(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    first = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    first = await plan.revise(first, officer(HIRANAI), lead_department="建設課道路係")
    second = await plan.add(item(SNOW_PLOUGHS, title="除雪車庫の改修"), officer(HIRANAI))
    merged = item(SNOW_PLOUGHS, title="除雪体制の強化")
    del merged["reason"]

    response = await http.post(
        "/plan-items/merge",
        json={
            "sources": [{"id": first["id"], "version": 1}, {"id": second["id"], "version": 1}],
            "reason": "統合",
            "item": merged,
        },
        headers=officer(HIRANAI),
    )

    assert response.status_code == 409
    body = response.json()
    assert body["message"].startswith(
        "計画事業 No.1「冬期道路交通確保のための除雪機械の更新」は他の人が変更しました"
        "（現在は第2版、送られた変更は第1版に基づいています）"
    )
    assert body["fields"] == [{"field": "sources.0.version", "message": "現在は第2版です"}]


async def test_a_revision_naming_a_version_ahead_of_the_item_is_not_blamed_on_someone_else(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    added = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))

    response = await http.patch(
        f"/plan-items/{added['id']}",
        json={"version": 9, "reason": "見直し", "lead_department": "道路課"},
        headers=officer(HIRANAI),
    )

    assert response.status_code == 409
    body = response.json()
    assert "他の人" not in body["message"]
    assert body["message"].startswith(
        "計画事業 No.1「冬期道路交通確保のための除雪機械の更新」"
        "に第9版はありません（現在は第1版です）"
    )
    assert body["fields"] == [
        {"field": "version", "message": "第9版はありません（現在は第1版です）"}
    ]
