"""The console in a real browser, on the real stack: intake and caseflow served over HTTP on the
test's database and broker, the console calling them, Debian's Chromium driven by Playwright.

Every screen a journey reaches is kept as a PNG under ARTEFACTS (``make test`` prints where) and
checked with axe-core in the page: no serious or critical WCAG A/AA violation.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import argon2
import httpx
import pytest
from axe_playwright_python.async_playwright import Axe  # type: ignore[import-untyped]
from playwright.async_api import Browser, Page, async_playwright

from tests.support.auth import bearer
from tests.support.fuzz import serving
from tests.support.mailbox import TestMailbox
from tests.support.oidc_provider import CLIENT_ID, CLIENT_SECRET, FakeProvider
from tests.support.runtime import Start, fast_settings
from tests.support.waiting import eventually
from tosei_caseflow.app import SERVICE as CASEFLOW
from tosei_common.devtools.devstack import free_port
from tosei_common.platform.http import build_app
from tosei_common.platform.service import Runtime
from tosei_console.app import SERVICE as CONSOLE
from tosei_console.handlers import accounts
from tosei_console.handlers.accounts import add_account
from tosei_intake.app import SERVICE as INTAKE
from tosei_requests.app import SERVICE as REQUESTS
from tosei_resilience.app import SERVICE as RESILIENCE
from tosei_seminar.app import SERVICE as SEMINAR

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / ".tosei" / "artefacts" / "console"
PASSWORD = "correct-horse-battery-staple"
COORDINATOR = bearer("coordinator", "coordinator-sato")

INSTALL_HINT = (
    "No Chromium to test the console in. Install Debian's: "
    "`apt-get install -y --no-install-recommends chromium fonts-noto-cjk` "
    "(`make test` does this when it runs as root), or set TOSEI_CHROMIUM to its path."
)


def chromium_path() -> str:
    found = os.environ.get("TOSEI_CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.fail(INSTALL_HINT, pytrace=False)
    return found


#: The console's own hasher, as production runs it (test_password_hashing.py holds it to argon2id
#: with argon2-cffi's RFC 9106 parameters).
PRODUCTION_HASHER = accounts.HASHER
#: argon2-cffi's profile for tests: still argon2id, hashed and verified for real, but in
#: microseconds. The production parameters take ~0.1 s of CPU per hash or sign-in (0.5 s on a
#: busy 2-core machine), in the event loop, and a journey hashes and verifies a dozen times.
TEST_HASHER = argon2.PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "HASHER", TEST_HASHER)
    monkeypatch.setattr(accounts, "_DUMMY_HASH", TEST_HASHER.hash("no such account"))


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    path = chromium_path()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
        try:
            yield launched
        finally:
            await launched.close()


@dataclass
class Stack:
    console: str
    intake: str
    caseflow: str
    console_runtime: Runtime
    caseflow_runtime: Runtime
    provider: FakeProvider | None = None
    seminar: str | None = None
    resilience: str | None = None
    requests: str | None = None
    runtimes: dict[str, Runtime] = field(default_factory=dict)
    #: Marked ``seminar``: the SMTP server the seminar sends to (its mails as .eml files), whose
    #: links point at this console.
    mailbox: TestMailbox | None = None

    async def account(self, login: str, role: str, name: str, **extra: Any) -> str:
        async with self.console_runtime.unit_of_work("test:setup") as uow:
            await add_account(
                uow, login=login, display_name=name, role=role, password=PASSWORD, **extra
            )
        return login

    async def expert(self, name: str, track: str, specialities: list[str]) -> str:
        body = {"name": name, "track": track, "specialities": specialities, "weekly_capacity": 5}
        async with httpx.AsyncClient(base_url=self.caseflow) as http:
            response = await http.post("/experts", json=body, headers=COORDINATOR)
        assert response.status_code == 201, response.text
        expert_id: str = response.json()["expert_id"]
        return expert_id

    async def api(self, service: str, path: str, headers: dict[str, str] | None = None) -> Any:
        """What a service's API says (as a coordinator); None while it has nothing there."""
        base = {
            "intake": self.intake,
            "caseflow": self.caseflow,
            "seminar": self.seminar,
            "resilience": self.resilience,
            "requests": self.requests,
        }[service]
        assert base is not None, f"the stack serves no {service} (mark the test)"
        async with httpx.AsyncClient(base_url=base) as http:
            response = await http.get(path, headers=headers or COORDINATOR)
        if response.status_code == 404:
            return None
        assert response.status_code == 200, response.text
        return response.json()

    async def assigned(self, case_id: str, expert_id: str) -> None:
        """Wait until triage has given the case to the expert."""

        async def given() -> bool:
            case = await self.api("caseflow", f"/cases/{case_id}")
            return case is not None and case["expert_id"] == expert_id

        await eventually(given)


@pytest.fixture
async def stack(start: Start, request: pytest.FixtureRequest) -> AsyncIterator[Stack]:
    """The console on intake and caseflow; marked ``oidc``, also an identity provider it trusts;
    marked ``seminar``, the seminar service too, mailing to a mailbox of the test's own
    (``Stack.mailbox``); marked ``resilience``, the plan's service; marked ``requests``, the
    requests service and the plan's (whose items requests link); ``console_settings(**values)``
    sets the console's settings (its rate limits, its trusted client-address header)."""
    suffix = uuid.uuid4().hex[:8]
    provider = FakeProvider() if request.node.get_closest_marker("oidc") else None
    async with AsyncExitStack() as running:
        intake = await running.enter_async_context(start(INTAKE, schema=f"intake_{suffix}"))
        caseflow = await running.enter_async_context(start(CASEFLOW, schema=f"caseflow_{suffix}"))
        intake_url = await running.enter_async_context(serving(build_app(intake)))
        caseflow_url = await running.enter_async_context(serving(build_app(caseflow)))
        seminar_url: str | None = None
        runtimes: dict[str, Runtime] = {"intake": intake, "caseflow": caseflow}
        console_port = free_port()  # known before the console starts: the seminar's mail links
        mailbox: TestMailbox | None = None
        if request.node.get_closest_marker("seminar"):
            mailbox = request.getfixturevalue("mailbox")
            mailing = fast_settings(
                **mailbox.settings(), console_public_url=f"http://127.0.0.1:{console_port}"
            )
            seminar = await running.enter_async_context(
                start(SEMINAR, mailing, schema=f"seminar_{suffix}", connected=False)
            )
            seminar_url = await running.enter_async_context(serving(build_app(seminar)))
            runtimes["seminar"] = seminar
        wants_requests = request.node.get_closest_marker("requests") is not None
        urls: dict[str, str] = {}
        if wants_requests or request.node.get_closest_marker("resilience"):
            resilience = await running.enter_async_context(
                start(RESILIENCE, schema=f"resilience_{suffix}")
            )
            urls["resilience_url"] = await running.enter_async_context(
                serving(build_app(resilience))
            )
            runtimes["resilience"] = resilience
        if wants_requests:
            requests_service = await running.enter_async_context(
                start(REQUESTS, schema=f"requests_{suffix}")
            )
            urls["requests_url"] = await running.enter_async_context(
                serving(build_app(requests_service))
            )
            runtimes["requests"] = requests_service
        oidc: dict[str, str] = {}
        if provider is not None:
            issuer = await running.enter_async_context(serving(provider.app()))
            oidc = {
                "console_oidc_issuer": issuer,
                "console_oidc_client_id": CLIENT_ID,
                "console_oidc_client_secret": CLIENT_SECRET,
                "console_oidc_label": "青森市職員アカウント",
            }
        if seminar_url:
            urls["seminar_url"] = seminar_url
        chosen = request.node.get_closest_marker("console_settings")
        settings = fast_settings(
            intake_url=intake_url,
            caseflow_url=caseflow_url,
            **urls,
            **oidc,
            **(chosen.kwargs if chosen else {}),
        )
        console = await running.enter_async_context(
            start(CONSOLE, settings, schema=f"console_{suffix}", connected=False)
        )
        console_url = await running.enter_async_context(serving(build_app(console), console_port))
        yield Stack(
            console_url,
            intake_url,
            caseflow_url,
            console,
            caseflow,
            provider,
            seminar_url,
            urls.get("resilience_url"),
            urls.get("requests_url"),
            runtimes,
            mailbox,
        )


class Screens:
    """A browser tab of one person, with the screenshot and accessibility check of each screen."""

    def __init__(self, page: Page, base: str) -> None:
        self.page = page
        self.base = base

    async def open(self, path: str) -> None:
        await self.page.goto(self.base + path)

    async def sign_in(self, login: str, password: str = PASSWORD) -> None:
        """Sign in on the sign-in screen shown now (keeping where it leads), or open it."""
        if "/login" not in self.page.url:
            await self.open("/login")
        await self.page.get_by_label("ログインID").fill(login)
        await self.page.get_by_label("パスワード").fill(password)
        await self.page.get_by_role("button", name="ログイン").click()
        await self.page.wait_for_load_state()

    async def sign_out(self) -> None:
        await self.page.get_by_role("button", name="ログアウト").click()
        await self.page.wait_for_load_state()

    async def keep(self, name: str) -> None:
        """Screenshot the screen as it is, and check it with axe-core."""
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        await self.page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)
        results = await Axe().run(self.page)
        serious = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['html'][:120]})"
            for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")
        ]
        assert serious == [], f"{name}: accessibility violations: {serious}"


@pytest.fixture
async def person(browser: Browser, stack: Stack) -> AsyncIterator[Any]:
    """``await person()`` opens a new person's browser (their own cookies); phone=True: small."""
    contexts = []

    async def open_one(*, phone: bool = False) -> Screens:
        viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
        context = await browser.new_context(locale="ja-JP", viewport=viewport)  # type: ignore[arg-type]
        contexts.append(context)
        return Screens(await context.new_page(), stack.console)

    yield open_one
    for context in contexts:
        await context.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if ARTEFACTS.exists():
        terminalreporter.write_line(f"console screenshots: {ARTEFACTS}/")
