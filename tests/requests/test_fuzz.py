"""Schemathesis over the service's own OpenAPI document: no request gets a 5xx."""

from __future__ import annotations

import pytest

from tests.requests.towns import COORDINATOR, DOCTORS, HIRANAI, Programme, officer
from tests.support.fuzz import server_errors
from tosei_common.platform.http import build_app
from tosei_common.platform.service import Runtime

pytestmark = pytest.mark.slow


async def test_fuzzing_the_api_finds_no_server_error(
    programme: Programme, service: Runtime
) -> None:
    await programme.open_year(2020)
    await programme.adopted(DOCTORS, officer(HIRANAI))
    app = build_app(service)
    assert await server_errors(app, COORDINATOR, max_examples=15) == []
    assert await server_errors(app, officer(HIRANAI), max_examples=8) == []
