"""The joint resilience plan in the browser: an officer of 平内町 adds and revises their town's
item, cannot revise 青森市's, confirms the review a funding programme's change asked for, reads
the plan as it stood on a past date, the year's changes and the feed; a change made meanwhile in
another tab shows both sides and is redone on the current version."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.console.conftest import COORDINATOR, Screens, Stack
from tests.support.auth import bearer
from tosei_common.platform.clock import SettableClock

pytestmark = [pytest.mark.slow, pytest.mark.resilience]

SNOW_PLOUGHS = "冬期道路交通確保のための除雪機械の更新"
RENAMED = "冬期道路交通確保のための除雪機械（ロータリー除雪車）の更新"
RADIO = "防災行政無線のデジタル化"


async def _post(stack: Stack, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    assert stack.resilience is not None
    async with httpx.AsyncClient(base_url=stack.resilience) as http:
        response = await http.post(path, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def _programme(stack: Stack) -> dict[str, Any]:
    body = {
        "name": "防災・安全交付金",
        "ministry": "国土交通省",
        "condition": "prioritised",
        "condition_note": "国土強靱化地域計画に位置付けられた事業に重点配分",
        "reason": "令和8年度の交付金の登録",
    }
    added: dict[str, Any] = await _post(stack, "/funding-programmes", body, COORDINATOR)
    return added


async def _aomori_item(stack: Stack) -> dict[str, Any]:
    body = {
        "title": RADIO,
        "municipality": "青森市",
        "risk_scenario": "4-1",
        "policy_area": "communications",
        "lead_department": "総務部危機管理課",
        "estimated_cost_yen": 210_000_000,
        "fiscal_year_from": 2024,
        "fiscal_year_to": 2027,
        "reason": "情報伝達手段の多重化",
    }
    added: dict[str, Any] = await _post(
        stack, "/plan-items", body, bearer("municipality", "aomori-1", municipality="022012")
    )
    return added


async def _fill_item(page: Page, *, title: str, cost: str, programme: str | None) -> None:
    await page.get_by_label("事業名").fill(title)
    await page.get_by_label("起きてはならない最悪の事態").select_option("1-6")
    await page.get_by_label("施策分野").select_option(label="交通・物流")
    await page.get_by_label("担当部署").fill("建設課")
    await page.get_by_label("概算事業費（円）").fill(cost)
    await page.get_by_label("実施年度（開始）").select_option(label="令和8年度")
    await page.get_by_label("実施年度（終了）").select_option(label="令和10年度")
    if programme:
        await page.get_by_label(programme).check()
    await page.get_by_label("指標 1").fill("除雪計画路線の除雪完了率")
    await page.get_by_label("単位").fill("%")
    await page.get_by_label("現状値").fill("82")
    await page.get_by_label("目標値").fill("100")


async def test_an_officer_of_hiranai_keeps_their_items_and_reads_the_plan_as_it_stood(
    stack: Stack, person: Any, clock: SettableClock
) -> None:
    clock.set("2026-06-01 10:00")
    await stack.account("hiranai", "municipality", "木村 由美", municipality="平内町")
    await stack.account("sato", "coordinator", "佐藤 明")
    await _programme(stack)
    radio = await _aomori_item(stack)

    officer: Screens = await person()
    await officer.sign_in("hiranai")
    page = officer.page
    await (
        page.get_by_role("navigation", name="メニュー", exact=True)
        .get_by_role("link", name="国土強靱化計画")
        .click()
    )
    await expect(page.locator("#plan-items")).to_contain_text(RADIO)
    await officer.keep("plan-list")

    # Adding: a refused form keeps what was typed and says, next to the field, what is wrong.
    await page.get_by_role("link", name="計画事業を追加").click()
    await _fill_item(page, title=SNOW_PLOUGHS, cost="45,000,000", programme="防災・安全交付金")
    await page.get_by_label("追加の理由").fill("令和8年度の計画見直しにより追加")
    await page.get_by_label("実施年度（終了）").select_option(label="令和7年度")
    await page.get_by_role("button", name="追加する").click()
    await expect(page.locator("#f-fiscal_year_to-error")).to_contain_text("開始年度")
    await expect(page.get_by_label("事業名")).to_have_value(SNOW_PLOUGHS)
    await officer.keep("plan-item-new-refused")
    await page.get_by_label("実施年度（終了）").select_option(label="令和10年度")
    await page.get_by_role("button", name="追加する").click()
    await expect(page.get_by_role("status").first).to_contain_text("計画事業を追加しました")
    await expect(page.locator("dl.facts")).to_contain_text("45,000,000円")
    await expect(page.locator("dl.facts")).to_contain_text("平内町")
    item_url = page.url.split("?")[0]
    await officer.keep("plan-item")

    # Months later the officer revises it: the history says who, when, why and what changed.
    clock.set("2026-11-16 07:30")
    await page.goto(item_url + "/edit")
    await officer.sign_in("hiranai")
    await expect(page.get_by_label("事業名")).to_have_value(SNOW_PLOUGHS)
    await page.get_by_label("事業名").fill(RENAMED)
    await page.get_by_label("概算事業費（円）").fill("52000000")
    await page.get_by_label("進捗状況").select_option(label="実施中")
    await page.get_by_label("変更の理由").fill("資材価格高騰により事業費を見直し")
    await officer.keep("plan-item-edit")
    await page.get_by_role("button", name="変更を保存する").click()
    await expect(page.get_by_role("status").first).to_contain_text("計画事業を変更しました")
    latest = page.locator("#history > li").first
    await expect(latest).to_contain_text("第2版")
    await expect(latest).to_contain_text("令和8年11月16日")
    await expect(latest).to_contain_text("木村 由美")
    await expect(latest).to_contain_text("資材価格高騰により事業費を見直し")
    cost = latest.locator("tr", has_text="概算事業費")
    await expect(cost).to_contain_text("45,000,000円")
    await expect(cost).to_contain_text("52,000,000円")
    await expect(latest.locator("tr", has_text="進捗状況")).to_contain_text("計画")
    await expect(latest.locator("tr", has_text="進捗状況")).to_contain_text("実施中")
    await expect(latest.locator("tr", has_text="事業名")).to_contain_text(RENAMED)
    await officer.keep("plan-item-history")

    # 青森市's item: the page says why in Japanese, and offers no way to change it.
    await officer.open(f"/plan/items/{radio['id']}")
    await expect(page.locator("#cannot-change")).to_have_text(
        "平内町の職員が変更できるのは平内町の計画事業だけです"
        f"（計画事業 No.1「{RADIO}」は青森市の事業です）"
    )
    await expect(page.get_by_role("link", name="内容を変更する")).to_have_count(0)
    await expect(page.get_by_role("button", name="この事業を廃止する")).to_have_count(0)
    await officer.keep("plan-item-other-town")
    await officer.open(f"/plan/items/{radio['id']}/edit")
    await expect(page.get_by_label("事業名")).to_have_count(0)
    await expect(page.locator("#cannot-change")).to_be_visible()

    # What did the plan say on 1 July (a subsidy application's day)? The old wording.
    await page.get_by_role("link", name="時点を指定して見る").click()
    await officer.keep("plan-as-of-picker")
    await page.get_by_label("日付").fill("2026-07-01")
    await page.get_by_role("button", name="この日の計画を表示").click()
    await expect(page.get_by_role("status")).to_contain_text("令和8年7月1日")
    await expect(page.locator("#plan-items")).to_contain_text(SNOW_PLOUGHS)
    await expect(page.locator("#plan-items")).not_to_contain_text(RENAMED)
    await officer.keep("plan-as-of")
    await page.get_by_role("link", name=SNOW_PLOUGHS).click()
    await expect(page.locator("dl.facts")).to_contain_text("45,000,000円")
    await expect(page.get_by_role("status")).to_contain_text("令和8年7月1日時点の内容です")

    # A coordinator makes the programme a requirement: the item is flagged for 平内町.
    coordinator: Screens = await person()
    await coordinator.sign_in("sato")
    await coordinator.open("/plan/programmes")
    await expect(coordinator.page.locator("#programmes")).to_contain_text("重点化")
    await coordinator.keep("plan-programmes")
    await coordinator.page.get_by_role("link", name="防災・安全交付金").click()
    form = coordinator.page.locator("form", has_text="変更を保存する")
    await form.get_by_label("地域計画との関係").select_option(label="要件化")
    await form.get_by_label("適用年度").select_option(label="令和9年度")
    await form.get_by_label("変更の理由").fill("令和9年度から要件化（国の通知による）")
    await form.get_by_role("button", name="変更を保存する").click()
    await expect(coordinator.page.get_by_role("status")).to_contain_text(
        "1件の事業に確認依頼を送りました"
    )
    await expect(coordinator.page.locator("#programme-history")).to_contain_text(
        "地域計画との関係：重点化 → 要件化"
    )
    await coordinator.keep("plan-programme-revised")

    await page.get_by_role("link", name="確認依頼", exact=True).click()
    flag = page.locator("#review-flags > li", has_text=RENAMED)
    await expect(flag).to_contain_text("防災・安全交付金の地域計画との関係、適用年度が変わりました")
    await officer.keep("plan-reviews")
    await flag.get_by_label("確認の結果").fill("要件化後も計画に明記済み。変更不要。")
    await flag.get_by_role("button", name="確認済みにする").click()
    await expect(page.get_by_role("status").first).to_contain_text("確認済みにしました")
    await expect(page.locator("#review-flags")).to_have_count(0)
    await page.get_by_label("確認済みのものも表示").check()
    await page.get_by_role("button", name="表示する").click()
    await expect(page.locator("#review-flags")).to_contain_text("要件化後も計画に明記済み")
    await officer.keep("plan-reviews-confirmed")
    flags = await stack.api("resilience", "/review-flags?open=false")
    assert [f["resolved_by"] for f in flags["review_flags"]] == ["municipality:hiranai"]

    # The year's changes, and the feed since the officer's last look.
    await page.get_by_role("link", name="年度の変更一覧").click()
    await expect(page.locator("h1")).to_have_text("令和8年度の計画の変更一覧")
    await expect(page.locator("#total-added")).to_have_text("2件")
    await expect(page.locator("#summary-items")).to_contain_text("資材価格高騰により事業費を見直し")
    await officer.keep("plan-summary")
    await page.get_by_role("link", name="変更のお知らせ").click()
    await expect(page.locator("#feed > li")).to_have_count(3)
    await expect(page.locator("#feed")).to_contain_text("概算事業費：45,000,000円 → 52,000,000円")
    await officer.keep("plan-changes")
    await page.get_by_role("button", name=re.compile("確認済みにする")).click()
    await expect(page.get_by_role("status").first).to_contain_text("番までを確認済みにしました")
    await expect(page.locator("#feed")).to_have_count(0)
    await officer.keep("plan-changes-seen")

    # Downloads: the service's file, its name and type.
    await page.get_by_role("link", name="計画事業", exact=True).click()
    async with page.expect_download() as waiting:
        await page.get_by_role("link", name=re.compile("Excel（xlsx）")).click()
    download = await waiting.value
    assert download.suggested_filename == "東青圏域国土強靱化地域計画_20261116時点.xlsx"
    csv = await page.request.get(f"{stack.console}/plan/export?format=csv&municipality=023019")
    assert csv.headers["content-type"].startswith("text/csv")
    assert "20261116" in csv.headers["content-disposition"]
    text = (await csv.body()).decode("utf-8-sig")
    assert RENAMED in text
    assert RADIO not in text

    # Split in two, merge back into one, and retire it: each step in the history.
    await officer.open(item_url.removeprefix(stack.console) + "/split")
    await page.get_by_label("事業名").nth(0).fill("除雪機械の更新（ロータリー除雪車）")
    await page.get_by_label("事業名").nth(1).fill("除雪機械の更新（除雪ドーザ）")
    await page.get_by_label("分割の理由").fill("車種ごとに交付金の申請を分けるため")
    await officer.keep("plan-item-split")
    await page.get_by_role("button", name="分割する").click()
    await expect(page.get_by_role("status").first).to_contain_text("計画事業を分割しました")
    await expect(page.locator("dl.facts")).to_contain_text("No.3、No.4")
    await page.get_by_role("link", name="No.3").click()
    await page.get_by_role("link", name="ほかの事業と統合する").click()
    await page.get_by_label(re.compile("No.4 除雪機械の更新")).check()
    await _fill_item(page, title=SNOW_PLOUGHS, cost="50000000", programme=None)
    await page.get_by_label("統合の理由").fill("一括発注に戻すため")
    await officer.keep("plan-merge")
    await page.get_by_role("button", name="統合する").click()
    await expect(page.get_by_role("status").first).to_contain_text("計画事業を統合しました")
    await expect(page.locator("dl.facts")).to_contain_text("統合元")
    await page.locator("summary", has_text="廃止する").click()
    await page.get_by_label("廃止理由").select_option(label="事業完了")
    await page.get_by_label("廃止の説明").fill("令和8年度で整備が完了したため")
    await page.get_by_role("button", name="この事業を廃止する").click()
    await expect(page.get_by_role("status").first).to_contain_text("計画事業を廃止しました")
    await expect(page.locator("#cannot-change")).to_contain_text("廃止済みのため変更できません")
    await expect(page.locator("#history > li").first).to_contain_text("事業完了")
    await officer.keep("plan-item-retired")


async def test_a_change_made_meanwhile_shows_both_sides_and_is_redone_on_the_current_version(
    stack: Stack, person: Any
) -> None:
    await stack.account("kimura", "municipality", "木村 由美", municipality="平内町")
    await stack.account("kudo", "municipality", "工藤 真理", municipality="平内町")
    body = {
        "title": SNOW_PLOUGHS,
        "risk_scenario": "1-6",
        "policy_area": "transport",
        "lead_department": "建設課",
        "estimated_cost_yen": 45_000_000,
        "fiscal_year_from": 2026,
        "fiscal_year_to": 2028,
        "reason": "令和8年度の計画見直しにより追加",
    }
    item = await _post(
        stack, "/plan-items", body, bearer("municipality", "kimura", municipality="023019")
    )
    edit = f"/plan/items/{item['id']}/edit"

    kimura: Screens = await person()
    await kimura.open(edit)
    await kimura.sign_in("kimura")
    kudo: Screens = await person()
    await kudo.open(edit)
    await kudo.sign_in("kudo")

    await kudo.page.get_by_label("概算事業費（円）").fill("52,000,000")
    await kudo.page.get_by_label("変更の理由").fill("資材価格高騰により事業費を見直し")
    await kudo.page.get_by_role("button", name="変更を保存する").click()
    await expect(kudo.page.get_by_role("status").first).to_contain_text("計画事業を変更しました")

    page = kimura.page  # still the form of version 1
    await page.get_by_label("事業名").fill(RENAMED)
    await page.get_by_label("変更の理由").fill("車種を明記")
    await page.get_by_role("button", name="変更を保存する").click()
    await expect(page.locator("h1")).to_have_text("ほかの人が先にこの事業を変更しました")
    await expect(page.get_by_role("alert")).to_contain_text("現在は第2版")
    title = page.locator("#conflict tr", has_text="事業名")
    await expect(title.locator("td").nth(0)).to_have_text(RENAMED)
    await expect(title.locator("td").nth(1)).to_have_text(SNOW_PLOUGHS)
    cost = page.locator("#conflict tr", has_text="概算事業費")
    await expect(cost.locator("td").nth(0)).to_have_text("（変更していません）")
    await expect(cost.locator("td").nth(1)).to_have_text("52,000,000円")
    await expect(cost.locator("td").nth(2)).to_have_text("工藤 真理")
    await expect(page.locator("#their-changes")).to_contain_text("資材価格高騰により事業費を見直し")
    # The form again, on version 2: the title as typed, the cost as 工藤 left it.
    await expect(page.get_by_label("事業名")).to_have_value(RENAMED)
    await expect(page.get_by_label("概算事業費（円）")).to_have_value("52000000")
    await kimura.keep("plan-item-conflict")
    await page.get_by_role("button", name="第2版をもとに変更する").click()
    await expect(page.get_by_role("status").first).to_contain_text("計画事業を変更しました")

    now = await stack.api("resilience", f"/plan-items/{item['id']}")
    assert (now["version"], now["title"], now["estimated_cost_yen"]) == (3, RENAMED, 52_000_000)
    history = await stack.api("resilience", f"/plan-items/{item['id']}/history")
    assert history["revisions"][-1]["changed_fields"] == ["title"]
