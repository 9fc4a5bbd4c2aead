"""An expert reads a consultation only while caseflow has the case assigned to them."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from tests.intake.helpers import DESK, consultation
from tests.support.auth import bearer
from tests.support.clock import TEST_NOW
from tests.support.runtime import Start
from tests.support.waiting import eventually
from tosei_common.catalogue.caseflow import (
    AssignmentRule,
    CaseAssigned,
    CaseTransferred,
    Track,
    TransferReason,
)
from tosei_common.devtools.devstack import TansuBroker
from tosei_common.platform.consumer import HandlerContext
from tosei_common.platform.events import Envelope, Event, source_of
from tosei_common.platform.http import build_app
from tosei_common.platform.service import Runtime
from tosei_intake.app import SERVICE
from tosei_intake.handlers.events import on_case_assigned, on_case_transferred

NARITA = uuid.UUID("7d6f2a52-5d0e-4b54-8f7c-1a2b3c4d5e6f")  # startup expert
OGASAWARA = uuid.UUID("a3c1e2d4-1111-4b54-8f7c-1a2b3c4d5e70")  # SME expert
T0 = datetime(2026, 10, 5, 2, 0, tzinfo=UTC)


def expert(expert_id: uuid.UUID) -> dict[str, str]:
    return bearer("expert", str(expert_id))


def moved_to_sme(case: uuid.UUID) -> CaseTransferred:
    """The founder now runs a business: the case goes from Narita (startup) to Ogasawara (SME)."""
    return CaseTransferred(
        case_id=case,
        from_expert_id=NARITA,
        to_expert_id=OGASAWARA,
        from_track=Track.STARTUP,
        to_track=Track.SME,
        reason=TransferReason.STAGE_CHANGED,
        transferred_at=T0 + timedelta(days=30),
    )


async def publish(bootstrap: str, *events: Event) -> None:
    """Put caseflow's events on its topic, as its relay would."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for event in events:
            envelope = Envelope.wrap(event, source=source_of("caseflow"), time=TEST_NOW)
            await producer.send_and_wait(
                event.topic.name,
                envelope.data,
                key=envelope.subject.encode(),
                headers=envelope.headers(),
            )
    finally:
        await producer.stop()


@pytest.fixture
async def consuming(start: Start, schema: str) -> AsyncIterator[Runtime]:
    async with start(SERVICE, schema=schema) as rt:
        yield rt


@pytest.mark.slow
async def test_an_expert_reads_only_the_cases_they_have_or_had(
    consuming: Runtime, broker: TansuBroker
) -> None:
    transport = httpx.ASGITransport(app=build_app(consuming))
    async with httpx.AsyncClient(transport=transport, base_url="http://intake") as http:

        async def register(**changes: Any) -> dict[str, Any]:
            response = await http.post("/consultations", json=consultation(**changes), headers=DESK)
            assert response.status_code == 201
            created: dict[str, Any] = response.json()
            return created

        mine = await register()
        other = await register(categories=["succession"])
        case = uuid.UUID(mine["id"])

        async def status(path: str, who: uuid.UUID) -> int:
            return (await http.get(path, headers=expert(who))).status_code

        assert await status(f"/consultations/{case}", NARITA) == 404

        await publish(
            broker.bootstrap,
            CaseAssigned(
                case_id=case,
                expert_id=NARITA,
                track=Track.STARTUP,
                rule=AssignmentRule.TRIAGE,
                assigned_at=T0,
            ),
        )

        async def narita_sees_it() -> bool:
            return await status(f"/consultations/{case}", NARITA) == 200

        await eventually(narita_sees_it)
        shown = (await http.get(f"/consultations/{case}", headers=expert(NARITA))).json()
        assert shown["person_name"] == "山田 太郎"
        assert shown["assigned_expert"]["expert_id"] == str(NARITA)
        assert await status(f"/consultations/{other['id']}", NARITA) == 404
        listed = (await http.get("/consultations", headers=expert(NARITA))).json()
        assert [c["id"] for c in listed["items"]] == [mine["id"]]
        client = (await http.get(f"/clients/{mine['client_id']}", headers=expert(NARITA))).json()
        assert [c["id"] for c in client["consultations"]] == [mine["id"]]
        assert await status(f"/clients/{mine['client_id']}", OGASAWARA) == 404
        assert await status("/consultations/export", NARITA) == 403

        await publish(
            broker.bootstrap,
            moved_to_sme(case),
        )

        async def moved_to_ogasawara() -> bool:
            return await status(f"/consultations/{case}", OGASAWARA) == 200

        await eventually(moved_to_ogasawara)
        # the former expert still reads it (as in caseflow); someone who never had it does not
        assert await status(f"/consultations/{case}", NARITA) == 200
        assert await status(f"/consultations/{other['id']}", NARITA) == 404


async def test_the_newest_word_on_a_case_wins_whatever_order_it_arrives_in(
    intake: Runtime,
) -> None:
    case = uuid.uuid4()
    transferred = moved_to_sme(case)
    assigned = CaseAssigned(
        case_id=case,
        expert_id=NARITA,
        track=Track.STARTUP,
        rule=AssignmentRule.LEGACY_STAFF,
        assigned_at=T0,
    )

    def context(conn: Any, event: Event) -> HandlerContext:
        return HandlerContext(
            conn=conn,
            at=TEST_NOW,
            actor="system:intake",
            outbox=intake.outbox,
            envelope=Envelope.wrap(event, source=source_of("caseflow"), time=TEST_NOW),
        )

    async with intake.pool.acquire() as conn, conn.transaction():
        await on_case_transferred(context(conn, transferred), transferred)
        await on_case_assigned(context(conn, assigned), assigned)  # late, older: no effect
        row = await conn.fetchrow(
            "SELECT expert_id, track FROM case_experts WHERE case_id = $1", case
        )
    assert row is not None
    expert_id, track = row["expert_id"], row["track"]
    assert (expert_id, track) == (OGASAWARA, "sme")


async def test_an_expert_token_must_name_the_expert_by_id(
    http: httpx.AsyncClient,
) -> None:
    response = await http.get("/consultations", headers=bearer("expert", "narita"))
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert "専門家ID" in response.json()["message"]
    english = await http.get(
        "/consultations", headers=bearer("expert", "narita") | {"Accept-Language": "en"}
    )
    assert "expert id" in english.json()["message"]
