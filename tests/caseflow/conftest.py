"""Caseflow running on the test's database and broker, with helpers that speak its language."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.support.auth import bearer
from tests.support.publish import publish
from tests.support.runtime import Start
from tests.support.waiting import eventually
from tosei_caseflow.app import SERVICE
from tosei_common.catalogue.intake import (
    BusinessStage,
    CaseOpened,
    Category,
    Channel,
    LegacyStatus,
    Origin,
)
from tosei_common.devtools.devstack import TansuBroker
from tosei_common.platform.http import build_app
from tosei_common.platform.service import Runtime

COORDINATOR = bearer("coordinator", "coordinator-sato")
DESK = bearer("desk", "desk-kimura")
AUDITOR = bearer("auditor")


def expert_token(expert_id: str) -> dict[str, str]:
    return bearer("expert", expert_id)


@pytest.fixture
async def caseflow(start: Start, schema: str) -> AsyncIterator[Runtime]:
    async with start(SERVICE, schema=schema) as rt:
        yield rt


@pytest.fixture
async def client(caseflow: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_app(caseflow))
    async with httpx.AsyncClient(transport=transport, base_url="http://caseflow") as c:
        yield c


class Desk:
    """Does what the consultation desk and the council's coordinators do, through the API."""

    def __init__(self, client: httpx.AsyncClient, broker: TansuBroker, rt: Runtime) -> None:
        self.client = client
        self.broker = broker
        self.rt = rt

    async def expert(
        self,
        name: str,
        track: str,
        specialities: list[str] | None = None,
        capacity: int = 10,
    ) -> str:
        response = await self.client.post(
            "/experts",
            json={
                "name": name,
                "track": track,
                "specialities": specialities or [],
                "weekly_capacity": capacity,
            },
            headers=COORDINATOR,
        )
        assert response.status_code == 201, response.text
        expert_id: str = response.json()["expert_id"]
        return expert_id

    async def external_expert(self, name: str, speciality: str) -> str:
        response = await self.client.post(
            "/external-experts",
            json={"name": name, "organisation": "よろず支援拠点全国本部", "speciality": speciality},
            headers=COORDINATOR,
        )
        assert response.status_code == 201, response.text
        external_id: str = response.json()["external_expert_id"]
        return external_id

    async def open_case(self, **fields: Any) -> str:
        """intake's case.opened arrives on the topic; wait until caseflow has registered it."""
        fields.setdefault("opened_at", self.rt.clock.now())
        event = opened(**fields)
        await publish(self.broker.bootstrap, [event], source="intake")
        await eventually(lambda: self.registered(str(event.case_id)), timeout=30)
        return str(event.case_id)

    async def registered(self, case_id: str) -> bool:
        async with self.rt.pool.acquire() as conn:
            return bool(
                await conn.fetchval("SELECT true FROM cases WHERE case_id = $1", uuid.UUID(case_id))
            )

    async def case(self, case_id: str, headers: dict[str, str] = COORDINATOR) -> dict[str, Any]:
        response = await self.client.get(f"/cases/{case_id}", headers=headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def post(
        self, path: str, body: dict[str, Any], headers: dict[str, str] = COORDINATOR
    ) -> httpx.Response:
        return await self.client.post(path, json=body, headers=headers)


def opened(
    *,
    case_id: uuid.UUID | None = None,
    client_id: uuid.UUID | None = None,
    municipality: str = "022012",
    stage: BusinessStage = BusinessStage.PLANNING,
    categories: tuple[Category, ...] = (Category.FOUNDING_PLAN,),
    channel: Channel = Channel.WALK_IN,
    origin: Origin = Origin.NEW_DESK,
    consent: bool = True,
    opened_at: datetime,
    legacy_status: LegacyStatus | None = None,
    legacy_staff: str | None = None,
) -> CaseOpened:
    return CaseOpened(
        case_id=case_id or uuid.uuid4(),
        client_id=client_id or uuid.uuid4(),
        municipality=municipality,
        stage=stage,
        categories=list(categories),
        channel=channel,
        origin=origin,
        consent_to_share=consent,
        opened_at=opened_at,
        legacy_status=legacy_status,
        legacy_staff=legacy_staff,
    )


@pytest.fixture
def desk(client: httpx.AsyncClient, broker: TansuBroker, caseflow: Runtime) -> Desk:
    return Desk(client, broker, caseflow)
