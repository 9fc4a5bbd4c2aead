"""Bad requests get a specific 4xx naming the field, in Japanese (English on request), and write
nothing; commands repeated with an Idempotency-Key have one effect."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx

from tests.requests.towns import (
    AOMORI,
    AUDITOR,
    BRIEFING_2020,
    COORDINATOR,
    DESK,
    DOCTORS,
    EN,
    HIRANAI,
    IMABETSU,
    PORT,
    SIDEWALK,
    Programme,
    item,
    officer,
)


async def written(db: asyncpg.Connection, schema: str) -> tuple[int, int, int, int]:
    """How much the service has recorded: items, briefings, answers, history entries."""
    row = await db.fetchrow(
        f"SELECT (SELECT count(*) FROM {schema}.request_items),"
        f" (SELECT count(*) FROM {schema}.briefings), (SELECT count(*) FROM {schema}.answers),"
        f" (SELECT count(*) FROM {schema}.audit_log)"
    )
    assert row is not None
    return (row[0], row[1], row[2], row[3])


async def answer(http: httpx.AsyncClient, found: Any, received_on: str) -> httpx.Response:
    body = {"received_on": received_on, "text": "検討する", "department": "kendo"}
    return await http.put(
        f"/request-items/{found['id']}/answer",
        json={**body, "status": "under_study"},
        headers=COORDINATOR,
    )


def refused(response: httpx.Response, status: int, field: str) -> str:
    """The answer is ``status`` naming ``field``; returns its message."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert [f["field"] for f in body.get("fields", [])] == [field], body
    message: str = body["message"]
    return message


async def test_bad_requests_name_the_field_and_write_nothing(
    programme: Programme, db: asyncpg.Connection, schema: str
) -> None:
    p = programme
    http = p.http
    closed = await http.post(
        "/request-items", json={**PORT, "fiscal_year": 2020}, headers=officer(AOMORI)
    )
    assert "令和2年度の要望の作成はまだ始まっていません" in refused(closed, 422, "fiscal_year")
    await p.open_year(2020)
    port = await p.adopted(PORT, officer(AOMORI))
    sidewalk = await p.draft(SIDEWALK, officer(HIRANAI))
    before = await written(db, schema)

    outside = await http.put(
        "/briefings/2020", json={**BRIEFING_2020, "held_on": "2021/4/1"}, headers=COORDINATOR
    )
    assert "令和2年度" in refused(outside, 422, "held_on")
    english = await http.put(
        "/briefings/2020",
        json={**BRIEFING_2020, "held_on": "2021-04-01"},
        headers={**COORDINATOR, **EN},
    )
    assert refused(english, 422, "held_on").startswith("held_on 2021-04-01 is outside fiscal year")
    backwards = await http.put(
        "/briefings/2020", json={**BRIEFING_2020, "ends_at": "10:30"}, headers=COORDINATOR
    )
    assert refused(backwards, 422, "ends_at") == "終了時刻が開始時刻より後になっていません"
    zoned = await http.put(
        "/briefings/2020", json={**BRIEFING_2020, "starts_at": "11:00+09:00"}, headers=COORDINATOR
    )
    refused(zoned, 422, "starts_at")
    twice = await http.put(
        "/briefings/2020",
        json={
            **BRIEFING_2020,
            "attendees": [
                *BRIEFING_2020["attendees"],
                {"municipality": "青森", "office": "deputy"},
            ],
        },
        headers=COORDINATOR,
    )
    assert "青森市が2回以上" in refused(twice, 422, "attendees")
    unknown_plan = await http.post(
        "/request-items",
        json={
            **item(SIDEWALK, plan_item_ids=["3f2b8c1e-6d4a-4f0e-9b7a-2c5d8e1f0a93"]),
            "fiscal_year": 2020,
        },
        headers=officer(HIRANAI),
    )
    assert "国土強靱化地域計画に事業" in refused(unknown_plan, 422, "plan_item_ids")
    unknown_department = await http.post(
        "/request-items",
        json={**item(SIDEWALK, departments=["kendo", "doboku"]), "fiscal_year": 2020},
        headers=officer(HIRANAI),
    )
    assert "担当部局「doboku」は一覧にありません" in refused(unknown_department, 422, "departments")
    no_briefing = await http.put(
        "/briefings/2020/agenda", json={"items": [port["id"]]}, headers=COORDINATOR
    )
    assert no_briefing.status_code == 404
    assert await written(db, schema) == before

    await p.call("PUT", "/briefings/2020", COORDINATOR, BRIEFING_2020)
    before = await written(db, schema)
    unadopted = await http.put(
        "/briefings/2020/agenda", json={"items": [port["id"], sidewalk["id"]]}, headers=COORDINATOR
    )
    assert "採択されていないため議題にできません" in refused(unadopted, 422, "items.1")
    repeated = await http.put(
        "/briefings/2020/agenda", json={"items": [port["id"], port["id"]]}, headers=COORDINATOR
    )
    refused(repeated, 422, "items")
    empty_fix = await http.post("/briefings/2020/agenda/fix", headers=COORDINATOR)
    refused(empty_fix, 422, "agenda")
    early = await answer(http, port, "2020-11-01")
    assert early.status_code == 409  # the agenda is not fixed: answers come after the briefing
    assert await written(db, schema) == before

    await p.call("PUT", "/briefings/2020/agenda", COORDINATOR, {"items": [port["id"]]})
    await p.call("POST", "/briefings/2020/agenda/fix", COORDINATOR)
    fixed_again = await http.post("/briefings/2020/agenda/fix", headers=COORDINATOR)
    assert fixed_again.status_code == 409
    await p.move(sidewalk, "submitted", officer(HIRANAI))
    late = await p.move(sidewalk, "adopted", COORDINATOR, reason="議題確定後の追加採択")
    before = await written(db, schema)
    not_on_agenda = await answer(http, late, "2020-11-01")
    assert "議題に載っていないため" in refused(not_on_agenda, 422, "item_id")
    p.at("2020-11-02 09:00")
    before_briefing = await answer(http, port, "2020-10-15")
    assert "説明会（令和2年10月16日）より前です" in refused(before_briefing, 422, "received_on")
    future = await answer(http, port, "2020-11-03")
    refused(future, 422, "received_on")
    on_agenda = await http.post(
        f"/request-items/{port['id']}/transitions",
        json={"to": "withdrawn", "reason": "事業見直し"},
        headers=COORDINATOR,
    )
    assert "先に議題から外してください" in refused(on_agenda, 409, "to")
    no_reason = await http.put(
        "/briefings/2020/agenda", json={"items": [port["id"], late["id"]]}, headers=COORDINATOR
    )
    refused(no_reason, 422, "reason")
    minutes_early = await http.put(
        "/briefings/2020/minutes", json={"minutes": "説明した"}, headers=COORDINATOR
    )
    assert minutes_early.status_code == 200  # 2 Nov: the briefing is over
    assert (await written(db, schema))[:3] == before[:3]


async def test_who_may_do_what_is_said_in_japanese(programme: Programme) -> None:
    p = programme
    http = p.http
    await p.open_year(2020)
    port = await p.draft(PORT, officer(AOMORI))
    doctors = await p.draft(DOCTORS, officer(IMABETSU))

    other_town = await http.patch(
        f"/request-items/{doctors['id']}",
        json={"version": 1, "title": "医師確保"},
        headers=officer(HIRANAI),
    )
    assert other_town.status_code == 200  # a joint item: any of its towns, while a draft
    hidden = await http.get(f"/request-items/{port['id']}", headers=officer(HIRANAI))
    assert hidden.status_code == 404  # another town's draft
    assert port["id"] not in {
        i["id"] for i in (await p.get("/request-items", officer(HIRANAI)))["items"]
    }
    not_theirs = await http.post(
        "/request-items", json={**PORT, "fiscal_year": 2020}, headers=officer(HIRANAI)
    )
    assert not_theirs.status_code == 403
    assert not_theirs.json()["message"] == "要望する市町村に平内町を含めてください"
    desk = await http.get("/request-items", headers=DESK)
    assert desk.status_code == 403
    assert desk.json()["message"].startswith("重点要望の閲覧は")
    auditor = await http.post("/request-items", json={**PORT, "fiscal_year": 2020}, headers=AUDITOR)
    assert auditor.status_code == 403
    await p.move(port, "submitted", officer(AOMORI))
    self_adopt = await http.post(
        f"/request-items/{port['id']}/transitions", json={"to": "adopted"}, headers=officer(AOMORI)
    )
    assert self_adopt.status_code == 403
    assert "コーディネーター" in self_adopt.json()["message"]
    await p.move(doctors, "submitted", officer(AOMORI))
    joint_submitted = await http.patch(
        f"/request-items/{doctors['id']}",
        json={"version": 3, "title": "医師確保の充実"},
        headers=officer(AOMORI),
    )
    assert joint_submitted.status_code == 403
    assert "共同要望は作成中の間だけ" in joint_submitted.json()["message"]
    briefing = await http.put("/briefings/2020", json=BRIEFING_2020, headers=officer(AOMORI))
    assert briefing.status_code == 403
    assert briefing.json()["message"].startswith("説明会の日程の登録はコーディネーターだけが")
    stale = await http.patch(
        f"/request-items/{port['id']}",
        json={"version": 1, "town_priority": 3},
        headers=officer(AOMORI),
    )
    assert stale.status_code == 409
    assert stale.json()["fields"] == [{"field": "version", "message": "現在は第2版です"}]


async def test_a_version_beyond_the_current_one_is_said_to_be_missing(
    programme: Programme,
) -> None:
    p = programme
    await p.open_year(2020)
    port = await p.draft(PORT, officer(AOMORI))

    ahead = await p.http.patch(
        f"/request-items/{port['id']}",
        json={"version": 9, "town_priority": 3},
        headers=officer(AOMORI),
    )

    assert ahead.status_code == 409
    assert "他の人" not in ahead.json()["message"]
    assert "に第9版はありません（現在は第1版です）" in ahead.json()["message"]
    assert ahead.json()["fields"] == [
        {"field": "version", "message": "第9版はありません（現在は第1版です）"}
    ]


async def test_a_repeated_command_with_its_idempotency_key_has_one_effect(
    programme: Programme, db: asyncpg.Connection, schema: str
) -> None:
    p = programme
    await p.open_year(2020)
    headers = {**officer(AOMORI), "Idempotency-Key": "draft-port-1"}
    first = await p.http.post("/request-items", json={**PORT, "fiscal_year": 2020}, headers=headers)
    again = await p.http.post("/request-items", json={**PORT, "fiscal_year": 2020}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert await db.fetchval(f"SELECT count(*) FROM {schema}.request_items") == 1
