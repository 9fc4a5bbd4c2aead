"""A mistyped address or a tampered post shows a Japanese page in the console's layout; the
console's JSON routes still answer API clients in JSON."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from tests.console.conftest import Stack

pytestmark = pytest.mark.slow


async def test_a_person_who_mistypes_an_address_reads_a_page_not_json(
    stack: Stack, person: Any
) -> None:
    await stack.account("sato", "coordinator", "佐藤 明")
    coordinator = await person()
    await coordinator.sign_in("sato")

    await coordinator.open("/cases/not-a-case")  # an id that is no id
    await expect(coordinator.page.get_by_role("heading", level=1)).to_have_text("見つかりません")
    await expect(coordinator.page.get_by_role("alert")).to_contain_text(
        "このアドレスのページはありません"
    )
    await coordinator.keep("mistyped-address")

    await coordinator.open("/no/such/screen")
    await expect(coordinator.page.get_by_role("heading", level=1)).to_have_text("見つかりません")
    await expect(coordinator.page.get_by_role("link", name="トップへ戻る")).to_be_visible()


async def test_api_clients_of_the_console_still_get_json(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=stack.console) as http:
        missing = await http.get("/no/such/screen", headers={"Accept": "application/json"})
        refused = await http.get(
            "/audit-log", params={"from": "someday"}, headers={"Accept": "application/json"}
        )
    assert missing.status_code == 404
    assert missing.json()["error"] == "not_found"
    assert refused.status_code in (401, 422)  # unauthenticated or invalid: either way, JSON
    assert "message" in refused.json()
