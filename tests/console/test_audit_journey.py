"""The auditor's screen in the browser: who read a client, found by the client's id, the
service's own Japanese refusal of a period that ends before it starts, and the service's CSV
passed through the console."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from playwright.async_api import expect

from tests.console.conftest import Stack
from tests.intake.helpers import DESK, consultation

pytestmark = pytest.mark.slow


async def test_an_auditor_finds_who_read_a_client_and_downloads_it(
    stack: Stack, person: Any
) -> None:
    await stack.account("kimura", "desk", "木村 由美")
    await stack.account("kansa", "auditor", "三上 監査")
    async with httpx.AsyncClient(base_url=stack.intake) as http:
        registered = await http.post("/consultations", json=consultation(), headers=DESK)
    assert registered.status_code == 201, registered.text
    client_id = registered.json()["client_id"]

    desk = await person()
    await desk.sign_in("kimura")
    await expect(desk.page.get_by_role("link", name="監査記録")).to_have_count(0)
    await desk.open(f"/clients/{client_id}")  # intake records the read: 閲覧 by 木村 由美
    await expect(desk.page.get_by_role("heading", level=1)).to_contain_text("山田 太郎")

    auditor = await person()
    await auditor.sign_in("kansa")
    page = auditor.page
    await (
        page.get_by_role("navigation", name="メニュー").get_by_role("link", name="監査記録").click()
    )
    await expect(page.get_by_role("heading", level=1)).to_have_text("監査記録")
    await page.get_by_label("サービス").select_option("相談受付")
    await page.get_by_label("対象者ID").fill(client_id)
    await page.get_by_role("button", name="表示する").click()
    await page.wait_for_load_state()
    shared = parse_qs(urlparse(page.url).query)  # a GET form: the URL is the search
    assert shared["service"] == ["intake"]
    assert shared["subject"] == [client_id]
    rows = page.locator("table tbody tr")
    read = rows.filter(has_text="閲覧").filter(has_text="木村 由美").filter(has_text=client_id)
    await expect(read.first).to_contain_text("相談者")
    await expect(read.first).to_contain_text("令和")
    await expect(page.locator("table")).not_to_contain_text("desk:kimura")
    await auditor.keep("audit-log")

    # A period that ends before it starts: intake's message next to the field, typed kept.
    await page.get_by_label("期間（から）").fill("2026-12-01")
    await page.get_by_label("期間（まで）").fill("2026-11-01")
    await page.get_by_role("button", name="表示する").click()
    await expect(page.locator("#f-to-error")).to_contain_text("期間の始まりより前")
    await expect(page.get_by_role("alert")).to_contain_text("期間の終わり")
    await expect(page.get_by_label("期間（まで）")).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_label("期間（から）")).to_have_value("2026-12-01")
    await expect(page.get_by_label("対象者ID")).to_have_value(client_id)
    await auditor.keep("audit-log-bad-period")

    await page.get_by_label("期間（から）").fill("")
    await page.get_by_label("期間（まで）").fill("")
    await page.get_by_role("button", name="表示する").click()
    async with page.expect_download() as downloading:
        await page.get_by_role("link", name="この条件の監査記録をCSVでダウンロード").click()
    download = await downloading.value
    assert download.suggested_filename == "監査記録_intake.csv"
    content = await asyncio.to_thread(Path(await download.path()).read_bytes)
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert lines[0][:3] == ["日時", "日付（和暦）", "操作した者"]
    assert lines[1:]
    assert all(r[5] == client_id for r in lines[1:])
    assert any(r[2] == "desk:kimura" and r[6] == "閲覧" for r in lines[1:])

    # The console's own trail: the sign-ins, read through the console's /audit-log.
    await page.get_by_label("サービス").select_option("コンソール")
    await page.get_by_label("対象者ID").fill("")
    await page.get_by_role("button", name="表示する").click()
    signed_in = page.locator("table tbody tr").filter(has_text="ログイン")
    await expect(signed_in.first).to_contain_text("コンソールのアカウント")
    await expect(signed_in).to_have_count(2)
    await expect(signed_in.filter(has_text="木村 由美")).to_have_count(1)  # whose account
    await expect(signed_in.first).to_contain_text("ログイン画面")
    await auditor.keep("audit-log-console")
