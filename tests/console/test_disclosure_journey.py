"""A coordinator answers a person's requests in the browser: one PDF (and one JSON) of all the
three services hold about them, read back here, stopping the use of their records, and erasing
them (not while a legal hold stands, and not without the confirmation)."""

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

    assert stack.mailbox is not None
    await stack.mailbox.wait_for(1, to="taro.yamada@example.jp")  # which the disclosure lists

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
        "お送りしたメール",
        "申込の受付（",  # what the mail told, when it went
        "宛先: taro.yamada@example.jp",
        "件名: 【在宅医療合同研修会】参加申込を受け付けました（参加確定）",
        "山田 太郎 様",  # the body as sent
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


async def test_a_coordinator_erases_a_client_only_once_the_hold_is_lifted_and_confirmed(
    stack: Stack, person: Any
) -> None:
    await stack.account("sato", "coordinator", "佐藤 明")
    await stack.account("kimura", "desk", "木村 由美")
    async with httpx.AsyncClient(base_url=stack.intake, headers=DESK) as intake:
        made = await intake.post("/consultations", json=consultation())
        assert made.status_code == 201, made.text
    client_id = made.json()["client_id"]

    # the desk sees the client, but none of the forms
    kimura = await person()
    await kimura.sign_in("kimura")
    await kimura.open(f"/clients/{client_id}")
    await expect(kimura.page.get_by_role("heading", level=1)).to_contain_text("山田 太郎")
    for form in ("訴訟等による保存", "消去（本人からの消去請求）"):
        await expect(kimura.page.get_by_role("heading", name=form)).to_have_count(0)

    sato = await person()
    await sato.sign_in("sato")
    page = sato.page
    await sato.open(f"/clients/{client_id}")
    hold = page.get_by_role("button", name="訴訟等による保存を設定する")
    await hold.click()
    await expect(page.get_by_role("alert")).to_contain_text("理由")
    await page.get_by_label("保存の理由（訴訟・調査の内容など）").fill("令和8年(ワ)第123号事件")
    await hold.click()
    await expect(page.get_by_role("status")).to_contain_text("訴訟等による保存を設定しました")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("訴訟等による保存")
    await expect(page.get_by_text("理由: 令和8年(ワ)第123号事件")).to_be_visible()
    await sato.keep("client-held")

    # no erasure while the hold stands: intake's message, the typed values kept
    erase = page.get_by_role("button", name="個人情報を消去する")
    reason = page.get_by_label("消去の理由（ご本人の請求の内容）")
    confirm = page.get_by_label("消去すると元に戻せないことを確認しました")
    await reason.fill("本人からの消去請求")
    await confirm.check()
    await erase.click()
    await expect(page.get_by_role("alert")).to_contain_text("訴訟等による保存")
    await expect(reason).to_have_value("本人からの消去請求")
    await expect(confirm).to_be_checked()
    await sato.keep("client-erasure-refused-held")

    await page.get_by_role("button", name="訴訟等による保存を解除する").click()
    await expect(page.get_by_role("alert")).to_contain_text("理由")
    await page.get_by_label("保存を解除する理由").fill("判決確定")
    await page.get_by_role("button", name="訴訟等による保存を解除する").click()
    await expect(page.get_by_role("status")).to_contain_text("訴訟等による保存を解除しました")
    await expect(page.get_by_role("heading", level=1)).not_to_contain_text("訴訟等による保存")

    # not without the confirmation: nothing is asked of intake
    await reason.fill("本人からの消去請求")
    await erase.click()
    await expect(page.get_by_role("alert")).to_contain_text("確認にチェックが入っていない")
    await expect(page.locator(".field-error")).to_contain_text("にチェックを入れてください")
    await expect(reason).to_have_value("本人からの消去請求")
    await sato.keep("client-erasure-unconfirmed")
    kept = await stack.api("intake", f"/clients/{client_id}")
    assert kept["name"] == "山田 太郎"
    assert kept["erased_at"] is None

    await confirm.check()
    await erase.click()
    await expect(page.get_by_role("status")).to_contain_text("個人情報を消去しました")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("（消去済み）")
    await expect(page.get_by_role("note")).to_contain_text("個人情報は")
    for action in ("本人開示（PDF・JSON）", "記録の利用を停止する", "個人情報を消去する"):
        await expect(page.get_by_role("button", name=action)).to_have_count(0)
        await expect(page.get_by_role("link", name=action)).to_have_count(0)
    await expect(page.get_by_role("button", name="訴訟等による保存を設定する")).to_have_count(0)
    await sato.keep("client-erased")
    erased = await stack.api("intake", f"/clients/{client_id}")
    assert erased["name"] == "（消去済み）"
    assert erased["erased_at"] is not None
