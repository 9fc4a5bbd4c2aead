"""Registrations through the HTTP API on the real database and broker."""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any

import httpx
import pypdf

from tests.seminar.conftest import (
    AUDITOR,
    COORDINATOR,
    ON_THE_DAY,
    THAT_MORNING,
    Seminar,
    ok,
    open_seminar,
    person,
    register,
)
from tests.support.auth import bearer
from tests.support.runtime import Start, fast_settings
from tests.support.waiting import eventually, read_topic
from tosei_common.catalogue.seminar import REGISTRATIONS, SEMINARS
from tosei_common.platform.clock import SettableClock
from tosei_common.platform.http import build_app
from tosei_common.platform.service import Runtime
from tosei_seminar.app import SERVICE


async def test_500_simultaneous_registrations_for_100_seats_seat_exactly_100_and_queue_the_rest(
    start: Start, schema: str
) -> None:
    # A pool of 20 lets 20 transactions race for the same place at any moment.
    async with start(SERVICE, fast_settings(db_pool_max=20), schema=schema) as rt:
        transport = httpx.ASGITransport(app=build_app(rt))
        async with httpx.AsyncClient(transport=transport, base_url="http://seminar") as client:
            await crowd_registers(client)


async def crowd_registers(client: httpx.AsyncClient) -> None:
    seminar = await open_seminar(client, venue_seats=100)
    responses = await asyncio.gather(
        *(client.post(f"/seminars/{seminar.id}/registrations", json=person(n)) for n in range(500))
    )
    assert [r.status_code for r in responses] == [201] * 500
    bodies = [r.json() for r in responses]
    accepted = [b for b in bodies if b["status"] == "accepted"]
    waiting = [b for b in bodies if b["status"] == "waitlisted"]
    assert len(accepted) == 100
    assert sorted(b["position"] for b in waiting) == list(range(1, 401))
    assert len({b["reference"] for b in bodies}) == 500

    listed = ok(await client.get(f"/seminars/{seminar.id}/registrations", headers=COORDINATOR))
    venue = next(p for p in listed["places"] if p["mode"] == "venue")
    assert (venue["seated"], venue["waiting"], venue["seats_left"]) == (100, 400, 0)
    # The wait list is in arrival order: the position each was told is where they stand.
    told = {b["reference"]: b["position"] for b in waiting}
    standing = {
        r["reference"]: r["position"]
        for r in listed["registrations"]
        if r["status"] == "waitlisted"
    }
    assert standing == told


async def test_a_cancellation_promotes_the_first_waiting_person(
    client: httpx.AsyncClient, service: Runtime
) -> None:
    seminar = await open_seminar(client, venue_seats=2)
    seated = [await register(client, seminar, person(n)) for n in range(2)]
    queue = [await register(client, seminar, person(n)) for n in range(2, 5)]
    assert [q["position"] for q in queue] == [1, 2, 3]

    cancelled = ok(await client.post(f"/registrations/{seated[0]['reference']}/cancel"))
    assert cancelled["promoted"] == 1

    first = ok(await client.get(f"/registrations/{queue[0]['reference']}"))
    assert first["status"] == "accepted"
    assert first["position"] is None
    second = ok(await client.get(f"/registrations/{queue[1]['reference']}"))
    assert (second["status"], second["position"]) == ("waitlisted", 1)
    third = ok(await client.get(f"/registrations/{queue[2]['reference']}"))
    assert third["position"] == 2

    # A waiting person who cancels leaves the queue; nobody is promoted past the seats.
    ok(await client.post(f"/registrations/{queue[1]['reference']}/cancel"))
    third = ok(await client.get(f"/registrations/{queue[2]['reference']}"))
    assert (third["status"], third["position"]) == ("waitlisted", 1)

    async with service.pool.acquire() as conn:
        log = await conn.fetch(
            "SELECT action, actor FROM audit_log WHERE action = 'registration.cancelled'"
        )
    assert {r["actor"].split(":")[0] for r in log} == {"registrant"}


async def test_seats_added_to_a_full_site_go_to_its_wait_list_in_order(
    client: httpx.AsyncClient,
) -> None:
    seminar = await open_seminar(client, site_seats=1)
    hiranai = {"municipality": "平内町", "mode": "viewing_site"}
    first = await register(client, seminar, person(1, **hiranai))
    waiting = [await register(client, seminar, person(n, **hiranai)) for n in (2, 3, 4)]
    assert first["status"] == "accepted"
    assert [w["position"] for w in waiting] == [1, 2, 3]

    ok(
        await client.patch(
            f"/seminars/{seminar.id}/sites/{seminar.hiranai_site}",
            json={"capacity": 3},
            headers=COORDINATOR,
        )
    )
    states = [ok(await client.get(f"/registrations/{w['reference']}")) for w in waiting]
    assert [(s["status"], s["position"]) for s in states] == [
        ("accepted", None),
        ("accepted", None),
        ("waitlisted", 1),
    ]
    shrink = await client.patch(
        f"/seminars/{seminar.id}/sites/{seminar.hiranai_site}",
        json={"capacity": 1},
        headers=COORDINATOR,
    )
    assert shrink.status_code == 422
    assert shrink.json()["fields"] == [{"field": "capacity", "message": "3以上にしてください"}]


async def test_the_same_person_registering_twice_is_told_so_and_registered_once(
    client: httpx.AsyncClient,
) -> None:
    seminar = await open_seminar(client)
    first = await register(client, seminar, person(1, email="Hanako@Example.jp", name="山田 花子"))
    again = await client.post(
        f"/seminars/{seminar.id}/registrations",
        json=person(1, email="hanako@example.jp", name="山田　花子", mode="online"),
    )
    assert again.status_code == 409
    assert again.json()["reason"] == "already_registered"
    assert first["reference"] not in again.text  # the reference is never handed to a second asker
    # Twins racing each other: still one registration.
    racing = await asyncio.gather(
        *(
            client.post(
                f"/seminars/{seminar.id}/registrations",
                json=person(2, name="佐藤 一郎", email=None, phone="0177-55-1234"),
            )
            for _ in range(5)
        )
    )
    assert sorted(r.status_code for r in racing) == [201, 409, 409, 409, 409]
    listed = ok(await client.get(f"/seminars/{seminar.id}/registrations", headers=COORDINATOR))
    assert len(listed["registrations"]) == 2
    # Once cancelled, the person may register again.
    ok(await client.post(f"/registrations/{first['reference']}/cancel"))
    await register(client, seminar, person(1, email="hanako@example.jp", name="山田 花子"))


async def test_a_registrant_sees_and_cancels_only_with_their_own_reference(
    client: httpx.AsyncClient,
) -> None:
    seminar = await open_seminar(client)
    mine = await register(client, seminar, person(1, mode="online"))
    assert len(mine["reference"]) == 19
    shown = ok(await client.get(f"/registrations/{mine['reference'].lower().replace('-', '')}"))
    assert shown["name"] == "青森 太郎1"
    assert shown["stream_url"] == "https://stream.example.jp/tosei-zaitaku"
    for guess in ("0000-0000-0000-0000", "not-a-reference", seminar.id):
        assert (await client.get(f"/registrations/{guess}")).status_code == 404
        assert (await client.post(f"/registrations/{guess}/cancel")).status_code == 404
    # Other people's registrations are for staff only.
    assert (await client.get(f"/seminars/{seminar.id}/registrations")).status_code == 401
    denied = await client.get(f"/seminars/{seminar.id}/registrations", headers=bearer("desk"))
    assert denied.status_code == 403
    ok(await client.get(f"/seminars/{seminar.id}/registrations", headers=AUDITOR))
    ok(await client.post(f"/registrations/{mine['reference']}/cancel"))
    twice = await client.post(f"/registrations/{mine['reference']}/cancel")
    assert twice.status_code == 409


async def test_people_of_other_towns_are_offered_their_viewing_site_and_online_first(
    client: httpx.AsyncClient,
) -> None:
    seminar = await open_seminar(client)
    hiranai = ok(await client.get(f"/seminars/{seminar.id}/options?municipality=ひらない"))
    assert [o["mode"] for o in hiranai["options"]] == ["viewing_site", "online", "venue"]
    assert hiranai["options"][0]["name"] == "平内町中央公民館 研修室"
    aomori = ok(await client.get(f"/seminars/{seminar.id}/options?municipality=青森市"))
    assert [o["mode"] for o in aomori["options"]] == ["venue", "online"]
    sotogahama = ok(await client.get(f"/seminars/{seminar.id}/options?municipality=外ケ浜町"))
    assert [o["mode"] for o in sotogahama["options"]] == ["online", "venue"]

    elsewhere = await client.post(
        f"/seminars/{seminar.id}/registrations",
        json=person(1, municipality="外ヶ浜町", mode="viewing_site"),
    )
    assert elsewhere.status_code == 422
    assert elsewhere.json()["fields"][0]["field"] == "mode"
    other_site = await client.post(
        f"/seminars/{seminar.id}/registrations",
        json=person(2, municipality="今別町", mode="viewing_site", site_id=seminar.hiranai_site),
    )
    assert other_site.status_code == 422
    assert other_site.json()["fields"][0]["field"] == "site_id"
    outside = await client.post(
        f"/seminars/{seminar.id}/registrations", json=person(3, municipality="弘前市")
    )
    assert outside.status_code == 422
    assert outside.json()["fields"][0]["field"] == "municipality"


async def test_bad_registrations_get_a_field_message_and_write_nothing(
    client: httpx.AsyncClient, service: Runtime
) -> None:
    seminar = await open_seminar(client)
    cases = {
        "email": person(1, email="not-an-address", phone=None),
        "phone": person(2, phone="12345", email=None),
        "role": person(3, role="surgeon"),
        "name": person(4, name="　"),
        "extra": person(5, extra="field"),
    }
    for field, body in cases.items():
        response = await client.post(f"/seminars/{seminar.id}/registrations", json=body)
        assert response.status_code == 422, field
        assert field in {f["field"] for f in response.json()["fields"]}, response.text
    no_contact = await client.post(
        f"/seminars/{seminar.id}/registrations", json=person(6, email=None, phone=None)
    )
    assert no_contact.status_code == 422
    async with service.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM registrations") == 0
        assert (
            await conn.fetchval("SELECT count(*) FROM outbox WHERE topic = $1", REGISTRATIONS.name)
            == 0
        )


async def test_registration_is_refused_unless_it_is_open(client: httpx.AsyncClient) -> None:
    seminar = await open_seminar(client)
    ok(
        await client.post(
            f"/seminars/{seminar.id}/state",
            json={"state": "registration_closed"},
            headers=COORDINATOR,
        )
    )
    late = await client.post(f"/seminars/{seminar.id}/registrations", json=person(1))
    assert late.status_code == 409
    assert late.json()["error"] == "invalid_transition"


async def check_in_everyone_and_hold(
    client: httpx.AsyncClient, seminar: Seminar, references: list[str], clock: SettableClock
) -> None:
    """The seminar's day comes; those who came are checked in; it is marked held."""
    clock.set(ON_THE_DAY)
    for reference in references:
        checked = ok(
            await client.post(
                f"/seminars/{seminar.id}/check-ins",
                json={"reference": reference},
                headers=COORDINATOR,
            )
        )
        assert checked["already_checked_in"] is False
    for state in ("registration_closed", "held"):
        ok(
            await client.post(
                f"/seminars/{seminar.id}/state", json={"state": state}, headers=COORDINATOR
            )
        )


async def test_nobody_is_checked_in_held_or_certified_before_the_seminar_s_day(
    client: httpx.AsyncClient, clock: SettableClock
) -> None:
    seminar = await open_seminar(client)
    came = await register(client, seminar, person(1))

    async def check_in() -> httpx.Response:
        return await client.post(
            f"/seminars/{seminar.id}/check-ins",
            json={"reference": came["reference"]},
            headers=COORDINATOR,
        )

    early = await check_in()  # today is 2026-11-16; the seminar is on 2027-10-17
    assert early.status_code == 409
    assert "開催日（令和9年10月17日）から始まります" in early.json()["message"]
    certificate = await client.get(f"/registrations/{came['reference']}/certificate.pdf")
    assert certificate.status_code in (404, 409)
    clock.set(THAT_MORNING)
    assert (await check_in()).status_code == 200  # the day has come, before the start
    ok(await client.post(f"/seminars/{seminar.id}/state", json={"state": "registration_closed"},
                         headers=COORDINATOR))  # fmt: skip
    held = await client.post(
        f"/seminars/{seminar.id}/state", json={"state": "held"}, headers=COORDINATOR
    )
    assert held.status_code == 409
    assert "開催日時の前には「開催済み」にできません" in held.json()["message"]
    clock.set(ON_THE_DAY)
    ok(await client.post(f"/seminars/{seminar.id}/state", json={"state": "held"},
                         headers=COORDINATOR))  # fmt: skip
    issued = await client.get(f"/registrations/{came['reference']}/certificate.pdf")
    assert issued.status_code == 200


async def test_the_day_check_in_report_certificate_and_feedback(
    client: httpx.AsyncClient, clock: SettableClock
) -> None:
    seminar = await open_seminar(client, venue_seats=2)
    came = await register(client, seminar, person(1, name="山田 花子", role="visiting_nurse"))
    online = await register(
        client, seminar, person(2, municipality="外ヶ浜町", mode="online", role="care_manager")
    )
    absent = await register(client, seminar, person(3, role="physician"))
    waiting = await register(client, seminar, person(4))

    not_seated = await client.post(
        f"/seminars/{seminar.id}/check-ins",
        json={"reference": waiting["reference"]},
        headers=COORDINATOR,
    )
    assert not_seated.status_code == 409
    early = await client.post(
        f"/registrations/{came['reference']}/feedback", json={"satisfaction": 5, "usefulness": 5}
    )
    assert early.status_code == 409

    await check_in_everyone_and_hold(
        client, seminar, [came["reference"], online["reference"]], clock
    )

    report = ok(await client.get(f"/seminars/{seminar.id}/attendance", headers=COORDINATOR))
    assert (report["registered"], report["attended"], report["no_shows"]) == (3, 2, 1)
    by_mode = {r["key"]: (r["registered"], r["attended"]) for r in report["by_mode"]}
    assert by_mode == {"venue": (2, 1), "viewing_site": (0, 0), "online": (1, 1)}
    by_town = {r["label"]: r["attended"] for r in report["by_municipality"]}
    assert by_town["外ヶ浜町"] == 1
    by_role = {r["label"]: r["attended"] for r in report["by_role"]}
    assert by_role["訪問看護師"] == 1

    pdf = await client.get(f"/registrations/{came['reference']}/certificate.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert len(pdf.content) < 100_000  # the font is subset, not embedded whole
    text = pdf_text(pdf.content)
    for words in (
        "修　了　証",
        "山田 花子　殿",
        "令和9年10月17日",
        "訪問看護師",
        came["reference"],
    ):
        assert words in text, words
    # the seminar's own title, under the programme's name (the PDF wraps the line)
    assert "在宅医療推進のための共同セミナー「地域で支える在宅医療" in text.replace("\n", "")
    assert "東青圏域在宅医療合同研修会" not in text
    online_pdf = await client.get(f"/registrations/{online['reference']}/certificate.pdf")
    online_text = pdf_text(online_pdf.content)
    assert "オンライン（オンライン配信）" not in online_text
    assert "オンライン" in online_text
    refused = await client.get(f"/registrations/{absent['reference']}/certificate.pdf")
    assert refused.status_code == 409
    everyone = await client.get(f"/seminars/{seminar.id}/certificates.pdf", headers=COORDINATOR)
    assert len(pypdf.PdfReader(io.BytesIO(everyone.content)).pages) == 2

    ok(
        await client.post(
            f"/registrations/{came['reference']}/feedback",
            json={
                "satisfaction": 5,
                "usefulness": 4,
                "comment": "退院前カンファレンスの事例が参考になった",
            },
        ),
        201,
    )
    ok(
        await client.post(
            f"/registrations/{online['reference']}/feedback",
            json={"satisfaction": 3, "usefulness": 4},
        ),
        201,
    )
    stranger = await client.post(
        f"/registrations/{absent['reference']}/feedback", json={"satisfaction": 1, "usefulness": 1}
    )
    assert stranger.status_code == 409
    again = await client.post(
        f"/registrations/{came['reference']}/feedback", json={"satisfaction": 1, "usefulness": 1}
    )
    assert again.status_code == 409
    summary = ok(await client.get(f"/seminars/{seminar.id}/feedback", headers=COORDINATOR))
    assert (summary["responses"], summary["response_rate"]) == (2, 1.0)
    assert summary["satisfaction_mean"] == 4.0
    assert summary["satisfaction_distribution"] == {"1": 0, "2": 0, "3": 1, "4": 0, "5": 1}
    assert summary["comments"] == [
        {
            "role": "訪問看護師",
            "municipality": "青森市",
            "text": "退院前カンファレンスの事例が参考になった",
        }
    ]


async def test_the_attendee_csv_opens_in_japanese_excel(
    client: httpx.AsyncClient, clock: SettableClock
) -> None:
    seminar = await open_seminar(client)
    came = await register(client, seminar, person(1, name="山田 花子", organisation="平内中央病院"))
    await register(client, seminar, person(2))
    await check_in_everyone_and_hold(client, seminar, [came["reference"]], clock)
    response = await client.get(f"/seminars/{seminar.id}/attendees.csv", headers=COORDINATOR)
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("受付番号,氏名,ふりがな,所属,職種,市町村,参加方法")
    assert len([line for line in lines if line]) == 3
    assert f"{came['reference']},山田 花子" in lines[1]
    assert ",はい," in lines[1]
    only = await client.get(
        f"/seminars/{seminar.id}/attendees.csv?attended=true", headers=COORDINATOR
    )
    assert len([line for line in only.text.split("\r\n") if line]) == 2
    assert (await client.get(f"/seminars/{seminar.id}/attendees.csv")).status_code == 401


async def test_events_on_the_topics_carry_no_personal_data(
    client: httpx.AsyncClient, service: Runtime, clock: SettableClock
) -> None:
    seminar = await open_seminar(client, venue_seats=1)
    personal = {
        "name": "山田 花子",
        "name_kana": "やまだ はなこ",
        "organisation": "平内中央病院 訪問看護ステーション",
        "email": "hanako.yamada@example.jp",
        "phone": "017-755-2111",
    }
    first = await register(client, seminar, person(1, **personal))
    await register(client, seminar, person(2, name="田中 次郎", email="jiro@example.jp"))
    ok(await client.post(f"/registrations/{first['reference']}/cancel"))  # promotes 田中
    second = ok(await client.get(f"/seminars/{seminar.id}/registrations", headers=COORDINATOR))[
        "registrations"
    ][1]
    await check_in_everyone_and_hold(client, seminar, [second["reference"]], clock)

    registrations = await read_topic(service.kafka_bootstrap, REGISTRATIONS.name, expect=4)
    seminars = await read_topic(service.kafka_bootstrap, SEMINARS.name, expect=4)
    types = [dict(r.headers)["ce_type"].decode().split(".")[-2] for r in registrations]
    assert types == ["accepted", "waitlisted", "cancelled", "promoted"]
    assert [dict(r.headers)["ce_type"].decode().split(".")[-2] for r in seminars] == [
        "scheduled",
        "registration_opened",
        "registration_closed",
        "held",
    ]
    allowed = {
        "seminar_id", "registration_id", "place_id", "role", "municipality", "mode", "capacity",
        "seated", "waiting", "position", "was", "accepted_at", "waitlisted_at", "promoted_at",
        "cancelled_at", "fiscal_year", "host_municipality", "starts_at", "ends_at",
        "venue_municipality", "venue_capacity", "scheduled_at", "viewing_site_capacity",
        "online_capacity", "opened_at", "accepted", "waitlisted", "closed_at", "held_on",
        "registered", "attended", "attended_by_mode", "attended_by_municipality",
        "attended_by_role", "held_at", "suppressed", "suppression_threshold",
    }  # fmt: skip
    for record in [*registrations, *seminars]:
        assert record.key == seminar.id.encode()
        payload = json.loads(record.value)
        assert set(payload) <= allowed, set(payload) - allowed
        raw = record.value.decode()
        for value in [*personal.values(), "田中", "jiro@example.jp", first["reference"]]:
            assert value not in raw
    held = json.loads(seminars[-1].value)
    assert (held["registered"], held["attended"]) == (1, 1)
    assert held["attended_by_mode"] == {}  # one attendee: a group of one is not published
    assert held["suppressed"] == [
        "attended_by_mode.venue", "attended_by_municipality.022012", "attended_by_role.nurse",
    ]  # fmt: skip


async def test_registration_events_count_the_place_in_order(
    client: httpx.AsyncClient, service: Runtime
) -> None:
    seminar = await open_seminar(client, venue_seats=2)
    for n in range(4):
        await register(client, seminar, person(n))

    async def published() -> bool:
        async with service.pool.acquire() as conn:
            left: int = await conn.fetchval(
                "SELECT count(*) FROM outbox WHERE published_at IS NULL"
            )
        return left == 0

    await eventually(published)
    records = await read_topic(service.kafka_bootstrap, REGISTRATIONS.name, expect=4)
    counts = [(json.loads(r.value)["seated"], json.loads(r.value)["waiting"]) for r in records]
    assert counts == [(1, 0), (2, 0), (2, 1), (2, 2)]


def pdf_text(content: bytes) -> str:
    """The text of a PDF. fpdf2 gives its CFF font an embedded two-byte CMap, which pypdf reads
    one byte at a time: the high bytes come out as NULs between the characters."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "".join(page.extract_text() for page in reader.pages).replace("\x00", "")


async def test_metrics_show_seats_and_wait_lists_of_open_seminars(
    client: httpx.AsyncClient,
) -> None:
    seminar = await open_seminar(client, venue_seats=1)
    for n in range(3):
        await register(client, seminar, person(n))
    text = (await client.get("/metrics")).text
    assert 'tosei_seminar_seats{fiscal_year="2027",mode="venue"} 1.0' in text
    assert 'tosei_seminar_seated{fiscal_year="2027",mode="venue"} 1.0' in text
    assert 'tosei_seminar_waiting{fiscal_year="2027",mode="venue"} 2.0' in text
    assert 'tosei_seminar_seats{fiscal_year="2027",mode="online"} 300.0' in text


async def test_registrations_racing_the_coordinator_neither_deadlock_nor_slip_past_a_close(
    start: Start, schema: str
) -> None:
    # A registration locks its place and then (the foreign key) shares the seminar's row; the
    # coordinator's commands lock the seminar's row and then the places. Neither may abort the
    # other: every registration is taken or told that registration is closed.
    async with start(SERVICE, fast_settings(db_pool_max=16), schema=schema) as rt:
        transport = httpx.ASGITransport(app=build_app(rt))
        async with httpx.AsyncClient(transport=transport, base_url="http://seminar") as client:
            seminar = await open_seminar(client, venue_seats=30, site_seats=5, online_seats=30)
            finished = asyncio.Event()
            registered, coordinated = await asyncio.gather(
                crowd(client, seminar, until=finished), coordinate(client, seminar, finished)
            )

            for answer in coordinated:
                assert answer.status_code == 200, answer.text
            taken = [r for r in registered if r.status_code == 201]
            for answer in registered:
                if answer.status_code != 201:
                    assert answer.status_code == 409, answer.text
                    assert answer.json()["error"] == "invalid_transition", answer.text
            assert taken, "the crowd should get some registrations in"

            listed = ok(await client.get(f"/seminars/{seminar.id}/registrations", headers=AUDITOR))
            assert {r["reference"] for r in listed["registrations"]} == {
                r.json()["reference"] for r in taken
            }
            for place in listed["places"]:
                assert place["seated"] <= place["capacity"], place
                assert place["waiting"] == 0 or place["seated"] == place["capacity"], place
            history = ok(await client.get(f"/seminars/{seminar.id}/history", headers=AUDITOR))
            assert_none_registered_while_closed(history["changes"])


async def coordinate(
    client: httpx.AsyncClient, seminar: Seminar, finished: asyncio.Event
) -> list[httpx.Response]:
    """Close, resize and reopen, four times over; then say it is done."""
    answers: list[httpx.Response] = []
    for n in range(1, 5):
        for method, path, body in (
            ("PUT", "venue", {"venue_id": seminar.large_venue}),
            ("POST", "state", {"state": "registration_closed"}),
            ("PATCH", f"sites/{seminar.hiranai_site}", {"capacity": 5 + n}),
            ("PUT", "online", {"stream_url": STREAM, "capacity": 30 + n}),
            ("POST", "state", {"state": "registration_open"}),
        ):
            answers.append(
                await client.request(
                    method, f"/seminars/{seminar.id}/{path}", json=body, headers=COORDINATOR
                )
            )
    finished.set()
    return answers


CROWD_MODES: list[dict[str, str]] = [
    {},
    {"mode": "online"},
    {"municipality": "平内町", "mode": "viewing_site"},
]


async def crowd(
    client: httpx.AsyncClient, seminar: Seminar, *, until: asyncio.Event
) -> list[httpx.Response]:
    """Wave after wave of registrations in every mode, as long as the coordinator is at work."""
    answers: list[httpx.Response] = []
    while not until.is_set():
        n = len(answers)
        answers += await asyncio.gather(
            *(
                client.post(
                    f"/seminars/{seminar.id}/registrations",
                    json=person(n + i, **CROWD_MODES[(n + i) % 3]),
                )
                for i in range(24)
            )
        )
    return answers


def assert_none_registered_while_closed(changes: list[dict[str, Any]]) -> None:
    """Nobody got in while registration was closed: in the order the changes were written, no
    registration lies between a close and the next opening."""
    is_open = True
    for change in changes:
        if change["action"] == "seminar.registration_closed":
            is_open = False
        elif change["action"] == "seminar.registration_open":
            is_open = True
        elif change["action"].startswith("registration."):
            assert is_open, change


STREAM = "https://stream.example.jp/tosei-zaitaku"


async def test_municipal_officers_read_the_feedback_figures_but_not_the_comments(
    client: httpx.AsyncClient, clock: SettableClock
) -> None:
    seminar = await open_seminar(client)
    came = await register(
        client, seminar, person(1, municipality="外ヶ浜町", mode="online", role="physician")
    )
    await check_in_everyone_and_hold(client, seminar, [came["reference"]], clock)
    comment = "外ヶ浜の診療所から一人で参加、同じ町の医師が他にいないのが心細い"
    ok(
        await client.post(
            f"/registrations/{came['reference']}/feedback",
            json={"satisfaction": 4, "usefulness": 5, "comment": comment},
        ),
        201,
    )
    officer = bearer("municipality", municipality="外ヶ浜町")
    figures = ok(await client.get(f"/seminars/{seminar.id}/feedback", headers=officer))
    # one answer is one person: the officer reads it as hidden (秘匿), the figures staff's
    assert (figures["responses"], figures["satisfaction_mean"]) == (None, None)
    assert figures["usefulness_distribution"]["5"] is None
    assert figures["satisfaction_by_role"] == {"医師": None}
    assert "comments" not in figures
    assert comment not in json.dumps(figures, ensure_ascii=False)
    for staff in (COORDINATOR, AUDITOR):
        full = ok(await client.get(f"/seminars/{seminar.id}/feedback", headers=staff))
        assert [c["text"] for c in full["comments"]] == [comment]
        assert (full["responses"], full["satisfaction_mean"]) == (1, 4.0)
        assert "small_cells" not in full
    # The attendance figures stay theirs.
    ok(await client.get(f"/seminars/{seminar.id}/attendance", headers=officer))


async def test_everyone_still_registered_for_a_called_off_seminar_is_told_so_and_why(
    client: httpx.AsyncClient,
) -> None:
    seminar = await open_seminar(client, venue_seats=1)
    seated = await register(client, seminar, person(1))
    waiting = await register(client, seminar, person(2))
    withdrew = await register(client, seminar, person(3, mode="online"))
    ok(await client.post(f"/registrations/{withdrew['reference']}/cancel"))
    ok(
        await client.post(
            f"/seminars/{seminar.id}/state",
            json={"state": "cancelled", "reason": "大雪警報のため中止します"},
            headers=COORDINATOR,
        )
    )
    for registered in (seated, waiting):
        own = ok(await client.get(f"/registrations/{registered['reference']}"))
        assert (own["status"], own["status_label"]) == ("seminar_cancelled", "中止")
        assert own["cancel_reason"] == "大雪警報のため中止します"
        assert (own["position"], own["stream_url"]) == (None, None)
    mine = ok(await client.get(f"/registrations/{withdrew['reference']}"))
    assert (mine["status_label"], mine["cancel_reason"]) == ("取消", None)
