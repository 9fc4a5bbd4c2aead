"""Sign-ins to the console in its audit trail: success, failure (an unknown login, a wrong
password), lock-out, sign-out and the identity provider's sign-in; the auditor reads them per
account, and no typed password is kept."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.support.auth import bearer
from tests.support.runtime import Start
from tosei_common.platform.http import build_app
from tosei_common.platform.service import Runtime
from tosei_console.app import SERVICE as CONSOLE
from tosei_console.handlers.accounts import add_account, login_pseudonym, sign_in_verified

PASSWORD = "correct-horse-battery-staple"
TYPED = "my-secret-typo-password"


@pytest.fixture
async def console(start: Start, schema: str) -> AsyncIterator[Runtime]:
    async with start(CONSOLE, schema=schema, consume=False) as rt:
        yield rt


async def _login(http: httpx.AsyncClient, login: str, password: str) -> httpx.Response:
    form = await http.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None
    return await http.post(
        "/login", data={"login": login, "password": password, "csrf_token": token[1]}
    )


async def test_every_sign_in_and_sign_out_is_in_the_consoles_audit_trail(
    console: Runtime,
) -> None:
    async with console.unit_of_work("test:setup") as uow:
        kimura = await add_account(
            uow, login="kimura", display_name="木村 明", role="desk", password=PASSWORD
        )
        sato = await add_account(
            uow, login="sato", display_name="佐藤 花", role="desk", password=PASSWORD
        )
    transport = httpx.ASGITransport(app=build_app(console))
    async with httpx.AsyncClient(transport=transport, base_url="http://console") as http:
        assert (await _login(http, "nobody", TYPED)).status_code == 401
        assert (await _login(http, "kimura", TYPED)).status_code == 401
        assert (await _login(http, "kimura", PASSWORD)).status_code == 303
        async with console.pool.acquire() as conn:
            csrf = await conn.fetchval(
                "SELECT csrf_token FROM sessions WHERE account_id = $1", kimura.account_id
            )
        out = await http.post("/logout", headers={"X-CSRF-Token": csrf})
        assert out.status_code == 303
        for _ in range(5):
            await _login(http, "sato", TYPED)
        async with console.unit_of_work("system:oidc") as uow:
            await sign_in_verified(uow, "kimura")

        auditor = bearer("auditor", "kansa")
        assert (await http.get("/audit-log", headers=bearer("coordinator"))).status_code == 403
        page = await http.get(
            "/audit-log", params={"subject": str(kimura.account_id)}, headers=auditor
        )
        assert page.status_code == 200, page.text
        actions = [(e["action"], e["changes"].get("cause")) for e in page.json()["entries"]]
        assert actions[:4] == [
            ("signed_in_with_provider", None),
            ("signed_out", None),
            ("signed_in", None),
            ("sign_in_failed", {"old": None, "new": "wrong_password"}),
        ]
        locked = await http.get(
            "/audit-log", params={"subject": str(sato.account_id)}, headers=auditor
        )
        sato_actions = [e["action"] for e in locked.json()["entries"]]
        assert sato_actions[:2] == ["locked_out", "sign_in_failed"]
        assert sato_actions.count("sign_in_failed") == 5
        unknown = await http.get("/audit-log", params={"entity": "account"}, headers=auditor)
        ids = {e["entity_id"] for e in unknown.json()["entries"]}
        assert login_pseudonym("nobody") in ids
        sheet = await http.get("/audit-log.csv", headers=auditor)
        assert "ログインの失敗" in sheet.content.decode("utf-8-sig")
    async with console.pool.acquire() as conn:
        everything = await conn.fetchval("SELECT string_agg(audit_log::text, ' ') FROM audit_log")
    assert TYPED not in everything
    assert "nobody" not in everything
