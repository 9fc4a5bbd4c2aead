"""An expert's work on a case in the browser: a session, a hand-over, and who may see what."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from tests.console.conftest import Screens, Stack
from tests.intake.helpers import DESK, consultation
from tests.support.auth import bearer

pytestmark = pytest.mark.slow


async def _registered_case(stack: Stack, expert_id: str) -> str:
    async with httpx.AsyncClient(base_url=stack.intake) as http:
        response = await http.post("/consultations", json=consultation(), headers=DESK)
    assert response.status_code == 201, response.text
    case_id: str = response.json()["id"]
    await stack.assigned(case_id, expert_id)
    return case_id


async def test_a_session_and_a_hand_over_keep_the_whole_timeline_and_the_notes_private(
    stack: Stack, person: Any
) -> None:
    first = await stack.expert("佐々木 健", "startup", ["founding_plan", "financing"])
    second = await stack.expert("工藤 真理", "startup", ["sales_channels"])
    outsider = await stack.expert("成田 誠", "sme", ["succession"])
    await stack.account("sasaki", "expert", "佐々木 健", expert_id=first)
    await stack.account("kudo", "expert", "工藤 真理", expert_id=second)
    await stack.account("narita", "expert", "成田 誠", expert_id=outsider)
    await stack.account("kimura", "desk", "木村 由美")
    case_id = await _registered_case(stack, first)
    number = case_id[:8].upper()

    sasaki = await person()
    await sasaki.sign_in("sasaki")
    await sasaki.page.get_by_role("link", name=number).click()
    page = sasaki.page
    await page.get_by_label("時間（分）").fill("")
    await page.get_by_role("button", name="記録を保存").click()
    # The service's own Japanese message, next to the field it names, the rest kept.
    await expect(page.locator("#f-duration_minutes-error")).to_be_visible()
    await sasaki.keep("case-session-refused")
    await page.get_by_label("時間（分）").fill("90")
    await page.get_by_label("記録（相談者と共有できる内容）").fill(
        "創業計画書の骨子を一緒に作成した。"
    )
    await page.get_by_label("非公開メモ").fill("家族の借入の事情あり（本人の了承のうえ記録）")
    await page.get_by_role("button", name="記録を保存").click()
    await expect(page.get_by_role("status")).to_contain_text("相談の記録を保存しました")
    await expect(page.locator(".timeline")).to_contain_text("家族の借入の事情あり")

    option = page.locator("#f-transfer-to_expert_id option", has_text="工藤 真理")
    await page.get_by_label("引き継ぐ相手").select_option(await option.get_attribute("value"))
    await page.locator("#f-transfer-reason").select_option("speciality")
    await page.get_by_label("引継ぎメモ").fill(
        "販路開拓の段階に入ったため、工藤さんにお願いします。"
    )
    await sasaki.keep("case-transfer")
    await page.get_by_role("button", name="引き継ぐ").click()
    await expect(page.get_by_role("status")).to_contain_text("案件を引き継ぎました")

    kudo = await person()
    await kudo.sign_in("kudo")
    await kudo.page.get_by_role("link", name=number).click()
    timeline = kudo.page.locator(".timeline")
    await expect(timeline).to_contain_text("創業計画書の骨子を一緒に作成した。")
    await expect(timeline).to_contain_text("販路開拓の段階に入ったため")
    await expect(timeline).to_contain_text("家族の借入の事情あり")
    # Who did what, by name and in Japanese: the triage's reason, the expert who held the session.
    await expect(timeline).to_contain_text("自動割当（得意分野と担当件数から）")
    await expect(timeline).to_contain_text("担当件数の少ない佐々木 健（得意分野の一致2件")
    await expect(timeline.locator("li", has_text="相談を実施").first).to_contain_text("佐々木 健")
    assert not re.search(r"(system|expert|intake):", await timeline.inner_text())
    await kudo.keep("case-after-transfer")

    desk = await person()
    await desk.sign_in("kimura")
    await desk.open(f"/cases/{case_id}")
    await expect(desk.page.locator(".timeline")).to_contain_text("創業計画書の骨子")
    assert "家族の借入" not in await desk.page.content()
    await desk.keep("case-desk-view")

    narita = await person()
    await narita.sign_in("narita")
    await narita.open(f"/cases/{case_id}")
    await expect(narita.page.get_by_role("heading", level=1)).to_have_text(
        re.compile("この操作はできません|見つかりません")
    )
    assert "創業計画書" not in await narita.page.content()
    await narita.keep("case-refused-to-another-expert")


async def test_forms_without_their_token_or_a_session_change_nothing(
    stack: Stack, person: Any
) -> None:
    expert_id = await stack.expert("佐々木 健", "startup", ["founding_plan"])
    await stack.account("sasaki", "expert", "佐々木 健", expert_id=expert_id)
    case_id = await _registered_case(stack, expert_id)
    body: dict[str, str | float | bool] = {
        "held_on": "2026-11-16",
        "mode": "in_person",
        "duration_minutes": "30",
    }

    sasaki: Screens = await person()
    await sasaki.sign_in("sasaki")
    forged = await sasaki.page.request.post(f"{stack.console}/cases/{case_id}/session", form=body)
    assert forged.status == 403
    assert "何も保存していません" in await forged.text()
    wrong = await sasaki.page.request.post(
        f"{stack.console}/cases/{case_id}/session", form={**body, "csrf_token": "guessed"}
    )
    assert wrong.status == 403

    async with httpx.AsyncClient(base_url=stack.console) as anonymous:
        response = await anonymous.post(f"/cases/{case_id}/session", data=body)
        assert response.status_code == 401
        page = await anonymous.get(f"/cases/{case_id}")
        assert page.status_code == 303
        assert page.headers["location"].startswith("/login?next=")

    case = await stack.api("caseflow", f"/cases/{case_id}")
    assert case["sessions"] == []

    await sasaki.sign_out()
    await expect(sasaki.page.get_by_role("status")).to_contain_text("ログアウトしました")
    await sasaki.open(f"/cases/{case_id}")
    assert "/login" in sasaki.page.url


async def test_five_wrong_passwords_lock_the_account(stack: Stack, person: Any) -> None:
    await stack.account("kimura", "desk", "木村 由美")
    desk: Screens = await person()
    for _ in range(5):
        await desk.sign_in("kimura", "wrong-password-again")
    await expect(desk.page.get_by_role("alert")).to_contain_text("ロックされています")
    await desk.sign_in("kimura")  # the right one, too soon
    await expect(desk.page.get_by_role("alert")).to_contain_text("ロックされています")
    await desk.keep("login-locked")


async def test_an_expert_voids_a_session_recorded_on_the_wrong_case(
    stack: Stack, person: Any
) -> None:
    expert_id = await stack.expert("佐々木 健", "startup", ["founding_plan"])
    await stack.account("sasaki", "expert", "佐々木 健", expert_id=expert_id)
    case_id = await _registered_case(stack, expert_id)
    sasaki = await person()
    await sasaki.sign_in("sasaki")
    await sasaki.open(f"/cases/{case_id}")
    page = sasaki.page
    await page.get_by_label("記録（相談者と共有できる内容）").fill("別の相談者の内容")
    await page.get_by_role("button", name="記録を保存").click()
    await expect(page.get_by_role("status")).to_contain_text("相談の記録を保存しました")

    row = page.locator("#sessions tbody tr").first
    await row.get_by_role("button", name="この記録を取り消す").click()
    await expect(page.get_by_role("alert")).to_contain_text("取り消す理由を入力してください")
    row = page.locator("#sessions tbody tr").first
    await row.get_by_label("取り消す理由").fill("別の相談者の案件に記録してしまったため")
    await sasaki.keep("case-void-session")
    await row.get_by_role("button", name="この記録を取り消す").click()
    await expect(page.get_by_role("status")).to_contain_text("相談の記録を取り消しました")
    await expect(page.locator("#sessions tbody tr").first).to_contain_text("取り消し済み")
    entry = page.locator(".timeline li", has_text="相談の記録を取り消し")
    await expect(entry).to_contain_text("別の相談者の案件に記録してしまったため")
    await expect(entry).to_contain_text("佐々木 健")
    await sasaki.keep("case-session-voided")
    report = await stack.api("caseflow", "/reports/kpi?fiscal_year=2026")
    assert report["total"]["consultations"] == 0


async def test_the_overdue_follow_ups_say_whom_to_call(stack: Stack, person: Any) -> None:
    expert_id = await stack.expert("佐々木 健", "startup", ["founding_plan"])
    await stack.account("sasaki", "expert", "佐々木 健", expert_id=expert_id)
    today = stack.caseflow_runtime.clock.today()
    async with httpx.AsyncClient(base_url=stack.intake) as http:
        registered = await http.post(
            "/consultations",
            json=consultation(consulted_at=f"{today - timedelta(days=20)}T10:00:00+09:00"),
            headers=DESK,
        )
    assert registered.status_code == 201, registered.text
    case_id = registered.json()["id"]
    await stack.assigned(case_id, expert_id)
    session = {
        "held_on": (today - timedelta(days=14)).isoformat(),
        "mode": "phone",
        "duration_minutes": 20,
        "next_action_on": (today - timedelta(days=7)).isoformat(),
    }
    async with httpx.AsyncClient(base_url=stack.caseflow) as http:
        held = await http.post(
            f"/cases/{case_id}/sessions", json=session, headers=bearer("expert", expert_id)
        )
    assert held.status_code == 201, held.text

    sasaki = await person()
    await sasaki.sign_in("sasaki")
    await sasaki.open("/follow-ups")
    row = sasaki.page.locator("tbody tr", has_text=case_id[:8].upper())
    await expect(row).to_contain_text("山田 太郎")
    await expect(row).to_contain_text("017-723-1111")
    await expect(row).to_contain_text("7日")
    await sasaki.keep("follow-ups")
