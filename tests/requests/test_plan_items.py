"""The service's own copy of the resilience plan's items: kept from plan_item events, shown on
the requests that link them, absorbing repeats, rebuilt by replay."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import httpx

from tests.requests.towns import (
    AOMORI,
    COORDINATOR,
    DESK,
    HIRANAI,
    SIDEWALK,
    Programme,
    item,
    officer,
    plan_item_added,
)
from tests.resilience.plan import SNOW_PLOUGHS, PlanClient
from tests.support.publish import publish
from tests.support.runtime import Start, fast_settings
from tests.support.waiting import eventually
from tosei_common.catalogue.resilience import (
    PlanItemField,
    PlanItemRetired,
    PlanItemRevised,
    PlanItemStatus,
    RetirementReason,
)
from tosei_common.devtools.devstack import TansuBroker
from tosei_common.platform.clock import japan_moment
from tosei_common.platform.http import build_app
from tosei_common.platform.replay import replay_service
from tosei_requests.app import SERVICE
from tosei_resilience.app import resilience_service


async def linked_request(p: Programme, plan_item_id: str) -> Any:
    """A Hiranai request linking the plan item, once the item's copy has arrived."""

    async def drafted() -> Any:
        response = await p.http.post(
            "/request-items",
            json={**item(SIDEWALK, plan_item_ids=[plan_item_id]), "fiscal_year": 2020},
            headers=officer(HIRANAI),
        )
        return response.status_code == 201 and response.json()

    return await eventually(drafted)


async def test_a_linked_plan_item_revised_in_resilience_shows_its_new_state_once_the_event_arrives(
    start: Start, schema: str, programme: Programme
) -> None:
    p = programme
    async with start(resilience_service(), schema=f"{schema}_plan") as resilience:
        transport = httpx.ASGITransport(app=build_app(resilience))
        async with httpx.AsyncClient(transport=transport, base_url="http://resilience") as http:
            plan = PlanClient(http)
            added = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
            await p.open_year(2020)
            request = await linked_request(p, added["id"])
            [shown] = request["plan_items"]
            assert (shown["number"], shown["title"], shown["status"]) == (
                added["number"],
                SNOW_PLOUGHS["title"],
                "planned",
            )
            assert shown["municipality"] == HIRANAI

            revised = await plan.revise(
                added, officer(HIRANAI), status="in_progress", title="除雪機械の更新（第1期）"
            )

            async def shows(version: int) -> Any:
                found = await p.get(f"/request-items/{request['id']}")
                link = found["plan_items"][0]
                return link["version"] == version and link

            link = await eventually(lambda: shows(2))
            assert (link["status"], link["status_label"]) == ("in_progress", "実施中")
            assert link["title"] == "除雪機械の更新（第1期）"
            assert link["label"] == (
                f"国土強靱化地域計画 事業番号{added['number']}「除雪機械の更新（第1期）」"
                "（平内町・実施中）"
            )

            await plan.retire(revised, COORDINATOR, "abolished")
            link = await eventually(lambda: shows(3))
            assert link["retired"] is True
            assert (link["status_label"], link["title"]) == ("廃止", "除雪機械の更新（第1期）")

            # the request keeps its link to the retired item; a new link to it is refused
            refused = await p.http.post(
                "/request-items",
                json={**item(SIDEWALK, plan_item_ids=[added["id"]]), "fiscal_year": 2020},
                headers=officer(HIRANAI),
            )
            assert refused.status_code == 422
            assert refused.json()["fields"][0]["field"] == "plan_item_ids"
            assert "廃止" in refused.json()["message"]


def revised(event_item: Any, version: int, status: PlanItemStatus) -> PlanItemRevised:
    return PlanItemRevised(
        item_id=event_item.item_id,
        number=event_item.number,
        municipality=event_item.municipality,
        changed_fields=[PlanItemField.STATUS],
        status=status,
        version=version,
        revised_at=japan_moment("2020-06-01 10:00"),
    )


async def test_the_same_plan_item_event_delivered_twice_has_one_effect(
    programme: Programme, broker: TansuBroker, db: asyncpg.Connection, schema: str
) -> None:
    plough = plan_item_added(7)
    await publish(broker.bootstrap, [plough], source="resilience")
    await programme.open_year(2020)
    request = await linked_request(programme, str(plough.item_id))
    event_id = uuid.uuid4()
    started = revised(plough, 2, PlanItemStatus.IN_PROGRESS)
    await publish(broker.bootstrap, [started], source="resilience", event_ids=[event_id])
    await publish(broker.bootstrap, [started], source="resilience", event_ids=[event_id])

    async def absorbed() -> bool:
        text = (await programme.http.get("/metrics")).text
        return 'tosei_inbox_duplicates_total{topic="tosei.resilience.plan_items"} 1.0' in text

    await eventually(absorbed)
    assert await db.fetchval(f"SELECT count(*) FROM {schema}.inbox WHERE event_id = $1", event_id)
    found = await programme.get(f"/request-items/{request['id']}")
    assert (found["plan_items"][0]["version"], found["plan_items"][0]["status"]) == (
        2,
        "in_progress",
    )
    # an older version arriving late (a replay, a re-sent event) does not undo a later one
    await publish(broker.bootstrap, [plough], source="resilience")

    async def handled_twice() -> bool:
        return bool(await db.fetchval(f"SELECT count(*) = 3 FROM {schema}.inbox"))

    await eventually(handled_twice)
    found = await programme.get(f"/request-items/{request['id']}")
    assert found["plan_items"][0]["version"] == 2


async def test_a_person_finds_plan_items_to_link_by_a_part_of_the_title(
    programme: Programme, broker: TansuBroker
) -> None:
    ploughs = plan_item_added(7, title="冬期道路交通確保のための除雪機械の更新")
    radio = plan_item_added(3, AOMORI, title="防災行政無線のデジタル化（ＪＲ　青森駅周辺）")
    untitled = plan_item_added(9, title=None)  # published before titles travelled
    gone = plan_item_added(5, title="除雪ステーションの整備")
    retired = PlanItemRetired(
        item_id=gone.item_id,
        number=5,
        municipality=HIRANAI,
        reason=RetirementReason.ABOLISHED,
        version=2,
        retired_at=japan_moment("2020-05-02 10:00"),
    )
    await publish(broker.bootstrap, [ploughs, radio, untitled, gone, retired], source="resilience")

    async def all_copied() -> Any:
        found = await programme.get("/plan-items?include_retired=true", officer(HIRANAI))
        return found["count"] == 4 and found

    await eventually(all_copied)
    # a part of the title, typed in full- or half-width, with or without spaces
    found = await programme.get("/plan-items?title=除雪", officer(HIRANAI))
    assert [i["number"] for i in found["items"]] == [7]  # the retired 除雪ステーション left out
    assert found["items"][0]["label"] == (
        "国土強靱化地域計画 事業番号7「冬期道路交通確保のための除雪機械の更新」（平内町・計画）"
    )
    found = await programme.get("/plan-items?title=jr青森", officer(HIRANAI))
    assert [(i["number"], i["municipality_name"]) for i in found["items"]] == [(3, "青森市")]
    found = await programme.get("/plan-items?title=除雪&include_retired=true", COORDINATOR)
    assert [(i["number"], i["retired"]) for i in found["items"]] == [(5, True), (7, False)]
    # by id: the items a form already links, shown again with their labels
    found = await programme.get(f"/plan-items?id={radio.item_id}&id={untitled.item_id}")
    assert [(i["number"], i["title"]) for i in found["items"]] == [(3, radio.title), (9, None)]

    refused = await programme.http.get("/plan-items?title=除雪", headers=DESK)
    assert refused.status_code == 403
    refused = await programme.http.get("/plan-items?title=除%07雪", headers=officer(HIRANAI))
    assert refused.status_code == 422
    assert refused.json()["fields"][0]["field"] == "title"


COPY = (
    "SELECT item_id, number, title, municipality, status, version, changed_fields, changed_at"
    " FROM {}.plan_items ORDER BY item_id"
)
RECORDS = "SELECT id, fiscal_year, number, title, status, version FROM {}.request_items ORDER BY id"


async def test_replay_rebuilds_the_plan_item_copy_and_keeps_the_requests(
    programme: Programme,
    broker: TansuBroker,
    db: asyncpg.Connection,
    schema: str,
    database_url: str,
) -> None:
    ploughs, seawall = plan_item_added(7), plan_item_added(8, None)
    events = [ploughs, seawall, revised(ploughs, 2, PlanItemStatus.DONE)]
    await publish(broker.bootstrap, events, source="resilience")
    await programme.open_year(2020)
    request = await linked_request(programme, str(seawall.item_id))
    await programme.move(request, "submitted", officer(HIRANAI))
    # the departments list changed live: a department added, a seeded one renamed
    await programme.call(
        "POST", "/departments", COORDINATOR, {"code": "kotsu", "name": "交通・地域社会部"}, 201
    )
    await programme.call("PATCH", "/departments/shoko", COORDINATOR, {"name": "経済産業部"})

    async def copied() -> bool:
        return bool(await db.fetchval(f"SELECT count(*) = 3 FROM {schema}.inbox"))

    await eventually(copied)
    live_copy = [tuple(r) for r in await db.fetch(COPY.format(schema))]
    assert [(r[1], r[4], r[5]) for r in sorted(live_copy, key=lambda r: r[1])] == [
        (7, "done", 2),
        (8, "planned", 1),
    ]

    lines: list[str] = []
    code = await replay_service(
        SERVICE,
        fast_settings(),
        database_url=database_url,
        kafka_bootstrap=broker.bootstrap,
        live_schema=schema,
        into=f"{schema}_re",
        out=lines.append,
    )
    assert code == 0, lines
    assert [tuple(r) for r in await db.fetch(COPY.format(f"{schema}_re"))] == live_copy
    assert [tuple(r) for r in await db.fetch(RECORDS.format(f"{schema}_re"))] == [
        tuple(r) for r in await db.fetch(RECORDS.format(schema))
    ]
    lists = "SELECT code, name, position, retired FROM {}.departments ORDER BY code"
    assert [tuple(r) for r in await db.fetch(lists.format(f"{schema}_re"))] == [
        tuple(r) for r in await db.fetch(lists.format(schema))
    ]
    audit = "SELECT count(*) FROM {}.audit_log"
    assert await db.fetchval(audit.format(f"{schema}_re")) == await db.fetchval(
        audit.format(schema)
    )
    # nothing was decided again while replaying: no new events in the rebuilt outbox
    assert await db.fetchval(f"SELECT count(*) FROM {schema}_re.outbox") == 0
