"""No request, however malformed, makes the intake API answer with a server error."""

from __future__ import annotations

import httpx
import pytest

from tests.intake.helpers import COORDINATOR, DESK, consultation
from tests.support.fuzz import server_errors
from tosei_common.platform.http import build_app
from tosei_common.platform.service import Runtime


@pytest.mark.slow
@pytest.mark.parametrize("headers", [DESK, COORDINATOR], ids=["desk", "coordinator"])
async def test_fuzzing_the_api_finds_no_server_error(
    intake: Runtime, http: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    # Something on file, so reads, merges and exports have rows to trip over.
    registered = await http.post("/consultations", json=consultation(), headers=DESK)
    assert registered.status_code == 201

    assert await server_errors(build_app(intake), headers) == []
