"""Fixtures of the resilience tests: the service on its own schema, its clock in May 2024."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.resilience.plan import PlanClient
from tests.support.runtime import Start
from tosei_common.platform.clock import SettableClock
from tosei_common.platform.http import build_app
from tosei_common.platform.service import Runtime
from tosei_resilience.app import resilience_service


@pytest.fixture
def clock() -> SettableClock:
    """The plan's tests date their changes by setting this clock (it starts in FY2024)."""
    return SettableClock("2024-05-01 10:00")


@pytest.fixture
async def service(start: Start, schema: str) -> AsyncIterator[Runtime]:
    async with start(resilience_service(), schema=schema) as rt:
        yield rt


@pytest.fixture
async def http(service: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_app(service))
    async with httpx.AsyncClient(transport=transport, base_url="http://resilience") as client:
        yield client


@pytest.fixture
def plan(http: httpx.AsyncClient) -> PlanClient:
    return PlanClient(http)
