"""A coordinator answers a person's requests in the browser: one PDF (and one JSON) of all the
three services hold about them, read back here, and stopping the use of their records."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from tests.console.conftest import Stack
from tests.intake.helpers import DESK, consultation
from tests.seminar.conftest import open_seminar, register
from tests.seminar.conftest import person as registrant
from tests.support.auth import bearer
from tests.support.pdf import pdf_text
from tosei_common.region.fiscal import japanese_date

pytestmark = [pytest.mark.slow, pytest.mark.seminar]


async def test_a_coordinator_discloses_everything_held_and_stops_its_use(
    stack: Stack, person: Any
) -> None:
    await stack.account("sato", "coordinator", "佐藤 明")
    expert_id = await stack.expert("佐々木 健", "startup", ["founding_plan", "financing"])
    async with httpx.AsyncClient(base_url=stack.intake, headers=DESK) as intake:
        made = await intake.post("/consultations", json=consultation())
        assert made.status_code == 201, made.text
        case_id = made.json()["id"]
        fixed = await intake.patch(
            f"/consultations/{case_id}",
            json={"reason": "市町村の選択誤り", "municipality": "青森市"},
        )
        assert fixed.status_code == 204, fixed.text
    await stack.assigned(case_id, expert_id)
    today = stack.caseflow_runtime.clock.today()
    async with httpx.AsyncClient(
        base_url=stack.caseflow, headers=bearer("expert", expert_id)
    ) as caseflow:
        session = {
            "held_on": today.isoformat(),
            "mode": "in_person",
            "duration_minutes": 60,
            "minutes": "創業計画書の資金計画を確認",
            "confidential_notes": "自己資金の一部は親族からの借入",
        }
        held = await caseflow.post(f"/cases/{case_id}/sessions", json=session)
        assert held.status_code == 201, held.text
    assert stack.seminar is not None
    async with httpx.AsyncClient(
        base_url=stack.seminar, headers=bearer("coordinator", "kikaku")
    ) as seminar_http:
        seminar = await open_seminar(seminar_http)
        await register(
            seminar_http,
            seminar,
            registrant(1, name="山田 太郎", email="taro.yamada@example.jp", phone=None),
        )

    sato = await person()
    await sato.sign_in("sato")
    page = sato.page
    await sato.open("/clients?q=山田")
    await page.get_by_role("link", name="山田 太郎").click()
    await page.get_by_role("link", name="本人開示（PDF・JSON）").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("本人開示")
    await sato.keep("disclosure")

    async with page.expect_download() as downloading:
        await page.get_by_role("button", name="開示書（PDF）をダウンロード").click()
    pdf = await (await downloading.value).path()
    text, pages = pdf_text(await asyncio.to_thread(Path(pdf).read_bytes))
    for said in (
        "保有個人情報開示",
        japanese_date(today),  # the day it was made, in the era
        "1. 経営相談の受付の記録",
        "2. 相談案件の支援の記録",
        "3. 在宅医療合同研修会の申込みの記録",
        "山田 太郎",
        "津軽りんご工房",
        "市町村: 外ヶ浜町 → 青森市",  # the correction, with what was there before
        "理由: 市町村の選択誤り",
        "創業計画書の資金計画を確認",
        "佐々木 健",
        "非公開メモ",
        "1件あり（開示していません）",
        "第78条",
        "地域で支える在宅医療",
        "看護師",
    ):
        assert said in text, said
    flat = text.replace("\n", "")  # the page number is written in pieces
    assert pages >= 2
    assert all(f"{n} / {pages} ページ" in flat for n in range(1, pages + 1))
    assert "自己資金" not in text  # the confidential note is withheld (the default)
    for code in ("founding_plan", "walk_in", "in_person", "022012"):
        assert code not in text

    async with page.expect_download() as downloading:
        await page.get_by_role("button", name="開示データ（JSON）をダウンロード").click()
    saved = Path(await (await downloading.value).path())
    bundle = json.loads(await asyncio.to_thread(saved.read_text, "utf-8"))
    assert bundle["title"] == "保有個人情報開示"
    assert bundle["intake"]["consultations"][0]["consultation"]["municipality"]["code"] == "022012"
    assert bundle["caseflow"]["confidential_notes_withheld"] == 1
    (registration,) = bundle["seminar"]["registrations"]
    assert registration["email"] == "taro.yamada@example.jp"
    assert bundle["seminar_contacts"] == ["taro.yamada@example.jp", "017-723-1111"]

    # the person asks that their records' use be stopped
    await page.get_by_role("link", name="相談者の画面に戻る").click()
    await page.get_by_role("button", name="記録の利用を停止する").click()
    await expect(page.get_by_role("alert")).to_contain_text("理由")
    await page.get_by_label("利用停止の理由（ご本人の請求の内容）").fill("本人から利用停止の請求")
    await page.get_by_role("button", name="記録の利用を停止する").click()
    await expect(page.get_by_role("status")).to_contain_text("利用を停止しました")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("利用停止中")
    await sato.keep("client-use-stopped")
    assert await stack.api("intake", "/clients?q=山田", headers=DESK) == []
    await sato.open("/clients?q=山田")
    await expect(page.locator("table")).to_contain_text("利用停止中")
