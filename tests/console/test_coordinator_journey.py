"""A coordinator's work in the browser: merge two clients, hand over an old desk's CP932 file
after its dry run, and read the KPIs the API reports."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from tests.console.conftest import Stack
from tests.intake.helpers import DESK, consultation
from tests.support.auth import bearer

pytestmark = pytest.mark.slow

HEADER = "受付日,相談者名,事業者名,市町村,相談区分,相談内容,担当者,状況,電話番号,メールアドレス"
OLD_DESK_CSV = "\r\n".join(
    [
        HEADER,
        "令和２年９月１５日,山田　花子,津軽りんご工房,外ケ浜町,創業計画・資金調達,"
        "りんご加工品で創業したい,佐藤 一郎,対応中,０１７－７２３－２２２２,",
        "2021/2/30,鈴木 一郎,鈴木商店,平内町,その他,店舗の改装,佐藤 一郎,対応中,017-755-0000,",
    ]
).encode("cp932")


async def test_a_coordinator_merges_hands_over_and_reads_the_kpis(
    stack: Stack, person: Any, tmp_path: Any
) -> None:
    await stack.account("sato", "coordinator", "佐藤 明")
    expert_id = await stack.expert("佐々木 健", "startup", ["founding_plan", "financing"])
    async with httpx.AsyncClient(base_url=stack.intake) as http:
        first = consultation(person={"name": "工藤 一郎", "phone": "017-700-1111", "email": None})
        second = consultation(
            person={"name": "工藤 一郎", "phone": None, "email": "kudo@example.jp"}
        )
        case_ids = []
        for body in (first, second):
            response = await http.post("/consultations", json=body, headers=DESK)
            assert response.status_code == 201, response.text
            case_ids.append(response.json()["id"])
    await _worked_on(stack, case_ids[0], expert_id)

    sato = await person()
    await sato.sign_in("sato")
    page = sato.page
    await sato.open("/clients?q=工藤")
    await page.get_by_role("link", name="工藤 一郎").first.click()
    await sato.keep("client")
    await page.get_by_role("link", name="この記録を統合する").first.click()
    await expect(page.locator(".warning")).to_contain_text("工藤 一郎")
    await sato.keep("client-merge-confirm")
    await page.get_by_role("button", name=re.compile("統合する$")).click()
    await expect(page.get_by_role("status")).to_contain_text("統合しました。相談 1件を")
    # ... a mistake after all: undone, and the other record is its own client again
    await page.get_by_label("取り消す理由").fill("同姓同名の別人を統合してしまったため")
    await sato.keep("client-unmerge")
    await page.get_by_role("button", name="この統合を取り消す").click()
    await expect(page.get_by_role("status")).to_contain_text("統合を取り消しました")
    assert len(await stack.api("intake", "/clients?q=工藤")) == 2
    await sato.open("/clients?q=工藤")
    await page.get_by_role("link", name="工藤 一郎").first.click()
    await page.get_by_role("link", name="この記録を統合する").first.click()
    await page.get_by_role("button", name=re.compile("統合する$")).click()
    await expect(page.get_by_role("status")).to_contain_text("統合しました")

    upload = tmp_path / "創業支援窓口_2020.csv"
    upload.write_bytes(OLD_DESK_CSV)
    await sato.open("/handover")
    await page.get_by_label("台帳のファイル").set_input_files(str(upload))
    await sato.keep("handover")
    await page.get_by_role("button", name="内容を確認する").click()
    await expect(page.locator("#accepted")).to_have_text("1行")
    await expect(page.locator("table")).to_contain_text("「2021/2/30」は存在しない日付です")
    await sato.keep("handover-dry-run")
    before = await stack.api("intake", "/consultations")
    assert before["total"] == 2  # the dry run wrote nothing
    await page.get_by_role("button", name="1行を取り込む").click()
    await expect(page.get_by_role("heading", name="引継ぎの結果")).to_be_visible()
    await sato.keep("handover-done")
    after = await stack.api("intake", "/consultations")
    assert after["total"] == 3

    await sato.open("/experts")
    await sato.keep("experts")
    await sato.open("/kpi")
    report = await stack.api("caseflow", "/reports/kpi?fiscal_year=2026")
    assert (report["total"]["consultations"], report["total"]["founders"]) == (1, 1)
    await expect(page.locator("#total-consultations")).to_have_text("1件")
    await expect(page.locator("#total-founders")).to_have_text("1人")
    startup = page.locator("#by-track tr", has_text="創業支援")
    await expect(startup.locator("td").first).to_have_text(
        str(report["by_track"]["startup"]["consultations"])
    )
    month = stack.caseflow_runtime.clock.today().month
    for chart in ("consultations", "founders"):
        await expect(page.locator(f"svg[aria-labelledby^='chart-{chart}-']")).to_be_visible()
        await expect(page.locator(f"#chart-{chart}-desc")).to_contain_text(f"{month}月 1")
    await sato.keep("kpi")


async def _worked_on(stack: Stack, case_id: str, expert_id: str) -> None:
    """The assigned expert holds a session and the client founds the business, today."""
    await stack.assigned(case_id, expert_id)
    today = stack.caseflow_runtime.clock.today().isoformat()
    session = {"held_on": today, "mode": "in_person", "duration_minutes": 60}
    founded = {"type": "founded", "achieved_on": today}
    async with httpx.AsyncClient(
        base_url=stack.caseflow, headers=bearer("expert", expert_id)
    ) as http:
        for path, body in (("sessions", session), ("outcomes", founded)):
            response = await http.post(f"/cases/{case_id}/{path}", json=body)
            assert response.status_code == 201, response.text
