"""Fixtures of the requests tests: the service on its own schema, its clock in June 2020 (the
first year of the joint requests), an HTTP client, and the towns' officers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.requests.towns import Programme
from tests.support.runtime import Start
from tosei_common.platform.clock import SettableClock
from tosei_common.platform.http import build_app
from tosei_common.platform.service import Runtime
from tosei_requests.app import SERVICE


@pytest.fixture
def clock() -> SettableClock:
    """The tests date what they record by setting this clock; it starts at 07:30 JST on
    1 June 2020, still 31 May in UTC, so a "today" taken in UTC fails."""
    return SettableClock("2020-06-01 07:30", ticking=True)


@pytest.fixture
async def service(start: Start, schema: str) -> AsyncIterator[Runtime]:
    async with start(SERVICE, schema=schema) as rt:
        yield rt


@pytest.fixture
async def http(service: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_app(service))
    async with httpx.AsyncClient(transport=transport, base_url="http://requests") as client:
        yield client


@pytest.fixture
def programme(http: httpx.AsyncClient, clock: SettableClock) -> Programme:
    return Programme(http, clock)
