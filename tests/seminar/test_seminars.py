"""Coordinators' side through the HTTP API: rotation, states, venue sizing, budget, bad input."""

from __future__ import annotations

import json
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import Any

import httpx
from aiokafka import ConsumerRecord

from tests.seminar.conftest import (
    AUDITOR,
    COORDINATOR,
    Seminar,
    ok,
    open_seminar,
    person,
    register,
)
from tests.seminar.test_registrations import check_in_everyone_and_hold
from tests.support.auth import bearer
from tests.support.waiting import header, read_topic
from tosei_common.catalogue.seminar import REGISTRATIONS, SEMINARS
from tosei_common.platform.clock import SettableClock, japan_moment
from tosei_common.platform.http import build_app
from tosei_common.platform.service import Runtime


async def test_the_rotation_over_ten_years_with_an_override(client: httpx.AsyncClient) -> None:
    before = ok(await client.get("/rotation?from_year=2021&years=10"))
    assert [y["host"]["name"] for y in before["years"]] == [
        "青森市", "平内町", "外ヶ浜町", "青森市", "平内町", "外ヶ浜町", "青森市", "平内町",
        "外ヶ浜町", "青森市",
    ]  # fmt: skip
    assert before["years"][5]["label"] == "令和8年度 (FY2026)"

    set_ = ok(
        await client.put(
            "/rotation/overrides/令和10年度",
            json={"host": "外ケ浜", "reason": "平内町は新庁舎移転の年で会場を確保できない"},
            headers=COORDINATOR,
        )
    )
    assert (set_["fiscal_year"], set_["host"]["code"], set_["by_rotation"]["name"]) == (
        2028,
        "023078",
        "平内町",
    )
    after = ok(await client.get("/rotation?from_year=2021&years=10"))
    changed = [
        (b["fiscal_year"], a["host"]["name"])
        for b, a in zip(before["years"], after["years"], strict=True)
        if b["host"] != a["host"]
    ]
    assert changed == [(2028, "外ヶ浜町")]
    assert after["years"][7]["reason"] == "平内町は新庁舎移転の年で会場を確保できない"
    assert after["years"][7]["set_by"] == "coordinator:kikaku-sato"

    ok(await client.delete("/rotation/overrides/2028", headers=COORDINATOR), 204)
    assert ok(await client.get("/rotation?from_year=2021&years=10")) == before


async def test_only_coordinators_override_and_only_with_a_reason(
    client: httpx.AsyncClient,
) -> None:
    body = {"host": "平内町", "reason": "会場改修"}
    assert (await client.put("/rotation/overrides/2026", json=body)).status_code == 401
    officer = bearer("municipality", municipality="平内町")
    assert (
        await client.put("/rotation/overrides/2026", json=body, headers=officer)
    ).status_code == 403
    for bad, field in (
        ({"host": "弘前市", "reason": "x"}, "host"),
        ({"host": "平内町", "reason": ""}, "reason"),
        ({"host": "平内町"}, "reason"),
    ):
        response = await client.put("/rotation/overrides/2026", json=bad, headers=COORDINATOR)
        assert response.status_code == 422
        assert response.json()["fields"][0]["field"] == field
    same = await client.put(
        "/rotation/overrides/2026", json={"host": "外ヶ浜町", "reason": "x"}, headers=COORDINATOR
    )
    assert same.status_code == 400  # it is Sotogahama's turn anyway
    year = await client.put("/rotation/overrides/平成2年度", json=body, headers=COORDINATOR)
    assert year.status_code == 422
    [problem] = year.json()["fields"]
    assert problem["field"] == "fiscal_year"
    assert "1990年度は範囲外です" in problem["message"]


async def test_a_year_that_is_over_keeps_its_host(
    client: httpx.AsyncClient, clock: SettableClock
) -> None:
    before = ok(await client.get("/rotation?from_year=2021&years=8"))
    past = await client.put(  # today is in FY2026 (令和8年度)
        "/rotation/overrides/2024",
        json={"host": "平内町", "reason": "記録の付け替え"},
        headers=COORDINATOR,
    )
    assert past.status_code == 409
    assert "令和6年度は終わった年度です" in past.json()["message"]
    assert "令和8年度以降" in past.json()["message"]
    assert ok(await client.get("/rotation?from_year=2021&years=8")) == before

    ok(
        await client.put(
            "/rotation/overrides/2027",
            json={"host": "外ヶ浜町", "reason": "青森市の会場が改修中"},
            headers=COORDINATOR,
        )
    )
    clock.set(japan_moment("2028-04-01 09:00"))  # FY2027 is over
    assert (await client.delete("/rotation/overrides/2027", headers=COORDINATOR)).status_code == 409
    again = await client.put(
        "/rotation/overrides/2027",
        json={"host": "平内町", "reason": "やはり平内町"},
        headers=COORDINATOR,
    )
    assert again.status_code == 409
    [kept] = ok(await client.get("/rotation?from_year=2027&years=1"))["years"]
    assert kept["host"]["name"] == "外ヶ浜町"
    assert kept["reason"] == "青森市の会場が改修中"


async def test_an_override_moves_a_planned_seminar_but_not_a_scheduled_one(
    client: httpx.AsyncClient,
) -> None:
    planned = ok(
        await client.post(
            "/seminars",
            json={"fiscal_year": "R10", "title": "多職種で支える看取り"},
            headers=COORDINATOR,
        ),
        201,
    )
    assert planned["host"]["name"] == "平内町"
    ok(
        await client.put(
            "/rotation/overrides/2028",
            json={"host": "青森市", "reason": "平内町の会場が改修中"},
            headers=COORDINATOR,
        )
    )
    moved = ok(await client.get(f"/seminars/{planned['id']}", headers=COORDINATOR))
    assert moved["host"]["name"] == "青森市"

    seminar = await open_seminar(client)  # FY2027, registration open
    refused = await client.put(
        "/rotation/overrides/2027",
        json={"host": "平内町", "reason": "遅すぎる変更"},
        headers=COORDINATOR,
    )
    assert refused.status_code == 409
    host = ok(await client.get(f"/seminars/{seminar.id}"))["host"]["name"]
    assert host == "青森市"


async def test_one_seminar_a_year(client: httpx.AsyncClient) -> None:
    body = {"fiscal_year": 2027, "title": "在宅医療と介護の連携"}
    first = ok(await client.post("/seminars", json=body, headers=COORDINATOR), 201)
    second = await client.post("/seminars", json=body, headers=COORDINATOR)
    assert second.status_code == 409
    assert second.json()["seminar_id"] == first["id"]
    ok(
        await client.post(
            f"/seminars/{first['id']}/state",
            json={"state": "cancelled", "reason": "感染症の流行により中止"},
            headers=COORDINATOR,
        )
    )
    ok(await client.post("/seminars", json=body, headers=COORDINATOR), 201)


async def test_state_transitions_are_checked_and_recorded(
    client: httpx.AsyncClient, service: Runtime
) -> None:
    created = ok(
        await client.post(
            "/seminars",
            json={"fiscal_year": 2027, "title": "在宅医療と介護の連携"},
            headers=COORDINATOR,
        ),
        201,
    )
    sid = created["id"]
    assert created["state"] == "planned"
    assert created["created_by"] == "coordinator:kikaku-sato"

    def offered(seminar: dict[str, Any]) -> list[tuple[str, str]]:
        return [(n["state"], n["label"]) for n in seminar["next_states"]]

    # The moves the screens offer as buttons: the lifecycle's, in its order, cancelling last
    assert offered(created) == [("scheduled", "開催決定"), ("cancelled", "中止")]

    async def move(state: str, **extra: str) -> httpx.Response:
        return await client.post(
            f"/seminars/{sid}/state", json={"state": state, **extra}, headers=COORDINATOR
        )

    skipped = await move("registration_open")
    assert skipped.status_code == 409
    assert skipped.json()["error"] == "invalid_transition"
    not_ready = await move("scheduled")
    assert not_ready.status_code == 409
    assert "開催日時と会場を決めてください" in not_ready.json()["message"]
    assert ok(await client.get(f"/seminars/{sid}", headers=COORDINATOR))["state"] == "planned"

    ok(
        await client.patch(
            f"/seminars/{sid}",
            json={"date": "令和9年11月6日", "start_time": "13:30", "end_time": "16:30"},
            headers=COORDINATOR,
        )
    )
    venue = ok(
        await client.post(
            f"/seminars/{sid}/venues",
            json={
                "name": "平内町文化会館",
                "municipality": "平内町",
                "capacity": 150,
                "fee": 20000,
            },
            headers=COORDINATOR,
        ),
        201,
    )
    ok(
        await client.put(
            f"/seminars/{sid}/venue", json={"venue_id": venue["id"]}, headers=COORDINATOR
        )
    )
    scheduled = ok(await move("scheduled"))
    assert (scheduled["state"], scheduled["state_label"]) == ("scheduled", "開催決定")
    assert scheduled["date_label"] == "令和9年11月6日"
    assert (await move("held")).status_code == 409
    assert offered(scheduled) == [("registration_open", "申込受付中"), ("cancelled", "中止")]
    ok(await move("registration_open"))
    closed = ok(await move("registration_closed"))
    assert [state for state, _ in offered(closed)] == ["registration_open", "held", "cancelled"]
    ok(await move("registration_open"))  # reopened for latecomers
    ok(await move("registration_closed"))
    nobody = await move("held")
    assert nobody.status_code == 409
    no_reason = await move("cancelled")
    assert no_reason.status_code == 422
    cancelled = ok(await move("cancelled", reason="大雪警報のため中止"))
    assert offered(cancelled) == []
    assert "next_states" not in ok(await client.get(f"/seminars/{sid}"))  # staff only
    assert (await move("registration_open")).status_code == 409

    history = ok(await client.get(f"/seminars/{sid}/history", headers=AUDITOR))["changes"]
    actions = [c["action"] for c in history]
    assert actions[0] == "seminar.created"
    assert actions[-1] == "seminar.cancelled"
    assert {c["actor"] for c in history} == {"coordinator:kikaku-sato"}
    async with service.pool.acquire() as conn:
        types = [r["type"] for r in await conn.fetch("SELECT type FROM outbox ORDER BY seq")]
    assert [t.split(".")[-2] for t in types] == [
        "scheduled", "registration_opened", "registration_closed", "registration_opened",
        "registration_closed", "cancelled",
    ]  # fmt: skip


async def test_the_public_sees_published_seminars_without_fees_or_budget(
    client: httpx.AsyncClient,
) -> None:
    planned = ok(
        await client.post(
            "/seminars", json={"fiscal_year": 2028, "title": "準備中"}, headers=COORDINATOR
        ),
        201,
    )
    seminar = await open_seminar(client)
    ok(
        await client.post(
            f"/seminars/{seminar.id}/speakers",
            json={
                "name": "佐藤 良子",
                "affiliation": "医療法人 在宅ケアクリニック",
                "profession": "在宅医",
                "keynote": True,
                "fee": 100000,
                "talk_title": "住み慣れた家で最期まで — 在宅医療の現場から",
            },
            headers=COORDINATOR,
        ),
        201,
    )
    listed = ok(await client.get("/seminars"))["seminars"]
    assert [s["id"] for s in listed] == [seminar.id]
    assert (await client.get(f"/seminars/{planned['id']}")).status_code == 404
    assert ok(await client.get(f"/seminars/{planned['id']}", headers=AUDITOR))["title"] == "準備中"
    public = ok(await client.get(f"/seminars/{seminar.id}"))
    assert public["speakers"] == [
        {
            "id": public["speakers"][0]["id"],
            "name": "佐藤 良子",
            "affiliation": "医療法人 在宅ケアクリニック",
            "profession": "在宅医",
            "keynote": True,
            "talk_title": "住み慣れた家で最期まで — 在宅医療の現場から",
        }
    ]
    assert "budget" not in public
    assert "stream_url" not in public
    staff = ok(await client.get(f"/seminars/{seminar.id}", headers=COORDINATOR))
    assert staff["speakers"][0]["fee"] == 100000
    assert len(ok(await client.get("/seminars", headers=COORDINATOR))["seminars"]) == 2


async def test_the_venue_recommendation_follows_the_registrations(
    client: httpx.AsyncClient,
) -> None:
    seminar = await open_seminar(client, venue_seats=10)
    for n in range(12):
        await register(client, seminar, person(n))
    advice = ok(
        await client.get(
            f"/seminars/{seminar.id}/venue-recommendation?no_show_rate=0.25&margin=0.1",
            headers=COORDINATOR,
        )
    )
    # 12 registered for the venue, a quarter stay away: 9 expected, 10 seats with the margin.
    assert (advice["registrations"], advice["expected_audience"], advice["seats_needed"]) == (
        12,
        9,
        10,
    )
    assert advice["recommended"]["id"] == seminar.small_venue
    assert "10席が必要" in advice["reason"]
    bigger = ok(
        await client.get(
            f"/seminars/{seminar.id}/venue-recommendation?expected_turnout=30&no_show_rate=0",
            headers=COORDINATOR,
        )
    )
    assert bigger["basis"] == "expected_turnout"
    assert bigger["recommended"]["id"] == seminar.large_venue
    for query in ("no_show_rate=1.5", "margin=-1", "expected_turnout=-3", "no_show_rate=nan"):
        response = await client.get(
            f"/seminars/{seminar.id}/venue-recommendation?{query}", headers=COORDINATOR
        )
        assert response.status_code == 422, query


async def test_with_no_registrations_the_sizing_asks_or_uses_last_year(
    client: httpx.AsyncClient, clock: SettableClock
) -> None:
    this_year = await open_seminar(client, venue_seats=10)

    def advice_for(seminar: Seminar, query: str = "") -> Awaitable[httpx.Response]:
        return client.get(
            f"/seminars/{seminar.id}/venue-recommendation?{query}", headers=COORDINATOR
        )

    nothing = await advice_for(this_year)
    assert nothing.status_code == 422  # not "0席が必要です" and the 10-seat room
    body = nothing.json()
    assert "見込み参加者数（expected_turnout）を指定してください" in body["message"]
    assert [f["field"] for f in body["fields"]] == ["expected_turnout"]
    assert (await advice_for(this_year, "expected_turnout=0")).status_code == 422

    # FY2027 is held: 8 registered for the venue, 6 came (a quarter stayed away)
    people = [await register(client, this_year, person(n)) for n in range(8)]
    await check_in_everyone_and_hold(client, this_year, [p["reference"] for p in people[:6]], clock)
    next_year = await open_seminar(client, venue_seats=10, fiscal_year=2028)
    advice = ok(await advice_for(next_year))
    assert advice["basis"] == "last_year"
    assert (advice["registrations"], advice["no_show_rate"]) == (8, 0.25)
    assert (advice["expected_audience"], advice["seats_needed"]) == (6, 7)
    assert advice["reason"].startswith(
        "まだ申込がないため昨年度（令和9年度）の実績で見積もります。"
        "昨年度の会場参加の申込者数8人、欠席率25%で来場見込み6人"
    )
    assert advice["recommended"]["id"] == next_year.small_venue
    assert ok(await advice_for(next_year, "no_show_rate=0"))["seats_needed"] == 9

    await register(client, next_year, person(99))
    first = ok(await advice_for(next_year))
    assert (first["basis"], first["registrations"], first["no_show_rate"]) == (
        "registrations",
        1,
        0.1,
    )


async def test_moving_to_a_bigger_venue_seats_the_wait_list(client: httpx.AsyncClient) -> None:
    seminar = await open_seminar(client, venue_seats=2)
    people = [await register(client, seminar, person(n)) for n in range(5)]
    assert [p["status"] for p in people].count("waitlisted") == 3
    ok(
        await client.put(
            f"/seminars/{seminar.id}/venue",
            json={"venue_id": seminar.large_venue},
            headers=COORDINATOR,
        )
    )
    states = [ok(await client.get(f"/registrations/{p['reference']}")) for p in people]
    assert {s["status"] for s in states} == {"accepted"}
    assert states[0]["place"]["name"] == "リンクステーションホール青森"
    back = await client.put(
        f"/seminars/{seminar.id}/venue",
        json={"venue_id": seminar.small_venue},
        headers=COORDINATOR,
    )
    assert back.status_code == 422  # 5 accepted do not fit in 2 seats


async def test_the_history_names_what_changed_and_every_promotion(
    client: httpx.AsyncClient,
) -> None:
    seminar = await open_seminar(client, venue_seats=2, site_seats=2)
    for n in range(4):
        await register(client, seminar, person(n))  # two seated, two waiting
    hiranai = {"municipality": "平内町", "mode": "viewing_site", "site_id": seminar.hiranai_site}
    for n in range(3):
        await register(client, seminar, person(10 + n, **hiranai))  # two seated, one waiting
    sid = seminar.id
    venue = {"venue_id": seminar.large_venue}
    ok(await client.put(f"/seminars/{sid}/venue", json=venue, headers=COORDINATOR))
    site = {"name": "平内町中央公民館 大ホール", "capacity": 3}
    ok(await client.patch(f"/seminars/{sid}/sites/{seminar.hiranai_site}", json=site,
                          headers=COORDINATOR))  # fmt: skip
    history = ok(await client.get(f"/seminars/{sid}/history", headers=AUDITOR))["changes"]
    by_action = {c["action"]: c for c in history}

    chosen = by_action["venue.chosen"]
    assert chosen["summary"] == (
        "会場を「青森市民ホール 大会議室」から「リンクステーションホール青森」に変更しました"
        "（2席→8席）。キャンセル待ちの2人が参加確定になりました"
    )
    assert chosen["detail"]["capacity"] == {"old": 2, "new": 8}
    assert len(chosen["detail"]["promoted"]["new"]) == 2
    changed = by_action["site.changed"]
    assert changed["summary"] == (
        "サテライト会場「平内町中央公民館 研修室」を変更しました"
        "（名称を「平内町中央公民館 大ホール」に、2席→3席）。"
        "キャンセル待ちの1人が参加確定になりました"
    )
    assert len(changed["detail"]["promoted"]["new"]) == 1
    added = [c["summary"] for c in history if c["action"] == "venue.added"]
    assert added == [
        "候補会場「青森市民ホール 大会議室」を追加しました（2席）",
        "候補会場「リンクステーションホール青森」を追加しました（8席）",
    ]
    assert by_action["online.set"]["summary"] == (
        "オンライン配信の席数を300席に設定、配信URLを設定しました"
    )
    assert by_action["seminar.registration_open"]["summary"] == (
        "状態を「開催決定」から「申込受付中」にしました"
    )
    assert all(c["summary"] != c["action"] for c in history), [c["action"] for c in history]


async def test_the_budget_shows_totals_and_what_it_does_not_cover(
    client: httpx.AsyncClient,
) -> None:
    seminar = await open_seminar(client)
    ok(
        await client.post(
            f"/seminars/{seminar.id}/speakers",
            json={
                "name": "佐藤 良子",
                "affiliation": "在宅ケアクリニック",
                "keynote": True,
                "fee": 100000,
            },
            headers=COORDINATOR,
        ),
        201,
    )
    venue_line = ok(
        await client.post(
            f"/seminars/{seminar.id}/budget",
            json={"category": "venue", "item": "会場使用料", "planned": 45000},
            headers=COORDINATOR,
        ),
        201,
    )["id"]
    ok(
        await client.post(
            f"/seminars/{seminar.id}/budget",
            json={"category": "keynote", "item": "基調講演 謝金", "planned": 80000},
            headers=COORDINATOR,
        ),
        201,
    )
    ok(
        await client.patch(
            f"/seminars/{seminar.id}/budget/{venue_line}",
            json={"actual": 44000},
            headers=COORDINATOR,
        )
    )
    budget = ok(await client.get(f"/seminars/{seminar.id}", headers=COORDINATOR))["budget"]
    assert (budget["planned_total"], budget["actual_total"], budget["unsettled_lines"]) == (
        125000,
        44000,
        1,
    )
    assert budget["warnings"] == ["講師謝金の予算80,000円が講師謝金の合計100,000円に足りません"]
    ok(
        await client.patch(
            f"/seminars/{seminar.id}/budget/{venue_line}",
            json={"actual": None},
            headers=COORDINATOR,
        )
    )
    budget = ok(await client.get(f"/seminars/{seminar.id}", headers=COORDINATOR))["budget"]
    assert budget["actual_total"] == 0
    too_much = await client.post(
        f"/seminars/{seminar.id}/budget",
        json={"category": "other", "item": "資料印刷", "planned": 2**31},
        headers=COORDINATOR,
    )
    assert too_much.status_code == 422


async def test_bad_seminar_input_is_refused_with_the_field_and_writes_nothing(
    client: httpx.AsyncClient, service: Runtime
) -> None:
    cases = [
        ({"fiscal_year": 2026, "title": ""}, "title"),
        ({"fiscal_year": 2019, "title": "x"}, "fiscal_year"),
        ({"fiscal_year": "来年", "title": "x"}, "fiscal_year"),
        (
            {
                "fiscal_year": 2026,
                "title": "x",
                "date": "2027/4/1",
                "start_time": "13:00",
                "end_time": "15:00",
            },
            "date",
        ),
        (
            {
                "fiscal_year": 2026,
                "title": "x",
                "date": "2026/2/30",
                "start_time": "13:00",
                "end_time": "15:00",
            },
            "date",
        ),
        ({"fiscal_year": 2026, "title": "x", "date": "2026/10/1"}, "start_time"),
        ({"fiscal_year": 2026, "title": "x", "hall": "青森"}, "hall"),
    ]
    for body, field in cases:
        response = await client.post("/seminars", json=body, headers=COORDINATOR)
        assert response.status_code == 422, body
        assert field in {f["field"] for f in response.json()["fields"]}, response.text
    async with service.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM seminars") == 0
        assert await conn.fetchval("SELECT count(*) FROM audit_log") == 0


async def test_fuzzing_the_api_finds_no_server_error(service: Runtime) -> None:
    from tests.support.fuzz import server_errors

    failures = await server_errors(build_app(service), COORDINATOR, max_examples=15)
    assert failures == []


async def test_times_with_a_time_zone_are_refused_as_the_times_are_japan_s(
    client: httpx.AsyncClient, service: Runtime
) -> None:
    day = {"fiscal_year": 2027, "title": "在宅医療と介護の連携", "date": "2027-10-17"}
    cases = [
        ({"start_time": "13:30+09:00", "end_time": "16:30"}, "start_time"),
        ({"start_time": "13:30Z", "end_time": "16:30"}, "start_time"),
        ({"start_time": "13:30", "end_time": "16:30+09:00"}, "end_time"),
        ({"start_time": "04:30Z", "end_time": "07:30Z"}, "start_time"),
    ]
    for times, field in cases:
        response = await client.post("/seminars", json=day | times, headers=COORDINATOR)
        assert response.status_code == 422, (times, response.text)
        assert field in {f["field"] for f in response.json()["fields"]}, response.text
    async with service.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM seminars") == 0

    local = {"start_time": "13:30", "end_time": "16:30"}
    created = await client.post("/seminars", json=day | local, headers=COORDINATOR)
    sid = ok(created, 201)["id"]
    for times, field in cases:
        response = await client.patch(
            f"/seminars/{sid}",
            json={"date": "2027-10-18"} | times,
            headers=COORDINATOR,
        )
        assert response.status_code == 422, (times, response.text)
        assert field in {f["field"] for f in response.json()["fields"]}, response.text
    kept = ok(await client.get(f"/seminars/{sid}", headers=COORDINATOR))
    assert kept["starts_at"].startswith("2027-10-17T13:30:00+09:00"), kept


async def test_a_new_date_and_changed_seats_reach_the_topics_once_the_seminar_is_scheduled(
    client: httpx.AsyncClient, service: Runtime
) -> None:
    seminar = await open_seminar(client, venue_seats=1)
    sid = seminar.id
    first = await register(client, seminar, person(1))
    await register(client, seminar, person(2))  # waits for the one seat

    async def call(method: str, path: str, body: dict[str, Any], status: int = 200) -> Any:
        answer = await client.request(
            method, f"/seminars/{sid}{path}", json=body, headers=COORDINATOR
        )
        return ok(answer, status)

    # Nothing integrators see: no event.
    await call("PATCH", "", {"title": "在宅医療合同研修会 2027"})
    await call("PATCH", "", {"date": "2027-10-17", "start_time": "13:30", "end_time": "16:30"})
    # A new day and times.
    await call("PATCH", "", {"date": "令和9年10月24日", "start_time": "10:00", "end_time": "12:30"})
    # A bigger hall in the same town seats the one waiting.
    await call("PUT", "/venue", {"venue_id": seminar.large_venue})
    await call("PUT", "/venue", {"venue_id": seminar.large_venue})  # the same again: nothing
    # A hall in another town.
    hall = {"name": "平内町文化会館 ホール", "municipality": "平内町", "capacity": 10, "fee": 0}
    hall_id = (await call("POST", "/venues", hall, 201))["id"]
    await call("PUT", "/venue", {"venue_id": hall_id})
    # The online seats; a new address alone is nothing integrators see.
    await call("PUT", "/online", {"stream_url": "https://stream.example.jp/2", "capacity": 300})
    await call("PUT", "/online", {"stream_url": "https://stream.example.jp/2", "capacity": 50})
    # A site: renamed (nothing), more seats, another site added and removed.
    await call("PATCH", f"/sites/{seminar.hiranai_site}", {"name": "平内町中央公民館 大研修室"})
    await call("PATCH", f"/sites/{seminar.hiranai_site}", {"capacity": 6})
    site = {"name": "外ヶ浜町役場 会議室", "municipality": "外ヶ浜町", "capacity": 20}
    extra = (await call("POST", "/sites", site, 201))["id"]
    ok(await client.delete(f"/seminars/{sid}/sites/{extra}", headers=COORDINATOR), 204)

    seminars = await read_topic(service.kafka_bootstrap, SEMINARS.name, expect=3)
    assert [ce_type(r) for r in seminars] == [
        "jp.tosei.seminar.seminar.scheduled.v1",
        "jp.tosei.seminar.seminar.registration_opened.v1",
        "jp.tosei.seminar.seminar.rescheduled.v1",
    ]
    moved = json.loads(seminars[-1].value)
    assert moved["seminar_id"] == sid
    assert moved["fiscal_year"] == 2027
    assert datetime.fromisoformat(moved["starts_at"]) == datetime(2027, 10, 24, 1, 0, tzinfo=UTC)
    assert datetime.fromisoformat(moved["ends_at"]) == datetime(2027, 10, 24, 3, 30, tzinfo=UTC)

    records = await read_topic(service.kafka_bootstrap, REGISTRATIONS.name, expect=9)
    assert [ce_type(r).split(".")[-3:-1] for r in records] == [
        ["registration", "accepted"],
        ["registration", "waitlisted"],
        ["place", "changed"],
        ["registration", "promoted"],
        ["place", "changed"],
        ["place", "changed"],
        ["place", "changed"],
        ["place", "changed"],
        ["place", "changed"],
    ]
    changes = [json.loads(r.value) for r in records if ce_type(r).endswith(".place.changed.v1")]
    shown = [
        (c["mode"], c["municipality"], c["capacity"], c["seated"], c["waiting"], c["removed"])
        for c in changes
    ]
    assert shown == [
        ("venue", "022012", 4, 1, 1, False),  # then the one waiting is promoted
        ("venue", "023019", 10, 2, 0, False),
        ("online", None, 50, 0, 0, False),
        ("viewing_site", "023019", 6, 0, 0, False),
        ("viewing_site", "023078", 20, 0, 0, False),
        ("viewing_site", "023078", 0, 0, 0, True),
    ]
    assert {c["place_id"] for c in changes[:2]} == {seminar.venue_place}
    assert changes[2]["place_id"] == seminar.online_place
    assert changes[3]["place_id"] == seminar.hiranai_site
    assert changes[4]["place_id"] == changes[5]["place_id"] == extra
    promoted = json.loads(records[3].value)
    assert (promoted["capacity"], promoted["seated"], promoted["waiting"]) == (4, 2, 0)
    for record in [*seminars, *records]:
        assert record.key == sid.encode()
        raw = record.value.decode()
        for text in ("公民館", "会館", "ホール", "会議室", "stream.example.jp", first["reference"]):
            assert text not in raw, raw


def ce_type(record: ConsumerRecord[bytes, bytes]) -> str:
    return header(record, "ce_type") or ""


async def test_a_draft_cancelled_before_it_was_announced_stays_unpublished(
    client: httpx.AsyncClient,
) -> None:
    draft = ok(
        await client.post(
            "/seminars",
            json={"fiscal_year": 2035, "title": "まだ公表していない研修会"},
            headers=COORDINATOR,
        ),
        201,
    )
    ok(
        await client.post(
            f"/seminars/{draft['id']}/state",
            json={"state": "cancelled", "reason": "企画の見直し"},
            headers=COORDINATOR,
        )
    )
    public = ok(await client.get("/seminars"))
    listed = public if isinstance(public, list) else public.get("seminars", public)
    assert "まだ公表していない研修会" not in str(listed)
    assert (await client.get(f"/seminars/{draft['id']}")).status_code == 404
    staff = ok(await client.get("/seminars", headers=COORDINATOR))
    assert "まだ公表していない研修会" in str(staff)  # coordinators still see it, cancelled
    announced = await open_seminar(client)  # scheduled and open: the public knew it
    ok(
        await client.post(
            f"/seminars/{announced.id}/state",
            json={"state": "cancelled", "reason": "大雪警報のため中止"},
            headers=COORDINATOR,
        )
    )
    shown = ok(await client.get(f"/seminars/{announced.id}"))
    assert shown["state_label"] == "中止"  # told, not hidden
