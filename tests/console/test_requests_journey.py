"""The joint priority requests (重点要望) in the browser, through the requests and resilience
services: two towns' officers draft and submit items linked to plan items, the coordinator
adopts them, orders the joint list by numbers and by dragging, schedules the briefing, fixes the
agenda and downloads the book, records the prefecture's answer and carries a request into the
next year, whose lineage shows both years."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from playwright.async_api import Page, expect

from tests.console.conftest import Stack
from tests.requests.test_cycle import pdf_text
from tests.resilience.plan import SHELTER_RADIO, SNOW_PLOUGHS, PlanClient, officer
from tests.support.auth import bearer
from tests.support.waiting import eventually
from tosei_common.platform.clock import SettableClock

pytestmark = [pytest.mark.slow, pytest.mark.requests]

COORDINATOR = bearer("coordinator", "setup-kudo")
HIRANAI, AOMORI = "023019", "022012"
SIDEWALK = "国道4号（平内町小湊地区）の歩道整備"
PORT = "青森港の機能強化（新中央ふ頭の整備促進）"


async def plan_items(stack: Stack) -> dict[str, dict[str, Any]]:
    """Two plan items added in resilience, once the requests service's copy has them."""
    assert stack.resilience is not None
    assert stack.requests is not None
    async with httpx.AsyncClient(base_url=stack.resilience) as http:
        plan = PlanClient(http)
        ploughs = await plan.add(SNOW_PLOUGHS, officer(HIRANAI))
        radio = await plan.add(SHELTER_RADIO, officer(AOMORI))

    async def copied() -> bool:
        found = await stack.api("requests", "/plan-items")
        return found is not None and found["count"] == 2

    await eventually(copied)
    return {"ploughs": ploughs, "radio": radio}


async def open_drafting(stack: Stack, fiscal_year: int) -> None:
    async with httpx.AsyncClient(base_url=str(stack.requests)) as http:
        opened = await http.post("/years", json={"fiscal_year": fiscal_year}, headers=COORDINATOR)
    assert opened.status_code == 201, opened.text


async def menu(page: Page, label: str) -> None:
    await page.get_by_role("navigation", name="メニュー").get_by_role("link", name=label).click()
    await page.wait_for_load_state()


async def link_plan_item(page: Page, typed: str, label: str) -> None:
    """Search the plan by a part of the title (htmx) and tick the item found."""
    await page.get_by_label("事業名で検索").fill(typed)
    found = page.locator("#plan-results").get_by_label(label)
    await expect(found).to_be_visible()
    await found.check()


async def draft_and_submit(
    page: Page, *, title: str, town: str, department: str, search: str, plan_label: str
) -> str:
    await page.get_by_role("link", name="新しい要望を作成する").click()
    await page.get_by_label("要望事項（件名）").fill(title)
    await expect(page.get_by_label(town)).to_be_checked()  # the officer's own town
    await page.get_by_label(department).check()
    await page.get_by_label("現状と課題").fill("現状の説明です。\n課題の説明です。")
    await page.get_by_label("要望内容").fill("整備の促進を要望する。")
    # the search without the script: the button sends the form back with what was typed
    await page.get_by_label("事業名で検索").fill(search)
    await page.get_by_role("button", name="検索する").click()
    await page.locator("#plan-results").get_by_label(plan_label).check()
    await expect(page.get_by_label("要望事項（件名）")).to_have_value(title)
    await expect(page.get_by_label(department)).to_be_checked()
    await page.get_by_role("button", name="作成する（下書き）").click()
    await expect(page.locator("#item-status")).to_have_text("作成中")
    await page.get_by_role("button", name="提出する").click()
    await expect(page.locator("#item-status")).to_have_text("提出済み")
    return page.url.rsplit("/", 1)[-1].split("?")[0]


async def test_two_towns_request_and_the_coordinator_briefs_answers_and_carries_over(
    stack: Stack, person: Any, clock: SettableClock
) -> None:
    clock.set("2026-09-01 09:30")  # 令和8年度: the towns draft in late summer
    plan = await plan_items(stack)
    await open_drafting(stack, 2026)
    await stack.account("hiranai", "municipality", "平内 太郎", municipality="平内町")
    await stack.account("aomori", "municipality", "青森 花子", municipality="青森市")
    await stack.account("kudo", "coordinator", "工藤 誠")
    ploughs_label = (
        f"国土強靱化地域計画 事業番号{plan['ploughs']['number']}"
        f"「{SNOW_PLOUGHS['title']}」（平内町・計画）"
    )

    # 平内町: a refused draft keeps what was typed and names the fields in Japanese
    hiranai = await person()
    await hiranai.sign_in("hiranai")
    page = hiranai.page
    await menu(page, "重点要望")
    await expect(page.get_by_role("heading", level=1)).to_have_text("重点要望 令和8年度（平内町）")
    await hiranai.keep("requests-officer-list-empty")
    await page.get_by_role("link", name="新しい要望を作成する").click()
    await page.get_by_label("要望額（円）").fill("三億五千万")
    await page.get_by_label("現状と課題").fill("通学路となっている区間に歩道がない。")
    await link_plan_item(page, "除雪　機械", ploughs_label)  # full-width space: still found
    await page.get_by_role("button", name="作成する（下書き）").click()
    await expect(page.locator("#f-title-error")).to_have_text("入力してください")
    await expect(page.locator("#f-requested_amount_yen-error")).to_have_text(
        "整数で入力してください"
    )
    summary = page.get_by_role("alert")
    await expect(summary).to_contain_text("要望事項（件名）（入力してください）")
    await expect(summary).to_contain_text("要望額（円）（整数で入力してください）")
    await expect(summary).not_to_contain_text("requested_amount_yen")
    await expect(page.get_by_label("要望事項（件名）")).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_label("要望額（円）")).to_have_value("三億五千万")
    await expect(page.get_by_label("現状と課題")).to_have_value(
        "通学路となっている区間に歩道がない。"
    )
    await expect(page.locator("#linked-plan-items").get_by_label(ploughs_label)).to_be_checked()
    await hiranai.keep("requests-item-refused")

    await page.get_by_label("要望事項（件名）").fill(SIDEWALK)
    await page.get_by_label("要望額（円）").fill("350,000,000")
    await page.get_by_label("県土整備部").check()
    await page.get_by_label("要望内容").fill("小湊地区の歩道整備を要望する。")
    await page.get_by_role("button", name="作成する（下書き）").click()
    await expect(page.locator("#item-status")).to_have_text("作成中")
    await expect(page.locator("#item-plan-items")).to_have_text(ploughs_label)
    await expect(page.get_by_text("350,000,000円")).to_be_visible()
    await hiranai.keep("requests-item-drafted")
    sidewalk_id = page.url.rsplit("/", 1)[-1].split("?")[0]

    # edit: the body reworded; the history shows who changed what
    await page.get_by_role("link", name="編集する").click()
    await expect(page.get_by_label("要望額（円）")).to_have_value("350,000,000")
    await page.get_by_label("要望内容").fill("小湊地区の歩道整備と冬期の歩行空間の確保を要望する。")
    await hiranai.keep("requests-item-edit")
    await page.get_by_role("button", name="保存する").click()
    await expect(page.get_by_role("status")).to_have_text("要望を保存しました")
    await expect(page.locator("#item-history")).to_contain_text("編集（平内 太郎）")
    await expect(page.locator("#item-history")).to_contain_text("要望内容：")
    await page.get_by_role("button", name="提出する").click()
    await expect(page.locator("#item-status")).to_have_text("提出済み")
    await hiranai.keep("requests-item-submitted")

    # 青森市: the same, with its own plan item
    aomori = await person()
    await aomori.sign_in("aomori")
    await menu(aomori.page, "重点要望")
    port_id = await draft_and_submit(
        aomori.page,
        title=PORT,
        town="青森市",
        department="県土整備部",
        search="防災行政無線",
        plan_label=f"国土強靱化地域計画 事業番号{plan['radio']['number']}"
        f"「{SHELTER_RADIO['title']}」（青森市・計画）",
    )

    # the coordinator adopts both from the year's list
    clock.set("2026-09-15 10:00")
    coordinator = await person()
    await coordinator.sign_in("kudo")
    page = coordinator.page
    await menu(page, "重点要望")
    rows = page.locator("#request-items tbody tr")
    await expect(rows).to_have_count(2)
    await hiranai_row_then_aomori(rows)
    await coordinator.keep("requests-coordinator-list")
    await page.get_by_role("button", name=f"2026-001「{SIDEWALK}」を採択する").click()
    await expect(page.get_by_role("status")).to_have_text("要望を採択しました")
    await page.get_by_role("button", name=f"2026-002「{PORT}」を採択する").click()
    await expect(page.locator("#request-items .badge").filter(has_text="採択")).to_have_count(2)

    # the briefing, then the joint order: by numbers, then by dragging
    await page.get_by_role("link", name="説明会と議題（共同要望の順番・要望書）").click()
    await page.get_by_label("説明会の日").fill("2026-10-16")
    await page.get_by_label("開始時刻").fill("11:00")
    await page.get_by_label("終了時刻").fill("11:50")
    await page.get_by_label("会場").fill("青森県庁 西棟8階 大会議室")
    for town in ("青森市", "平内町", "今別町", "外ヶ浜町"):
        await page.get_by_label(f"{town}の出席", exact=True).select_option("head")
    await page.get_by_label("蓬田村の出席", exact=True).select_option("deputy")
    await page.get_by_label("県の出席者1の職名（例：副知事）").fill("副知事")
    await coordinator.keep("requests-briefing-form")
    await page.get_by_role("button", name="日程を保存する").click()
    await expect(page.get_by_role("status")).to_have_text("説明会の日程を保存しました")
    await expect(page.locator("#briefing-facts")).to_contain_text("令和8年10月16日 11:00〜11:50")
    await expect(page.locator("#briefing-facts")).to_contain_text("蓬田村副村長")

    sidewalk_rank = page.get_by_label(f"2026-001「{SIDEWALK}」の順位")
    port_rank = page.get_by_label(f"2026-002「{PORT}」の順位")
    await port_rank.fill("1")
    await sidewalk_rank.fill("1")  # the same number twice: said beside both
    await page.get_by_label("一つの順番（この画面の順番のまま）").check()
    await page.get_by_role("button", name="この順番で保存する").click()
    await expect(page.locator(f"#f-rank-{port_id}-error")).to_have_text(
        "順位1がほかの要望と重複しています"
    )
    await expect(sidewalk_rank).to_have_value("1")
    await coordinator.keep("requests-agenda-refused")
    await sidewalk_rank.fill("2")
    await page.get_by_label("一つの順番（この画面の順番のまま）").check()
    await page.get_by_role("button", name="この順番で保存する").click()
    await expect(page.get_by_role("status")).to_have_text("議題の順番を保存しました")
    await expect(page.locator("#agenda-entries tbody tr").first).to_contain_text(PORT)
    await coordinator.keep("requests-agenda-by-numbers")

    order_rows = page.locator("#agenda-order tbody tr")
    await expect(order_rows.first).to_contain_text(PORT)
    await order_rows.nth(1).drag_to(order_rows.first, target_position={"x": 40, "y": 4})
    await expect(order_rows.first).to_contain_text(SIDEWALK)
    await expect(sidewalk_rank).to_have_value("1")
    await expect(port_rank).to_have_value("2")
    await expect(page.locator("[data-order-status]")).to_contain_text("順番を変えました")
    await page.get_by_role("button", name="この順番で保存する").click()
    await expect(page.get_by_role("status")).to_have_text("議題の順番を保存しました")
    entries = page.locator("#agenda-entries tbody tr")
    await expect(entries.first).to_contain_text(SIDEWALK)
    await expect(entries.nth(1)).to_contain_text(PORT)
    await coordinator.keep("requests-agenda-dragged")

    await page.get_by_role("button", name="議題を確定する").click()
    await expect(page.get_by_role("status")).to_have_text(
        "議題を確定しました。要望書をダウンロードできます"
    )
    await coordinator.keep("requests-agenda-fixed")
    pdf = await download(page, "要望書（PDF）をダウンロード")
    assert pdf[0].endswith(".pdf")
    assert "要望書" in pdf[0]
    assert pdf[1].startswith(b"%PDF-")
    text = pdf_text(pdf[1])
    assert "令和8年度" in text
    assert text.index(SIDEWALK) < text.index(PORT)  # the contents in the chosen order
    xlsx = await download(page, "要望書（Excel）をダウンロード")
    assert xlsx[0].endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx[1])).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    title_column = header.index("要望事項")
    listed = [row[title_column] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert listed == [SIDEWALK, PORT]

    # the prefecture's answer, in February (a new day: the coordinator signs in again)
    clock.set("2027-02-05 14:00")
    await page.goto(f"{stack.console}/requests/items/{sidewalk_id}")
    await coordinator.sign_in("kudo")
    await page.get_by_label("困難", exact=True).check()
    await page.locator("#f-answer-department").select_option("kendo")
    await page.get_by_label("回答の内容").fill("用地の確保が課題であり、引き続き検討する。")
    await coordinator.keep("requests-answer-form")
    await page.get_by_role("button", name="回答を記録する").click()
    await expect(page.get_by_role("status")).to_have_text("県の回答を記録しました")
    await expect(page.locator("#answer")).to_contain_text("困難")
    await expect(page.locator("#answer")).to_contain_text("令和9年2月5日")

    # the next year opened with the carry-over of the answered-as-difficult request
    await page.goto(f"{stack.console}/requests/2026/answers")
    await expect(page.locator("#answer-entries tbody tr").first).to_contain_text("困難")
    await expect(page.locator("#answer-summary")).to_contain_text("圏域全体")
    await coordinator.keep("requests-answers")
    await page.get_by_role("button", name="令和9年度を始めて引き継ぐ").click()
    await expect(page.locator("#f-items-error")).to_have_text("引き継ぐ要望を選んでください")
    await page.get_by_label(f"2026-001 {SIDEWALK}（平内町・困難）").check()
    await page.get_by_label("引き継ぐ理由").fill("用地確保の見通しを踏まえ継続して要望する")
    await page.get_by_role("button", name="令和9年度を始めて引き継ぐ").click()
    await expect(page.get_by_role("status")).to_have_text("次年度に引き継ぎました")
    await expect(page.get_by_role("heading", level=1)).to_have_text("重点要望 令和9年度")
    carried = page.locator("#request-items tbody tr")
    await expect(carried).to_have_count(1)
    await expect(carried.first).to_contain_text("前年度からの継続")
    await coordinator.keep("requests-next-year")
    await carried.first.get_by_role("link", name=SIDEWALK).click()
    await page.get_by_role("link", name="年度をまたいだ経緯を見る").click()
    lineage = page.locator("#lineage li")
    await expect(lineage).to_have_count(2)
    await expect(lineage.first).to_contain_text("令和8年度")
    await expect(lineage.first).to_contain_text("県の回答：困難（令和9年2月5日受領）")
    await expect(lineage.nth(1)).to_contain_text("令和9年度")
    await expect(lineage.nth(1)).to_contain_text("前年度の2026-001から継続")
    await expect(page.locator("#first-requested")).to_contain_text("令和8年度")
    await coordinator.keep("requests-lineage")

    # an auditor reads the year and its briefing, and is offered no change
    await stack.account("kansa", "auditor", "三上 監査")
    auditor = await person()
    await auditor.sign_in("kansa")
    await menu(auditor.page, "重点要望")
    await auditor.open("/requests?fiscal_year=2026")
    await expect(auditor.page.locator("#request-items tbody tr")).to_have_count(2)
    await expect(auditor.page.get_by_role("button", name="採択する")).to_have_count(0)
    await expect(auditor.page.get_by_role("link", name="新しい要望を作成する")).to_have_count(0)
    await auditor.open("/requests/2026/briefing")
    await expect(auditor.page.locator("#agenda-entries tbody tr")).to_have_count(2)
    await expect(auditor.page.locator("#agenda-form")).to_have_count(0)
    await expect(
        auditor.page.get_by_role("link", name="要望書（PDF）をダウンロード")
    ).to_be_visible()


async def hiranai_row_then_aomori(rows: Any) -> None:
    await expect(rows.first).to_contain_text(SIDEWALK)
    await expect(rows.nth(1)).to_contain_text(PORT)


async def download(page: Page, link: str) -> tuple[str, bytes]:
    async with page.expect_download() as downloading:
        await page.get_by_role("link", name=link).click()
    done = await downloading.value
    content = await asyncio.to_thread(Path(await done.path()).read_bytes)
    return done.suggested_filename, content
