"""The change feed: each town sees what changed in the plan since its last look."""

from __future__ import annotations

import httpx

from tests.resilience.plan import (
    AOMORI,
    AUDITOR,
    COORDINATOR,
    EN,
    HIRANAI,
    SEAWALL,
    SHELTER_RADIO,
    SNOW_PLOUGHS,
    PlanClient,
    officer,
)


async def _mark_seen(http: httpx.AsyncClient, headers: dict[str, str], seen: int) -> None:
    response = await http.put("/changes/bookmark", json={"seen_up_to": seen}, headers=headers)
    assert response.status_code == 200, response.text


async def test_a_town_sees_only_what_changed_since_its_last_look(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    ploughs = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    await plan.add(SHELTER_RADIO, officer(AOMORI))

    first_look = await plan.get("/changes", officer(HIRANAI, "hiranai-kimura"))
    assert [(c["number"], c["kind"]) for c in first_look["changes"]] == [(1, "added"), (2, "added")]
    assert first_look["reader"] == "municipality:hiranai-kimura"
    await _mark_seen(http, officer(HIRANAI, "hiranai-kimura"), first_look["next_since"])

    await plan.revise(ploughs, officer(HIRANAI), estimated_cost_yen=50_000_000)
    await plan.add(SEAWALL, COORDINATOR)

    second_look = await plan.get("/changes", officer(HIRANAI, "hiranai-kimura"))
    assert second_look["bookmark"] == first_look["next_since"]
    assert [(c["number"], c["kind"], c["changed_fields"]) for c in second_look["changes"]] == [
        (1, "revised", ["estimated_cost_yen"]),
        (3, "added", []),
    ]
    assert second_look["changes"][1]["actor"] == "coordinator:kikaku-sato"

    # Aomori has not looked yet: it sees everything
    aomori = await plan.get("/changes", officer(AOMORI))
    assert len(aomori["changes"]) == 4


async def test_each_officer_of_a_town_keeps_their_own_bookmark(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    await plan.add(SHELTER_RADIO, officer(AOMORI))
    kimura, kudo = officer(HIRANAI, "hiranai-kimura"), officer(HIRANAI, "hiranai-kudo")

    await _mark_seen(http, kimura, 2)

    # a colleague who has not looked yet still sees everything, and has no bookmark
    theirs = await plan.get("/changes", kudo)
    assert (theirs["reader"], theirs["bookmark"]) == ("municipality:hiranai-kudo", None)
    assert len(theirs["changes"]) == 2
    await _mark_seen(http, kudo, 1)  # theirs, not Kimura's: nobody moved backwards
    assert (await plan.get("/changes", kimura))["bookmark"] == 2
    assert (await plan.get("/changes", kudo))["bookmark"] == 1


async def test_moving_one_s_own_bookmark_back_needs_rewind(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    for title in ("除雪機械の更新", "除雪車庫の改修", "融雪施設の整備"):
        await plan.add({**SNOW_PLOUGHS, "title": title}, officer(HIRANAI))
    kimura = officer(HIRANAI, "hiranai-kimura")
    await _mark_seen(http, kimura, 3)

    stale = await http.put("/changes/bookmark", json={"seen_up_to": 1}, headers=kimura)

    assert stale.status_code == 409
    body = stale.json()
    assert body["message"] == (
        "既読の位置はすでに3番まで進んでいます。"
        '1番に戻すときは"rewind": true を付けて送ってください'
    )
    assert body["fields"] == [
        {"field": "seen_up_to", "message": "3以上にしてください（戻すときは rewind を true に）"}
    ]
    assert (await plan.get("/changes", kimura))["bookmark"] == 3  # unchanged
    again = await http.put("/changes/bookmark", json={"seen_up_to": 3}, headers=kimura)
    assert again.status_code == 200  # saying the same again is no move backwards
    rewound = await http.put(
        "/changes/bookmark", json={"seen_up_to": 1, "rewind": True}, headers=kimura
    )
    assert rewound.status_code == 200, rewound.text
    assert rewound.json() == {
        "reader": "municipality:hiranai-kimura",
        "seen_up_to": 1,
        "previous": 3,
    }
    assert [c["number"] for c in (await plan.get("/changes", kimura))["changes"]] == [2, 3]


async def test_the_feed_filters_to_one_town_s_items_including_ones_moved_away(
    plan: PlanClient,
) -> None:
    ploughs = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    await plan.add(SHELTER_RADIO, officer(AOMORI))
    await plan.revise(ploughs, COORDINATOR, municipality="青森市", reason="青森市へ移管")

    hiranai = await plan.get("/changes", AUDITOR, municipality="平内町", since=0)

    assert [(c["kind"], c["municipality_name"]) for c in hiranai["changes"]] == [
        ("added", "平内町"),
        ("revised", "青森市"),
    ]


async def test_a_long_feed_comes_in_pages(plan: PlanClient) -> None:
    for title in ("除雪機械の更新", "除雪車庫の改修", "融雪施設の整備"):
        await plan.add({**SNOW_PLOUGHS, "title": title}, officer(HIRANAI))

    page = await plan.get("/changes", COORDINATOR, limit=2)
    assert (len(page["changes"]), page["more"]) == (2, True)
    rest = await plan.get("/changes", COORDINATOR, since=page["next_since"], limit=2)
    assert [c["title"] for c in rest["changes"]] == ["融雪施設の整備"]
    assert rest["more"] is False
    assert rest["next_since"] == rest["last_seq"]


async def test_nobody_can_mark_unseen_changes_as_seen(
    plan: PlanClient, http: httpx.AsyncClient
) -> None:
    await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    response = await http.put(
        "/changes/bookmark", json={"seen_up_to": 99}, headers=officer(HIRANAI) | EN
    )
    assert response.status_code == 422
    assert response.json()["fields"] == [{"field": "seen_up_to", "message": "at most 1"}]


async def test_the_feed_and_the_history_name_the_codes_they_show(plan: PlanClient) -> None:
    safety = await plan.programme("防災・安全交付金")
    ploughs = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
    revised = await plan.revise(
        ploughs,
        officer(HIRANAI),
        status="in_progress",
        risk_scenario="1-3",
        policy_area="land_conservation",
        fiscal_year_to=2027,
        funding_programmes=[safety["id"]],
    )
    await plan.retire(revised, officer(HIRANAI), retirement="abolished")

    feed = await plan.get("/changes", COORDINATOR)
    history = await plan.get(f"/plan-items/{ploughs['id']}/history")

    *_, revision, retirement = feed["changes"]
    assert [r["version"] for r in history["revisions"]] == [1, 2, 3]
    assert history["revisions"][1:] == [revision, retirement]  # the same entries, same labels
    labelled = {f: (c["old_label"], c["new_label"]) for f, c in revision["changes"].items()}
    assert labelled == {
        "status": ("計画", "実施中"),
        "risk_scenario": (
            "1-6 暴風雪及び豪雪による重大事故や交通途絶等に伴う多数の死傷者の発生",
            "1-3 大規模地震・津波による多数の死傷者の発生",
        ),
        "policy_area": ("交通・物流", "国土保全"),
        "fiscal_year_to": ("令和8年度", "令和9年度"),
        "funding_programmes": ("なし", "防災・安全交付金"),
    }
    assert revision["changes"]["status"]["new"] == "in_progress"  # the code stays beside it
    assert retirement["changes"]["status"]["new_label"] == "廃止"
    assert (
        retirement["changes"]["retirement"]["old_label"],
        retirement["changes"]["retirement"]["new_label"],
    ) == (None, "廃止")
    # a retirement's fields are named in words too, not by their code
    assert retirement["changed_fields_label"] == "進捗状況、廃止理由"
