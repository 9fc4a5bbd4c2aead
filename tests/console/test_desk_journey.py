"""The desk's day in the browser: sign in, register a consultation, see the client again."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from tests.console.conftest import Stack
from tests.intake.helpers import DESK, consultation
from tests.support.waiting import eventually

pytestmark = pytest.mark.slow


async def test_the_desk_registers_a_consultation_and_the_expert_finds_it(
    stack: Stack, person: Any
) -> None:
    expert_id = await stack.expert("佐々木 健", "startup", ["founding_plan", "financing"])
    await stack.account("kimura", "desk", "木村 由美")
    await stack.account("sasaki", "expert", "佐々木 健", expert_id=expert_id)

    desk = await person()
    await desk.open("/cases")
    assert "/login" in desk.page.url  # signed out: the sign-in screen, and back after
    await desk.keep("login")
    # No identity provider configured: the console's own accounts only.
    await expect(desk.page.get_by_role("link", name=re.compile("でログイン$"))).to_have_count(0)
    async with httpx.AsyncClient() as http:
        assert (await http.get(f"{stack.console}/login/oidc")).status_code == 404
    await desk.sign_in("kimura")
    await expect(desk.page.get_by_role("heading", name="すべての案件")).to_be_visible()

    await desk.open("/desk/new")
    page = desk.page
    await page.get_by_label("氏名").fill("髙橋 一郎")
    await page.get_by_label("ふりがな").fill("たかはし いちろう")
    await page.get_by_label("電話番号").fill("０１７－７２３－１１１１")
    await page.get_by_label("創業予定").check()
    await page.get_by_label("市町村").select_option("外ヶ浜町")
    await page.get_by_label("創業計画").check()
    await page.get_by_label("相談の内容").fill(
        "りんごの加工品で創業したい。創業計画と融資について。"
    )
    await page.get_by_label("相談者から、外部の専門家").check()
    await desk.keep("desk-new")
    await page.get_by_role("button", name="登録する").dblclick()
    await expect(page.get_by_role("status")).to_contain_text("相談を登録しました")
    await desk.keep("desk-registered")
    case_url = await page.get_by_role("link", name=re.compile(r"^[0-9A-F]{8}$")).get_attribute(
        "href"
    )
    assert case_url is not None
    listed = await stack.api("intake", "/consultations")
    assert listed["total"] == 1  # the double click registered once
    await stack.assigned(case_url.rsplit("/", 1)[1], expert_id)
    client_id = listed["items"][0]["client_id"]

    async def intake_knows_the_expert() -> bool:
        known = await stack.api("intake", f"/clients/{client_id}")
        return bool(known and known["consultations"][0]["assigned_expert"])

    await eventually(intake_knows_the_expert)
    await desk.open(f"/clients/{client_id}")
    # intake holds the expert's id only; the name comes from caseflow's registry
    await expect(page.locator("table tbody tr").first).to_contain_text("佐々木 健")

    # The same person again, typed another way: the desk is told before saving.
    await desk.open("/desk/new")
    await page.get_by_label("氏名").fill("高橋一郎")
    await expect(page.locator("#matches")).to_contain_text("髙橋 一郎")
    await desk.keep("desk-duplicate-hint")

    expert = await person(phone=True)
    await expert.sign_in("sasaki")
    await expect(expert.page.get_by_role("heading", name="わたしの案件")).to_be_visible()
    await expert.page.get_by_role("link", name=case_url.rsplit("/", 1)[1][:8].upper()).click()
    await expect(expert.page.get_by_role("heading", name=re.compile("^案件 "))).to_be_visible()
    await expert.keep("case-expert-phone")


async def test_the_desk_records_consent_given_after_the_consultation(
    stack: Stack, person: Any
) -> None:
    await stack.account("kimura", "desk", "木村 由美")
    async with httpx.AsyncClient(base_url=stack.intake) as http:
        registered = await http.post(
            "/consultations", json=consultation(consent_to_share=False), headers=DESK
        )
    case_id = registered.json()["id"]
    desk = await person()
    await desk.sign_in("kimura")
    await desk.open(f"/consultations/{case_id}")
    page = desk.page
    await page.get_by_label("相談者が同意した日").fill("2020-01-01")
    await page.get_by_role("button", name="同意を記録する").click()
    await expect(page.locator("#f-given_on-error")).to_contain_text("受付日")
    await desk.keep("consultation-consent-refused")
    await page.get_by_label("相談者が同意した日").fill(
        stack.caseflow_runtime.clock.today().isoformat()
    )
    await page.get_by_label("確認の方法など（任意）").fill("電話で本人に確認")
    await page.get_by_role("button", name="同意を記録する").click()
    await expect(page.get_by_role("status")).to_contain_text("同意を記録しました")
    await expect(page.locator(".facts")).to_contain_text("同意あり")
    await desk.keep("consultation-consent")

    async def shared() -> bool:
        case = await stack.api("caseflow", f"/cases/{case_id}")
        return bool(case and case["consent_to_share"])

    await eventually(shared)


async def test_the_desk_corrects_a_consultation_and_a_client_it_got_wrong(
    stack: Stack, person: Any
) -> None:
    await stack.account("kimura", "desk", "木村 由美")
    async with httpx.AsyncClient(base_url=stack.intake) as http:
        registered = await http.post(
            "/consultations",
            json=consultation(person={"phone": "017-723-1112", "email": None}),
            headers=DESK,
        )
    body = registered.json()
    desk = await person()
    await desk.sign_in("kimura")
    await desk.open(f"/consultations/{body['id']}")
    page = desk.page
    await page.get_by_text("受付の内容を訂正する").click()
    await page.locator("#f-correct-municipality").select_option("平内町")
    await page.get_by_role("button", name="訂正する").click()
    await expect(page.locator("#f-correct-reason-error")).to_contain_text("理由")
    await expect(page.locator("#f-correct-municipality")).to_have_value("平内町")  # kept
    await page.locator("#f-correct-reason").fill("市町村の選択誤り（相談者は平内町在住）")
    await desk.keep("consultation-correct")
    await page.get_by_role("button", name="訂正する").click()
    await expect(page.get_by_role("status")).to_contain_text("受付の内容を訂正しました")
    await expect(page.locator(".facts")).to_contain_text("平内町")

    await desk.open(f"/clients/{body['client_id']}")
    await page.get_by_text("相談者の情報を訂正する").click()
    await page.get_by_label("追加する電話番号").fill("017-723-1111")
    await page.get_by_label("削除する電話番号（誤り）").select_option("017-723-1112")
    await page.get_by_label("訂正の理由").fill("電話番号の入力誤り（本人に確認）")
    await page.get_by_role("button", name="訂正する").click()
    await expect(page.get_by_role("status")).to_contain_text("相談者の情報を訂正しました")
    await expect(page.locator(".facts")).to_contain_text("017-723-1111")
    assert "017-723-1112" not in await page.locator(".facts").inner_text()
    await desk.keep("client-corrected")
