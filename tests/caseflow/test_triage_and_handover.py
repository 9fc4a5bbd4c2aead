"""New cases are triaged to an expert; handed-over cases go to their old staff member or wait."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.caseflow.conftest import COORDINATOR, DESK, Desk, opened
from tests.support.publish import publish
from tests.support.waiting import eventually, header, read_topic
from tosei_caseflow.db import merges
from tosei_caseflow.handlers.projection import project_cases_opened
from tosei_common.catalogue.caseflow import CASES
from tosei_common.catalogue.intake import BusinessStage, Category, LegacyStatus, Origin
from tosei_common.devtools.devstack import TansuBroker
from tosei_common.platform.service import Runtime
from tosei_common.region.text import name_key, pseudonym

pytestmark = pytest.mark.slow


async def test_a_new_case_goes_to_the_best_matching_least_loaded_expert(
    desk: Desk, broker: TansuBroker
) -> None:
    finance = await desk.expert("佐藤 健一", "startup", ["financing", "founding_plan"])
    await desk.expert("鈴木 一郎", "startup", ["it"])
    await desk.expert("高橋 美咲", "sme", ["financing", "founding_plan"])

    case_id = await desk.open_case(categories=(Category.FINANCING, Category.FOUNDING_PLAN))

    case = await desk.case(case_id)
    assert case["expert_id"] == finance
    assert case["expert_name"] == "佐藤 健一"
    assert (case["track"], case["state"], case["state_label"]) == (
        "startup",
        "assigned",
        "担当決定",
    )
    triaged = [e for e in case["timeline"] if e["kind"] == "assigned"]
    assert triaged[0]["by"] == "system:triage"
    assert "得意分野の一致2件" in triaged[0]["reason"]

    (record,) = await read_topic(broker.bootstrap, CASES.name, expect=1)
    assert header(record, "ce_type") == "jp.tosei.caseflow.case.assigned.v1"
    payload = json.loads(record.value)
    assert set(payload) == {"case_id", "expert_id", "track", "rule", "assigned_at"}
    assert "佐藤" not in record.value.decode()


async def test_cases_spread_over_equally_matching_experts(desk: Desk) -> None:
    first = await desk.expert("田中 花子", "sme", ["it"])
    second = await desk.expert("伊藤 誠", "sme", ["it"])
    cases = [
        await desk.open_case(stage=BusinessStage.ESTABLISHED, categories=(Category.IT,))
        for _ in range(4)
    ]
    owners = [(await desk.case(c))["expert_id"] for c in cases]
    assert sorted(owners) == sorted([first, first, second, second])
    assert owners[0] != owners[1]  # the second case goes to the one with the lower load


async def test_a_repeated_case_opened_opens_one_case(
    desk: Desk, broker: TansuBroker, caseflow: Runtime
) -> None:
    await desk.expert("佐藤 健一", "startup", ["founding_plan"])
    event = opened(opened_at=caseflow.clock.now())
    event_id = uuid.uuid4()
    # the same event delivered twice, and the same case announced again under a new id
    await publish(broker.bootstrap, [event, event], source="intake", event_ids=[event_id, event_id])
    await publish(broker.bootstrap, [event], source="intake")
    await eventually(lambda: desk.registered(str(event.case_id)))

    async def settled() -> bool:
        async with caseflow.pool.acquire() as conn:
            seen = await conn.fetchval("SELECT count(*) FROM inbox")
        return bool(seen == 2)

    await eventually(settled)
    async with caseflow.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM cases") == 1
        assert (
            await conn.fetchval("SELECT count(*) FROM case_timeline WHERE kind = 'assigned'") == 1
        )
    assigned = await read_topic(broker.bootstrap, CASES.name, expect=1)
    assert len(assigned) == 1


async def test_a_handed_over_case_goes_to_its_old_staff_member_and_keeps_its_status(
    desk: Desk, caseflow: Runtime
) -> None:
    old_hand = await desk.expert("山本 和子", "sme", ["sales_channels"])
    await desk.expert("小林 翔", "sme", ["sales_channels"])  # as good a match for triage
    staff = pseudonym(caseflow.settings.pseudonym_secret, "staff", name_key("山本　和子"))

    consulted = datetime(2020, 9, 15, 0, 0, tzinfo=UTC)
    case_id = await desk.open_case(
        origin=Origin.SME_DESK,
        stage=BusinessStage.ESTABLISHED,
        categories=(Category.SALES_CHANNELS,),
        legacy_status=LegacyStatus.OPEN,
        legacy_staff=staff,
        opened_at=consulted,
    )

    case = await desk.case(case_id)
    assert case["expert_id"] == old_hand
    assert case["legacy_status"] == "open"
    assert case["origin"] == "sme_desk"
    assert datetime.fromisoformat(case["opened_at"]) == consulted  # when the client came
    assigned = [e for e in case["timeline"] if e["kind"] == "assigned"]
    assert assigned[0]["facts"]["rule"] == "legacy_staff"
    assert assigned[0]["reason"] == "旧窓口の担当者がそのまま引き継ぎ"
    # ... and assigned now, when the hand-over happened: not backdated to 2020
    assert datetime.fromisoformat(assigned[0]["at"]) >= caseflow.clock.now() - timedelta(minutes=5)


async def test_a_handed_over_case_without_a_matching_expert_waits_in_the_queue(desk: Desk) -> None:
    await desk.expert("佐藤 健一", "startup", ["founding_plan"])
    nobody = pseudonym("whatever", "staff", name_key("退職者 太郎"))
    waiting = await desk.open_case(
        origin=Origin.STARTUP_DESK, legacy_status=LegacyStatus.WAITING, legacy_staff=nobody
    )
    closed = await desk.open_case(origin=Origin.STARTUP_DESK, legacy_status=LegacyStatus.CLOSED)

    queue = (await desk.client.get("/queue", headers=DESK)).json()["cases"]
    assert [c["case_id"] for c in queue] == [waiting]
    assert queue[0]["legacy_status"] == "waiting"
    assert (await desk.case(closed))["state"] == "closed"

    # a coordinator takes it out of the queue by hand
    expert = (await desk.client.get("/experts", headers=COORDINATOR)).json()["experts"][0]
    response = await desk.post(
        f"/cases/{waiting}/assign", {"expert_id": expert["expert_id"], "reason": "引継ぎ先を決定"}
    )
    assert response.status_code == 204
    assert (await desk.client.get("/queue", headers=DESK)).json()["cases"] == []
    entry = next(e for e in (await desk.case(waiting))["timeline"] if e["kind"] == "assigned")
    assert (entry["by"], entry["reason"], entry["facts"]["rule"]) == (
        "coordinator:coordinator-sato",
        "引継ぎ先を決定",
        "manual",
    )


async def test_with_no_expert_on_the_track_a_new_case_waits_in_the_queue(desk: Desk) -> None:
    await desk.expert("高橋 美咲", "sme", ["financing"])
    case_id = await desk.open_case(stage=BusinessStage.PLANNING)
    assert (await desk.case(case_id))["state"] == "open"
    queue = (await desk.client.get("/queue", headers=DESK)).json()["cases"]
    assert [c["case_id"] for c in queue] == [case_id]


async def test_a_batch_of_case_opened_registers_each_case_once_and_for_its_surviving_client(
    caseflow: Runtime,
) -> None:
    """The batch projection (a replay's and the consumer's): a case announced twice in one
    batch is registered once, with the first event's timeline entry; a client merged into a
    client merged in turn counts as the last survivor; a repeat of the batch registers nothing."""
    at = caseflow.clock.now()
    merged, middle, survivor = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    first, other = opened(client_id=merged, opened_at=at), opened(opened_at=at)
    ids = [uuid.uuid4() for _ in range(3)]
    batch = [(first, ids[0]), (first, ids[1]), (other, ids[2])]
    async with caseflow.pool.acquire() as conn, conn.transaction():
        await merges.merge_clients(conn, middle, merged, [], at)
        await merges.merge_clients(conn, survivor, middle, [], at)
        assert await project_cases_opened(conn, batch) == {ids[0], ids[2]}
        assert await project_cases_opened(conn, batch) == set()
        clients = await conn.fetch("SELECT case_id, client_id FROM cases")
        entries = await conn.fetch("SELECT event_id, case_id, kind FROM case_timeline")
    assert {r["case_id"]: r["client_id"] for r in clients} == {
        first.case_id: survivor,
        other.case_id: other.client_id,
    }
    assert sorted((r["event_id"], r["case_id"], r["kind"]) for r in entries) == sorted(
        [(ids[0], first.case_id, "opened"), (ids[2], other.case_id, "opened")]
    )
