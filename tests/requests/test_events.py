"""What integrators and the other services receive on the topics: ids, codes, enums, dates and
counts; never titles, texts, places, names, reasons or who did it."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.requests.towns import (
    AOMORI,
    BRIEFING_2020,
    COORDINATOR,
    DOCTORS,
    FIVE,
    PORT,
    Programme,
    officer,
)
from tests.support.waiting import header, read_topic
from tosei_common.catalogue.requests import BRIEFINGS, REQUEST_ITEMS
from tosei_common.devtools.devstack import TansuBroker
from tosei_common.platform.events import Envelope
from tosei_common.platform.http import build_app
from tosei_common.platform.service import Runtime


def payloads(records: Any) -> list[tuple[str, str, dict[str, Any]]]:
    ordered = sorted(records, key=lambda r: Envelope.from_record(r.headers, r.value).time)
    return [(str(header(r, "ce_type")), r.key.decode(), json.loads(r.value)) for r in ordered]


def records_text(records: Any) -> str:
    return "\n".join(r.value.decode() + "".join(v.decode() for _, v in r.headers) for r in records)


async def test_the_cycle_s_events_carry_ids_codes_and_dates_only(
    programme: Programme, broker: TansuBroker
) -> None:
    p = programme
    await p.open_year(2020)
    doctors = await p.adopted(DOCTORS, officer(AOMORI, "aomori-sato"))
    port = await p.adopted(PORT, officer(AOMORI, "aomori-sato"))
    await p.call("PUT", "/briefings/2020", COORDINATOR, BRIEFING_2020)
    await p.call(
        "PUT", "/briefings/2020/agenda", COORDINATOR, {"items": [port["id"], doctors["id"]]}
    )
    await p.call("POST", "/briefings/2020/agenda/fix", COORDINATOR)
    p.at("2021-02-10 10:00")
    await p.call(
        "PUT",
        f"/request-items/{doctors['id']}/answer",
        COORDINATOR,
        {
            "received_on": "2021-02-05",
            "text": "引き続き検討する（担当: 佐藤）",
            "department": "kenko",
            "status": "under_study",
        },
    )
    p.at("2021-05-12 09:00")
    await p.open_year(2021)
    carried = await p.call(
        "POST",
        f"/request-items/{doctors['id']}/carry-over",
        COORDINATOR,
        {"reason": "県の検討状況を踏まえ継続"},
        201,
    )

    items = await read_topic(broker.bootstrap, REQUEST_ITEMS.name, expect=6)
    events = payloads(items)
    assert [(t.split(".")[-2], key) for t, key, _ in events] == [
        ("submitted", doctors["id"]),
        ("adopted", doctors["id"]),
        ("submitted", port["id"]),
        ("adopted", port["id"]),
        ("answered", doctors["id"]),
        ("carried_over", carried["id"]),
    ]
    submitted = events[0][2]
    assert submitted["municipalities"] == FIVE
    assert submitted["departments"] == ["kenko"]
    assert events[3][2]["fiscal_year"] == 2020
    answered = events[4][2]
    assert (answered["status"], answered["received_on"], answered["answer_version"]) == (
        "under_study",
        "2021-02-05",
        1,
    )
    carried_over = events[5][2]
    assert (carried_over["fiscal_year"], carried_over["derivation"]) == (2021, "carried")
    assert carried_over["derived_from"] == [doctors["id"]]

    briefings = await read_topic(broker.bootstrap, BRIEFINGS.name, expect=2)
    scheduled, fixed = (payload for _, _, payload in payloads(briefings))
    assert scheduled["starts_at"] == "2020-10-16T02:00:00Z"
    assert (scheduled["heads_attending"], scheduled["deputies_attending"]) == (5, 0)
    assert fixed["item_ids"] == [doctors["id"], port["id"]]  # the book's order: joint first
    assert fixed["agenda_version"] == 1

    text = records_text([*items, *briefings])
    for free_text in (
        DOCTORS["title"],
        DOCTORS["body"][:10],
        PORT["background"][:10],
        BRIEFING_2020["place"],
        "小野寺",
        "副知事",
        "佐藤",
        "引き続き検討",
        "県の検討状況",
        "aomori-sato",
        "kikaku-kudo",
    ):
        assert free_text not in text, free_text


async def test_the_asyncapi_document_lists_the_six_events_and_the_consumed_plan_items(
    service: Runtime,
) -> None:
    transport = httpx.ASGITransport(app=build_app(service))
    async with httpx.AsyncClient(transport=transport, base_url="http://requests") as client:
        document = (await client.get("/asyncapi.json")).json()
    assert set(document["channels"]) >= {
        "tosei.requests.request_items",
        "tosei.requests.briefings",
        "tosei.resilience.plan_items",
    }
    names = json.dumps(document["components"]["messages"])
    for ce_type in (
        "jp.tosei.requests.request.submitted.v1",
        "jp.tosei.requests.request.adopted.v1",
        "jp.tosei.requests.request.answered.v1",
        "jp.tosei.requests.request.carried_over.v1",
        "jp.tosei.requests.briefing.scheduled.v1",
        "jp.tosei.requests.briefing.agenda_fixed.v1",
    ):
        assert ce_type in names, ce_type
