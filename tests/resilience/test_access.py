"""Who may do what: every town reads every item; an officer changes only their own town's items."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.resilience.plan import (
    AOMORI,
    AUDITOR,
    COORDINATOR,
    DESK,
    EN,
    HIRANAI,
    SNOW_PLOUGHS,
    SOTOGAHAMA,
    PlanClient,
    item,
    officer,
)
from tosei_common.platform.service import Runtime


async def _writes(service: Runtime) -> tuple[int, int]:
    async with service.pool.acquire() as conn:
        revisions = await conn.fetchval("SELECT count(*) FROM plan_item_revisions")
        events = await conn.fetchval("SELECT count(*) FROM outbox")
    return revisions, events


async def test_every_town_reads_every_item(plan: PlanClient) -> None:
    added = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    for reader in (officer(AOMORI), officer(SOTOGAHAMA), AUDITOR, COORDINATOR):
        listed = await plan.get("/plan-items", headers=reader)
        assert [i["id"] for i in listed["items"]] == [added["id"]]


async def test_an_officer_cannot_change_another_town_s_item_and_nothing_is_written(
    plan: PlanClient, http: httpx.AsyncClient, service: Runtime
) -> None:
    added = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    before = await _writes(service)

    revise = await http.patch(
        f"/plan-items/{added['id']}",
        json={"version": 1, "reason": "代理で修正", "estimated_cost_yen": 1},
        headers=officer(AOMORI) | EN,
    )
    retire = await http.post(
        f"/plan-items/{added['id']}/retire",
        json={"version": 1, "retirement": "abolished", "reason": "不要"},
        headers=officer(AOMORI) | EN,
    )
    in_japanese = await http.post(
        f"/plan-items/{added['id']}/retire",
        json={"version": 1, "retirement": "abolished", "reason": "不要"},
        headers=officer(AOMORI),
    )

    for response in (revise, retire):
        assert response.status_code == 403
        assert response.json()["message"] == (
            "an officer of 青森市 changes only 青森市's plan items; "
            "plan item No.1 「冬期道路交通確保のための除雪機械の更新」 belongs to 平内町"
        )
    assert in_japanese.json() == {
        "error": "forbidden",
        "message": "青森市の職員が変更できるのは青森市の計画事業だけです"
        "（計画事業 No.1「冬期道路交通確保のための除雪機械の更新」は平内町の事業です）",
    }
    assert await _writes(service) == before


async def test_each_item_says_whether_the_reader_may_change_it_and_why_not(
    plan: PlanClient,
) -> None:
    hiranai = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    regional = await plan.add(
        item(SNOW_PLOUGHS, municipality="圏域全体", title="圏域共同の除雪情報共有システム"),
        COORDINATOR,
    )
    done = await plan.retire(await plan.add(SNOW_PLOUGHS, officer(HIRANAI)), officer(HIRANAI))

    def said(listed: dict[str, Any]) -> dict[int, tuple[bool, str | None]]:
        return {i["number"]: (i["can_change"], i["cannot_change_because"]) for i in listed["items"]}

    everything = {"include_retired": "true"}
    assert said(await plan.get("/plan-items", officer(HIRANAI), **everything)) == {
        1: (True, None),
        2: (
            False,
            "計画事業 No.2「圏域共同の除雪情報共有システム」は圏域全体の事業です。"
            "変更できるのはコーディネーターだけです",
        ),
        3: (
            False,
            "計画事業 No.3「冬期道路交通確保のための除雪機械の更新」は廃止済みのため変更できません",
        ),
    }
    assert said(await plan.get("/plan-items", officer(AOMORI), **everything))[1] == (
        False,
        "青森市の職員が変更できるのは青森市の計画事業だけです"
        "（計画事業 No.1「冬期道路交通確保のための除雪機械の更新」は平内町の事業です）",
    )
    assert said(await plan.get("/plan-items", COORDINATOR, **everything)) == {
        1: (True, None),
        2: (True, None),
        3: (False, done["cannot_change_because"]),
    }
    auditor = await plan.get(f"/plan-items/{hiranai['id']}", AUDITOR)
    assert auditor["can_change"] is False
    assert auditor["cannot_change_because"] == (
        "計画事業を変更できるのはコーディネーターと市町村の職員だけです"
    )
    past = await plan.get(f"/plan-items/{regional['id']}", COORDINATOR, as_of="2024/5/1")
    assert (past["can_change"], past["cannot_change_because"]) == (
        False,
        "過去の時点の計画です。変更は今の計画で行ってください",
    )


async def test_an_officer_cannot_add_an_item_for_another_town(
    http: httpx.AsyncClient, service: Runtime
) -> None:
    response = await http.post(
        "/plan-items", json=item(SNOW_PLOUGHS, municipality="外ヶ浜町"), headers=officer(HIRANAI)
    )
    assert response.status_code == 403
    assert await _writes(service) == (0, 0)


async def test_an_officer_s_item_belongs_to_their_town_unless_they_say_otherwise(
    plan: PlanClient,
) -> None:
    body = item(SNOW_PLOUGHS)
    del body["municipality"]
    added = await plan.add(body, officer(SOTOGAHAMA))
    assert added["municipality_name"] == "外ヶ浜町"


async def test_items_of_the_whole_region_are_changed_by_coordinators_only(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    regional = item(SNOW_PLOUGHS, municipality="圏域全体", title="圏域共同の除雪情報共有システム")
    refused = await http.post("/plan-items", json=regional, headers=officer(HIRANAI) | EN)
    assert refused.status_code == 403
    assert "whole region (圏域全体)" in refused.json()["message"]

    added = await plan.add(regional, COORDINATOR)
    assert (added["municipality"], added["municipality_name"]) == (None, "圏域全体")
    revised = await plan.revise(added, COORDINATOR, estimated_cost_yen=12_000_000)
    assert revised["version"] == 2


async def test_moving_an_item_to_another_town_is_a_coordinator_s_decision(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    added = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    refused = await http.patch(
        f"/plan-items/{added['id']}",
        json={"version": 1, "reason": "移管", "municipality": "青森市"},
        headers=officer(HIRANAI),
    )
    assert refused.status_code == 403

    moved = await plan.revise(added, COORDINATOR, municipality="圏域全体", reason="共同実施へ移行")
    assert moved["municipality"] is None
    history = await plan.get(f"/plan-items/{added['id']}/history")
    assert history["revisions"][1]["changes"] == {
        "municipality": {
            "old": HIRANAI,
            "new": None,
            "old_label": "平内町",
            "new_label": "圏域全体",
        }
    }


@pytest.mark.parametrize("caller", [AUDITOR, DESK], ids=["auditor", "desk"])
async def test_auditors_and_the_desk_change_nothing(
    http: httpx.AsyncClient, service: Runtime, caller: dict[str, str]
) -> None:
    response = await http.post("/plan-items", json=SNOW_PLOUGHS, headers=caller)
    assert response.status_code == 403
    assert await _writes(service) == (0, 0)


async def test_the_desk_does_not_read_the_plan(http: httpx.AsyncClient) -> None:
    response = await http.get("/plan-items", headers=DESK)
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (
            "/funding-programmes",
            {
                "name": "防災・安全交付金",
                "ministry": "国土交通省",
                "condition": "required",
                "reason": "登録",
            },
        ),
        ("/risk-scenarios", {"code": "2-7", "name": "冬期の停電による避難所の暖房機能の喪失"}),
        ("/policy-areas", {"code": "digital", "name": "デジタル活用"}),
    ],
)
async def test_funding_programmes_and_the_plan_s_lists_are_kept_by_coordinators(
    http: httpx.AsyncClient, path: str, body: dict[str, str]
) -> None:
    refused = await http.post(path, json=body, headers=officer(HIRANAI))
    assert refused.status_code == 403
    accepted = await http.post(path, json=body, headers=COORDINATOR)
    assert accepted.status_code == 201, accepted.text
