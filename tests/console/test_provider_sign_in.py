"""Signing in with a municipality's own identity provider (OpenID Connect), in the browser and
as an attacker would try it over HTTP. The provider is the stand-in of tests/support."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from tests.console.conftest import Stack
from tosei_console.api.pages import SESSION_COOKIE

pytestmark = [pytest.mark.slow, pytest.mark.oidc]

TANAKA = "tanaka.misaki@city.aomori.example.jp"


async def test_an_officer_signs_in_with_the_town_s_provider_and_lands_where_they_were_going(
    stack: Stack, person: Any
) -> None:
    await stack.account(TANAKA, "desk", "田中 美咲")
    tanaka = await person()
    await tanaka.open("/cases")
    assert "/login" in tanaka.page.url
    await tanaka.keep("login-with-provider")
    await tanaka.page.get_by_role("link", name="青森市職員アカウントでログイン").click()
    await expect(tanaka.page.get_by_role("heading", name="すべての案件")).to_be_visible()
    assert tanaka.page.url == f"{stack.console}/cases"
    # The role and the name on screen are the console's account, not the provider's claims.
    await expect(tanaka.page.locator(".who")).to_contain_text("田中 美咲（相談窓口の職員）")
    cookies = {c["name"]: c for c in await tanaka.page.context.cookies()}
    assert cookies[SESSION_COOKIE]["httpOnly"] is True
    assert "tosei_oidc" not in cookies  # the attempt is over


async def test_someone_the_console_has_no_account_for_is_not_let_in(
    stack: Stack, person: Any
) -> None:
    assert stack.provider is not None
    stack.provider.person = {**stack.provider.person, "email": "someone@city.aomori.example.jp"}
    stranger = await person()
    await stranger.open("/login")
    await stranger.page.get_by_role("link", name="青森市職員アカウントでログイン").click()
    await expect(stranger.page.get_by_role("alert")).to_contain_text(
        "このアカウントはコンソールに登録されていない"
    )
    await stranger.keep("login-with-provider-refused")
    assert SESSION_COOKIE not in {c["name"] for c in await stranger.page.context.cookies()}


async def _through_the_provider(stack: Stack, http: httpx.AsyncClient) -> httpx.Response:
    """The browser's round trip: the console, the provider, back to the console."""
    start = await http.get(f"{stack.console}/login/oidc")
    assert start.status_code == 303, start.text
    at_provider = await http.get(start.headers["location"])
    assert at_provider.status_code == 302, at_provider.text
    return await http.get(at_provider.headers["location"])


@pytest.mark.parametrize(
    ("tamper", "foreign_key", "said"),
    [
        ({"aud": "another-client"}, False, "確かめられませんでした"),
        ({"iss": "https://evil.example"}, False, "確かめられませんでした"),
        ({"exp": 1_000_000_000}, False, "確かめられませんでした"),
        ({"nonce": "from-another-attempt"}, False, "一致しません"),
        ({"email_verified": False}, False, "確認されていない"),
        ({}, True, "確かめられませんでした"),
    ],
    ids=["audience", "issuer", "expired", "nonce", "unverified-email", "unknown-key"],
)
async def test_a_token_that_does_not_prove_the_person_signs_no_one_in(
    stack: Stack, tamper: dict[str, Any], foreign_key: bool, said: str
) -> None:
    await stack.account(TANAKA, "desk", "田中 美咲")
    assert stack.provider is not None
    stack.provider.tamper, stack.provider.foreign_key = tamper, foreign_key
    async with httpx.AsyncClient() as http:
        back = await _through_the_provider(stack, http)
    assert back.status_code == 401
    assert said in back.text
    assert SESSION_COOKIE not in back.cookies


async def test_an_answer_the_browser_never_asked_for_is_refused(stack: Stack) -> None:
    """Login CSRF: someone else's code pushed into my browser signs nobody in."""
    await stack.account(TANAKA, "desk", "田中 美咲")
    async with httpx.AsyncClient() as attacker:
        start = await attacker.get(f"{stack.console}/login/oidc")
        at_provider = await attacker.get(start.headers["location"])
    async with httpx.AsyncClient() as victim:
        back = await victim.get(at_provider.headers["location"])
    assert back.status_code == 401
    assert "途中で切れました" in back.text
    assert SESSION_COOKIE not in back.cookies
    assert stack.provider is not None
    assert stack.provider.token_requests == 0
