"""Funding programmes: a change of conditions flags exactly the items relying on the programme."""

from __future__ import annotations

from typing import Any

import httpx

from tests.resilience.plan import (
    AOMORI,
    COORDINATOR,
    HIRANAI,
    IMABETSU,
    SEAWALL,
    SHELTER_RADIO,
    SNOW_PLOUGHS,
    PlanClient,
    item,
    officer,
)
from tosei_common.platform.clock import SettableClock
from tosei_common.platform.service import Runtime


async def _revise_programme(
    http: httpx.AsyncClient, programme: dict[str, Any], **changes: Any
) -> httpx.Response:
    return await http.patch(
        f"/funding-programmes/{programme['id']}",
        json={"version": programme["version"], "reason": "国の制度改正", **changes},
        headers=COORDINATOR,
    )


async def test_a_changed_condition_flags_exactly_the_items_relying_on_the_programme(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    safety = await plan.programme("防災・安全交付金", "prioritised")
    fire = await plan.programme("消防防災施設整備費補助金", "none", ministry="総務省消防庁")
    ploughs = await plan.add(
        item(SNOW_PLOUGHS, funding_programmes=[safety["id"]]), officer(HIRANAI)
    )
    seawall = await plan.add(
        item(SEAWALL, funding_programmes=[safety["id"], fire["id"]]), officer(IMABETSU)
    )
    await plan.add(item(SHELTER_RADIO, funding_programmes=[fire["id"]]), officer(AOMORI))
    await plan.add(item(SNOW_PLOUGHS, title="除雪車庫の改修"), officer(HIRANAI))
    done = await plan.add(
        item(SNOW_PLOUGHS, title="除雪ドーザの更新", funding_programmes=[safety["id"]]),
        officer(HIRANAI),
    )
    await plan.retire(done, officer(HIRANAI))

    response = await _revise_programme(
        http,
        safety,
        condition="required",
        condition_note="令和7年度から地域計画に明記された事業に限り交付",
        effective_from_fiscal_year="令和7年度",
    )

    assert response.status_code == 200, response.text
    revised = response.json()
    assert (revised["condition"], revised["condition_label"]) == ("required", "要件化")
    assert revised["effective_from_label"] == "令和7年度"
    assert [i["id"] for i in revised["flagged_items"]] == [ploughs["id"], seawall["id"]]
    flagged = await plan.get("/plan-items", needs_review="true")
    assert [i["number"] for i in flagged["items"]] == [1, 2]
    assert [
        i["number"] for i in (await plan.get("/plan-items", needs_review="false"))["items"]
    ] == [
        3,
        4,
    ]
    flags = flagged["items"][0]["review_flags"]
    assert [(f["programme_name"], f["changed_fields_label"]) for f in flags] == [
        ("防災・安全交付金", "地域計画との関係、要件の内容、適用年度")
    ]


async def test_renaming_a_programme_flags_nothing(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    safety = await plan.programme("防災・安全交付金")
    await plan.add(item(SNOW_PLOUGHS, funding_programmes=[safety["id"]]), officer(HIRANAI))

    response = await _revise_programme(http, safety, name="防災・安全交付金（道路）")

    assert response.status_code == 200
    assert response.json()["flagged_items"] == []
    assert (await plan.get("/review-flags"))["review_flags"] == []


async def test_each_town_sees_its_own_items_to_review_and_confirms_them(
    plan: PlanClient, http: httpx.AsyncClient, clock: SettableClock
) -> None:
    safety = await plan.programme("防災・安全交付金")
    await plan.add(item(SNOW_PLOUGHS, funding_programmes=[safety["id"]]), officer(HIRANAI))
    await plan.add(item(SEAWALL, funding_programmes=[safety["id"]]), officer(IMABETSU))
    await _revise_programme(http, safety, condition="required")

    hiranai = (await plan.get("/review-flags", officer(HIRANAI), municipality="平内町"))[
        "review_flags"
    ]
    assert [(f["item_number"], f["municipality_name"]) for f in hiranai] == [(1, "平内町")]

    not_theirs = await http.post(
        f"/review-flags/{hiranai[0]['id']}/resolve",
        json={"note": "確認しました"},
        headers=officer(IMABETSU),
    )
    assert not_theirs.status_code == 403

    clock.set("2025-01-10 11:00")
    confirmed = await http.post(
        f"/review-flags/{hiranai[0]['id']}/resolve",
        json={"note": "要件化後も計画に明記済み。変更不要。"},
        headers=officer(HIRANAI, "hiranai-kudo"),
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["resolved_by"] == "municipality:hiranai-kudo"
    assert confirmed.json()["open"] is False

    again = await http.post(
        f"/review-flags/{hiranai[0]['id']}/resolve", json={"note": "再確認"}, headers=COORDINATOR
    )
    assert again.status_code == 409
    still_open = (await plan.get("/review-flags"))["review_flags"]
    assert [f["municipality_name"] for f in still_open] == ["今別町"]
    everything = (await plan.get("/review-flags", open="false"))["review_flags"]
    assert len(everything) == 2


async def test_a_second_change_refreshes_an_open_flag_instead_of_piling_up(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    safety = await plan.programme("防災・安全交付金")
    await plan.add(item(SNOW_PLOUGHS, funding_programmes=[safety["id"]]), officer(HIRANAI))
    first = (await _revise_programme(http, safety, condition="required")).json()
    await _revise_programme(http, first, effective_from_fiscal_year=2026)

    [only] = (await plan.get("/review-flags"))["review_flags"]
    assert only["programme_version"] == 3
    assert sorted(only["changed_fields"]) == ["condition", "effective_from_fiscal_year"]


async def test_retiring_an_item_closes_its_review(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    safety = await plan.programme("防災・安全交付金")
    ploughs = await plan.add(
        item(SNOW_PLOUGHS, funding_programmes=[safety["id"]]), officer(HIRANAI)
    )
    await _revise_programme(http, safety, condition="required")
    await plan.retire(ploughs, officer(HIRANAI), "abolished")

    assert (await plan.get("/review-flags"))["review_flags"] == []
    [closed] = (await plan.get("/review-flags", open="false"))["review_flags"]
    assert closed["resolution_note"] == "事業の廃止により確認不要"


async def test_a_programme_shows_its_history_and_the_items_relying_on_it(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    safety = await plan.programme("防災・安全交付金")
    await plan.add(item(SNOW_PLOUGHS, funding_programmes=[safety["id"]]), officer(HIRANAI))
    await _revise_programme(http, safety, condition="required")

    shown = await plan.get(f"/funding-programmes/{safety['id']}")
    assert [h["change"] for h in shown["history"]] == ["added", "revised"]
    assert shown["history"][1]["changes"] == {
        "condition": {
            "old": "prioritised",
            "new": "required",
            "old_label": "重点化",
            "new_label": "要件化",
        }
    }
    assert shown["history"][1]["actor"] == "coordinator:kikaku-sato"
    assert [i["number"] for i in shown["items"]] == [1]


async def test_a_stale_programme_version_gets_409_and_flags_nothing(
    plan: PlanClient, http: httpx.AsyncClient, service: Runtime
) -> None:
    safety = await plan.programme("防災・安全交付金")
    await plan.add(item(SNOW_PLOUGHS, funding_programmes=[safety["id"]]), officer(HIRANAI))
    await _revise_programme(http, safety, ministry="国土交通省道路局")

    stale = await _revise_programme(http, safety, condition="required")

    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    async with service.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM review_flags") == 0


async def test_an_item_naming_an_unknown_programme_is_refused(
    http: httpx.AsyncClient, service: Runtime
) -> None:
    response = await http.post(
        "/plan-items",
        json=item(SNOW_PLOUGHS, funding_programmes=["00000000-0000-4000-8000-000000000000"]),
        headers=officer(HIRANAI),
    )
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "funding_programmes"
    async with service.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM plan_items") == 0


async def test_two_programmes_cannot_share_a_name(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    await plan.programme("防災・安全交付金")
    response = await http.post(
        "/funding-programmes",
        json={
            "name": "防災・安全交付金",
            "ministry": "国土交通省",
            "condition": "none",
            "reason": "重複",
        },
        headers=COORDINATOR,
    )
    assert response.status_code == 409
