"""The intake service on the test's own database schema and broker."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.support.runtime import Start
from tosei_common.platform.http import build_app
from tosei_common.platform.service import Runtime
from tosei_intake.app import SERVICE


@pytest.fixture
async def intake(start: Start, schema: str) -> AsyncIterator[Runtime]:
    async with start(SERVICE, schema=schema, consume=False) as rt:
        yield rt


@pytest.fixture
async def http(intake: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_app(intake))
    async with httpx.AsyncClient(transport=transport, base_url="http://intake") as client:
        yield client
