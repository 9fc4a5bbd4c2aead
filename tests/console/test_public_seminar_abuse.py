"""Abuse of the public pages: a registration storm from one address cannot take a small place's
seats, even spread over two consoles (the replicas of deploy/k8s count together), reference
lookups are limited per address, a filled honeypot registers nothing, a client-address header is
believed only when the settings name it, and while the console's database cannot count, nothing
is let through."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from tests.console.conftest import Stack
from tests.console.test_public_seminar_journey import from_address, registered_directly, set_up
from tests.seminar.conftest import Seminar
from tests.seminar.conftest import person as registrant
from tests.support.faults import connections_refused
from tests.support.fuzz import serving
from tests.support.runtime import Start
from tosei_common.platform.http import build_app
from tosei_console.app import SERVICE as CONSOLE

pytestmark = [pytest.mark.slow, pytest.mark.seminar]

HEADER = "X-Client-Address"
STORM = "198.51.100.66"


@asynccontextmanager
async def another_console(stack: Stack, start: Start) -> AsyncIterator[str]:
    """A second console process on the first one's schema and settings, as the second replica
    of deploy/k8s is: its base URL."""
    first = stack.console_runtime
    async with AsyncExitStack() as running:
        second = await running.enter_async_context(
            start(CONSOLE, first.settings, schema=first.schema, connected=False)
        )
        yield await running.enter_async_context(serving(build_app(second)))


async def form_token(http: httpx.AsyncClient, seminar_id: str, base: str = "") -> str:
    """What a bot does first: load the form, keeping its cookie and token."""
    page = await http.get(f"{base}/seminar/{seminar_id}/register")
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def filled(n: int, token: str, site_id: str, **extra: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "name": f"嵐 太郎{n}",
        "role": "other",
        "municipality": "平内町",
        "email": f"storm{n}@example.jp",
        "mode": f"viewing_site:{site_id}",
        **extra,
    }


async def site_of(stack: Stack, seminar: Seminar) -> dict[str, Any]:
    detail = await stack.api("seminar", f"/seminars/{seminar.id}")
    site: dict[str, Any] = next(p for p in detail["places"] if p["id"] == seminar.hiranai_site)
    return site


@pytest.mark.console_settings(console_client_address_header=HEADER)
async def test_a_storm_from_one_address_over_two_consoles_cannot_take_a_small_site_s_seats(
    stack: Stack, person: Any, start: Start
) -> None:
    seminar = await set_up(stack)  # 平内町's viewing site has 10 seats
    async with (
        another_console(stack, start) as second,
        # one cookie jar for both consoles (they are one site to a browser: 127.0.0.1)
        # (30 posts at once on a busy machine: give the slowest time to be answered)
        httpx.AsyncClient(headers={HEADER: STORM}, timeout=30) as bot,
    ):
        token = await form_token(bot, seminar.id, stack.console)
        posts = [
            bot.post(
                # half of the storm reaches each replica
                f"{(stack.console, second)[n % 2]}/seminar/{seminar.id}/register",
                data=filled(n, token, seminar.hiranai_site),
                # a bot that also names itself elsewhere gains nothing: only HEADER counts
                headers={"X-Forwarded-For": f"192.0.2.{n}"},
            )
            for n in range(30)
        ]
        answers = await asyncio.gather(*posts)
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] * 5 + [429] * 25
    refused = next(a for a in answers if a.status_code == 429)
    assert 3500 <= int(refused.headers["retry-after"]) <= 3600
    assert "しばらく時間をおいてください" in refused.text
    assert "1時間に5回まで" in refused.text
    site = await site_of(stack, seminar)
    assert (site["seated"], site["seats_left"]) == (5, 5)

    # the people of 平内町 still find seats, each from their own address
    neighbour = await from_address(await person(phone=True), "203.0.113.20")
    page = neighbour.page
    await neighbour.open(f"/seminar/{seminar.id}/register")
    await page.get_by_label("お住まい・お勤めの市町村").select_option("平内町")
    await expect(page.locator(".mode-choice").first).to_contain_text("残り5席")
    await page.get_by_role("radio", name=re.compile("^サテライト会場")).check()
    await page.get_by_label("氏名").fill("小野寺 茂")
    await page.get_by_label("職種").select_option(label="訪問看護師")
    await page.get_by_label("電話番号").fill("０１７－７５５－２１１１")
    await page.get_by_role("button", name="申し込む").click()
    await expect(page.locator("#status")).to_have_text("参加確定")

    # the storm's own browser is shown when it may come back
    stormer = await from_address(await person(phone=True), STORM)
    await stormer.open(f"/seminar/{seminar.id}/register")
    await stormer.page.get_by_label("お住まい・お勤めの市町村").select_option("平内町")
    await stormer.page.get_by_role("radio", name=re.compile("^サテライト会場")).check()
    await stormer.page.get_by_label("氏名").fill("嵐 花子")
    await stormer.page.get_by_label("職種").select_option(label="住民")
    await stormer.page.get_by_label("メールアドレス").fill("hanako.arashi@example.jp")
    await stormer.page.get_by_role("button", name="申し込む").click()
    alert = stormer.page.get_by_role("alert")
    await expect(alert).to_contain_text("同じ接続元からの参加の申込が多いため")
    await expect(alert).to_contain_text(re.compile(r"約60分後|約1時間後"))
    await stormer.keep("seminar-too-many")
    assert (await site_of(stack, seminar))["seated"] == 6


@pytest.mark.console_settings(console_client_address_header=HEADER)
async def test_a_filled_honeypot_registers_nothing_and_looks_like_an_answer(
    stack: Stack,
) -> None:
    seminar = await set_up(stack)
    async with httpx.AsyncClient(base_url=stack.console, headers={HEADER: "192.0.2.77"}) as bot:
        token = await form_token(bot, seminar.id)
        body = filled(1, token, seminar.hiranai_site, homepage="https://cheap-pills.example")
        answer = await bot.post(f"/seminar/{seminar.id}/register", data=body)
        # and without the form's token nothing happens either
        forged = await bot.post(
            f"/seminar/{seminar.id}/register", data={**filled(2, "", seminar.hiranai_site)}
        )
    assert answer.status_code == 200
    assert "送信を受け付けました" in answer.text
    assert "受付番号が表示されていない場合、参加の申込は完了していません" in answer.text
    assert forged.status_code == 403
    listed = await stack.api("seminar", f"/seminars/{seminar.id}/registrations")
    assert listed["registrations"] == []


@pytest.mark.console_settings(console_client_address_header=HEADER)
async def test_reference_lookups_are_limited_per_address_with_a_retry_time(
    stack: Stack, person: Any, start: Start
) -> None:
    seminar = await set_up(stack)
    reference = await registered_directly(stack, seminar, registrant(1))
    async with (
        another_console(stack, start) as second,
        httpx.AsyncClient(base_url=stack.console, headers={HEADER: "198.51.100.90"}) as guesser,
    ):
        # taking turns between the replicas gains nothing either
        looks = [
            await guesser.get(f"{(stack.console, second)[n % 2]}/seminar/my/{reference}")
            for n in range(60)
        ]
        over = await guesser.get(f"{second}/seminar/my/{reference}")
        pdf = await guesser.get(f"/seminar/my/{reference}/certificate.pdf")
    assert {r.status_code for r in looks} == {200}
    assert looks[0].headers["referrer-policy"] == "no-referrer"
    assert looks[0].headers["cache-control"] == "no-store"
    assert (over.status_code, pdf.status_code) == (429, 429)
    assert 1 <= int(over.headers["retry-after"]) <= 600
    assert "受付番号を使ったご利用（確認・取消・アンケート・修了証）は" in over.text
    assert "10分間に60回まで" in over.text

    owner = await from_address(await person(phone=True), "203.0.113.30")
    await owner.open(f"/seminar/my/{reference}")
    await expect(owner.page.locator("#status")).to_have_text("参加確定")

    guesser_browser = await from_address(await person(phone=True), "198.51.100.90")
    await guesser_browser.open(f"/seminar/my/{reference}")
    await expect(guesser_browser.page.get_by_role("alert")).to_contain_text("約10分後")
    await guesser_browser.keep("seminar-too-many-lookups")


@pytest.mark.console_settings(console_lookup_limit=3)
async def test_without_a_configured_header_no_forwarded_address_is_believed(
    stack: Stack,
) -> None:
    async with httpx.AsyncClient(base_url=stack.console) as client:
        answers = [
            await client.get(
                "/seminar/my/0000-0000-0000-0000",
                headers={"X-Forwarded-For": f"192.0.2.{n}", HEADER: f"192.0.2.{n}"},
            )
            for n in range(5)
        ]
    assert [a.status_code for a in answers] == [404, 404, 404, 429, 429]


@pytest.mark.console_settings(console_client_address_header=HEADER)
async def test_while_the_console_s_database_cannot_count_nothing_is_let_through(
    stack: Stack, person: Any, database_url: str
) -> None:
    seminar = await set_up(stack)
    resident = await from_address(await person(phone=True), "192.0.2.88")
    page = resident.page
    await resident.open(f"/seminar/{seminar.id}/register")
    await page.get_by_label("お住まい・お勤めの市町村").select_option("平内町")
    await page.get_by_role("radio", name=re.compile("^サテライト会場")).check()
    await page.get_by_label("氏名").fill("工藤 春香")
    await page.get_by_label("職種").select_option(label="住民")
    await page.get_by_label("メールアドレス").fill("haruka.kudo@example.jp")
    async with httpx.AsyncClient(base_url=stack.console, headers={HEADER: "192.0.2.89"}) as bot:
        token = await form_token(bot, seminar.id)
        async with connections_refused(database_url, "tosei-console"):
            refused = await bot.post(
                f"/seminar/{seminar.id}/register", data=filled(1, token, seminar.hiranai_site)
            )
            lookup = await bot.get("/seminar/my/0000-0000-0000-0000")
            await page.get_by_role("button", name="申し込む").click()
            await expect(page.get_by_role("heading", level=1)).to_have_text(
                "ただいま処理できません"
            )
            await resident.keep("seminar-cannot-count")
        # once the database is back, the same post is counted and accepted
        accepted = await bot.post(
            f"/seminar/{seminar.id}/register", data=filled(2, token, seminar.hiranai_site)
        )
    for answer in (refused, lookup):
        assert answer.status_code == 503, answer.text
        assert answer.headers["retry-after"] == "5"
        assert "何も登録・変更していません" in answer.text
    assert accepted.status_code == 201, accepted.text
    listed = await stack.api("seminar", f"/seminars/{seminar.id}/registrations")
    assert [r["name"] for r in listed["registrations"]] == ["嵐 太郎2"]
