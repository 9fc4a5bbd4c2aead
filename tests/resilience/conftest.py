"""Fixtures of the resilience tests: the service on its own schema, with a settable clock."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.resilience.plan import PlanClient, SettableClock
from tests.support.runtime import Start
from tosei_common.http import build_app
from tosei_common.service import Runtime
from tosei_resilience.app import resilience_service


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock()


@pytest.fixture
async def service(start: Start, schema: str, clock: SettableClock) -> AsyncIterator[Runtime]:
    async with start(resilience_service(clock), schema=schema) as rt:
        yield rt


@pytest.fixture
async def http(service: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_app(service))
    async with httpx.AsyncClient(transport=transport, base_url="http://resilience") as client:
        yield client


@pytest.fixture
def plan(http: httpx.AsyncClient) -> PlanClient:
    return PlanClient(http)
