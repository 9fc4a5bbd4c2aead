"""The coordinators' seminar screens in the browser, on the real seminar service: a seminar is
planned, given its venue (on the sizing advice), seats and budget, published; people register;
on the day the door checks them in on a phone, by typing and by the camera reading their QR
code; the seminar is marked held, an attendee opens their page from the mail that thanks them
(no account) and downloads their 修了証; the attendance is reported and downloaded."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.console.conftest import Screens, Stack, chromium_path
from tests.console.fake_camera import browser_with_camera, qr_video
from tests.seminar.conftest import open_seminar, register
from tests.seminar.conftest import person as registrant
from tests.seminar.test_registrations import check_in_everyone_and_hold
from tests.support.mailbox import text_of
from tests.support.pdf import pdf_text
from tosei_common.platform.clock import SettableClock, japan_moment

pytestmark = [pytest.mark.slow, pytest.mark.seminar]

#: The FY2027 seminar's day (令和9年10月17日, 13:30–16:30): the door opens before the start.
DOORS_OPEN = japan_moment("2027-10-17 13:00")
#: After the end: it may be marked held.
AFTERWARDS = japan_moment("2027-10-17 16:45")


async def test_a_coordinator_plans_publishes_checks_in_and_reports(
    stack: Stack, person: Any, clock: SettableClock, tmp_path: Any
) -> None:
    await stack.account("sato", "coordinator", "佐藤 明")
    sato = await person()
    await sato.sign_in("sato")
    page = sato.page
    await page.get_by_role("navigation", name="メニュー").get_by_role("link", name="研修会").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("研修会")

    # Planned: the only moves offered are the lifecycle's
    await page.get_by_label("年度").select_option(label="令和9年度")
    await page.get_by_label("研修会の名前").fill("地域で支える在宅医療 — 退院から看取りまで")
    await page.get_by_label("開催日").fill("2027-10-17")
    await page.get_by_label("開始").fill("13:30")
    await page.get_by_label("終了").fill("16:30")
    await sato.keep("seminars-plan")
    await page.get_by_role("button", name="企画する").click()
    await expect(page.locator("#seminar-state")).to_have_text("企画中")
    moves = page.locator(".moves button")
    await expect(moves).to_have_text(["開催決定にする（公開する）"])
    await page.get_by_role("button", name="開催決定にする（公開する）").click()
    await expect(page.get_by_role("alert")).to_contain_text("先に会場を決めてください")
    await sato.keep("seminars-schedule-refused")
    seminar_id = page.url.split("/seminars/")[1].split("/")[0].split("?")[0]

    await _add_a_speaker(sato)
    await _choose_the_venue_on_the_advice(sato)
    await _set_the_stream_and_a_viewing_site(sato)
    await _plan_the_budget(sato)
    await _override_the_rotation(sato)

    # Published and open
    await sato.open(f"/seminars/{seminar_id}")
    await page.get_by_role("button", name="開催決定にする（公開する）").click()
    await expect(page.locator("#seminar-state")).to_have_text("開催決定")
    await expect(moves).to_have_text(["申込受付を始める"])
    await page.get_by_role("button", name="申込受付を始める").click()
    await expect(page.locator("#seminar-state")).to_have_text("申込受付中")
    await expect(moves).to_have_text(["申込を締め切る"])
    await sato.keep("seminars-open")

    # People register (the public pages are another screen's: straight to the service here)
    references = await _people_register(stack, seminar_id)
    await sato.open(f"/seminars/{seminar_id}/registrations")
    waiting = page.locator("ol.waiting")
    await expect(waiting).to_contain_text("1番目　平内 花子2")
    await expect(page.locator("#registrations tbody tr")).to_have_count(5)
    await sato.keep("seminars-registrations")

    # The day: the door, on a phone (signed in on the day)
    clock.set(DOORS_OPEN)
    door = await person(phone=True)
    await door.sign_in("sato")
    await door.open(f"/seminars/{seminar_id}")
    await door.page.get_by_role("link", name="当日の受付").click()
    await expect(door.page.locator("#count-total")).to_contain_text("受付済み 0人")
    await door.keep("seminars-check-in-phone")
    # typed as people read it out: lower case, no hyphens
    typed = references["nurse"].replace("-", "").lower()
    await door.page.get_by_role("textbox", name="受付番号").fill(typed)
    await door.page.get_by_role("button", name="確認する").click()
    await expect(door.page.locator("#person")).to_contain_text("青森 太郎1")
    await expect(door.page.locator("#person-mode")).to_contain_text("会場参加")
    await door.keep("seminars-check-in-found")
    await door.page.get_by_role("button", name="受付する").click()
    await expect(door.page.locator("#checked")).to_contain_text("青森 太郎1さんを受付しました")
    await expect(door.page.locator("#count-venue")).to_contain_text("会場参加 1 ／ 2人")
    await door.keep("seminars-check-in-done")
    # someone on the wait list has no seat to check in to
    await door.page.get_by_role("textbox", name="受付番号").fill(references["waiting"])
    await door.page.get_by_role("button", name="確認する").click()
    await expect(door.page.locator("#person-status")).to_contain_text("キャンセル待ち 1番目")
    await expect(door.page.get_by_role("button", name="受付する")).to_have_count(0)
    await door.keep("seminars-check-in-waitlisted")
    await door.page.get_by_role("textbox", name="受付番号").fill("ABCD-EFGH-JKMN-PQRS")
    await door.page.get_by_role("button", name="確認する").click()
    await expect(door.page.locator("#lookup-error")).to_contain_text("見つかりません")

    # ... and the camera reads an online attendee's code from their phone
    video = qr_video(references["online"], tmp_path / "online-attendee.y4m")
    async with browser_with_camera(chromium_path(), video) as camera_browser:
        context = await camera_browser.new_context(
            locale="ja-JP", viewport={"width": 390, "height": 844}
        )
        scanner = Screens(await context.new_page(), stack.console)
        await scanner.sign_in("sato")
        await scanner.open(f"/seminars/{seminar_id}/check-in")
        await scanner.page.get_by_role("button", name="カメラでQRコードを読み取る").click()
        await expect(scanner.page.locator("#person")).to_contain_text("外ヶ浜 次郎")
        await expect(scanner.page.locator("#person-mode")).to_contain_text("オンライン")
        await scanner.keep("seminars-check-in-scanned")
        await scanner.page.get_by_role("button", name="受付する").click()
        await expect(scanner.page.locator("#count-online")).to_contain_text("オンライン 1 ／ 1人")
        # the camera starts again by itself for the next person (here: the same code again)
        await expect(scanner.page.locator("#person")).to_contain_text("受付済みです")
        await context.close()
    await door.page.get_by_role("textbox", name="受付番号").fill(references["physician"])
    await door.page.get_by_role("button", name="確認する").click()
    await door.page.get_by_role("button", name="受付する").click()
    await expect(door.page.locator("#count-total")).to_contain_text("受付済み 3人 ／ 参加確定 4人")

    # Afterwards: held, reported, downloaded
    clock.set(AFTERWARDS)
    await sato.sign_in("sato")  # the morning's session is long over
    await sato.open(f"/seminars/{seminar_id}")
    await page.get_by_role("button", name="申込を締め切る").click()
    await expect(moves).to_have_text(["申込受付を再開する", "開催済みにする"])
    await page.get_by_role("button", name="開催済みにする").click()
    await expect(page.locator("#seminar-state")).to_have_text("開催済み")
    await expect(page.locator(".moves")).to_have_count(0)
    await sato.keep("seminars-held")

    # An attendee, at home on their phone: no account, just their page from the mail
    await _an_attendee_answers_and_downloads_the_certificate(
        stack,
        await person(phone=True),
        references["nurse"],
        "青森 太郎1",
        "taro1@hospital.example.jp",
    )

    await (
        page.get_by_role("navigation", name="この研修会の画面")
        .get_by_role("link", name="出席の報告")
        .click()
    )
    await expect(page.locator("#attended")).to_have_text("3人")
    await expect(page.locator("#registered")).to_have_text("4人")
    await expect(page.locator("#chart-by-role-desc")).to_contain_text("看護師 1人")
    await expect(page.locator("#chart-by-municipality-desc")).to_contain_text("青森市 2人")
    await expect(page.locator("#table-by-mode")).to_contain_text("サテライト会場")
    await sato.keep("seminars-report")
    rows = await _downloaded_csv(page, "参加者名簿（CSV）")
    assert rows[0][:3] == ["受付番号", "氏名", "ふりがな"]
    came = {row[1]: row[10] for row in rows[1:]}
    assert came["青森 太郎1"] == "はい"
    assert came["平内 花子1"] == "いいえ"
    assert len(rows) == 1 + 5  # the seated and the waiting, never the cancelled

    # a missed check-in is corrected, with the reason
    await sato.open(f"/seminars/{seminar_id}/registrations")
    await page.get_by_label("受付番号").fill(references["site"])
    await page.get_by_label("出席していた（受付の記録漏れ）").check()
    await page.get_by_label("訂正の理由").fill("サテライト会場の署名簿で出席を確認")
    await page.get_by_role("button", name="訂正する").click()
    await expect(page.get_by_role("status").first).to_contain_text("出席を訂正しました")
    await sato.keep("seminars-attendance-corrected")
    report = await stack.api("seminar", f"/seminars/{seminar_id}/attendance")
    assert report["attended"] == 4


async def _add_a_speaker(sato: Screens) -> None:
    page = sato.page
    await page.get_by_text("講師を追加する").click()
    await page.get_by_label("氏名").fill("佐藤 良子")
    await page.get_by_label("所属").fill("医療法人 在宅ケアクリニック")
    await page.get_by_label("職種").fill("在宅医")
    await page.get_by_label("演題").fill("住み慣れた家で最期まで — 在宅医療の現場から")
    await page.get_by_label("謝金（円）").fill("100,000")
    await page.get_by_label("基調講演").check()
    await page.get_by_role("button", name="追加する").click()
    await expect(page.locator("#speakers")).to_contain_text("佐藤 良子")
    await expect(page.locator("#speakers")).to_contain_text("100,000円")
    await expect(page.locator("#speakers")).to_contain_text("住み慣れた家で最期まで")


async def _an_attendee_answers_and_downloads_the_certificate(
    stack: Stack, attendee: Screens, reference: str, name: str, address: str
) -> None:
    """The mail after the day links to the attendee's page, which offers the feedback form and
    their 修了証 (a PDF with their name), in a browser that never signed in."""
    assert stack.mailbox is not None
    mails = await stack.mailbox.wait_for(2, to=address)  # the registration's, then the thanks
    thanks = mails[-1]
    assert "アンケートのお願い" in thanks["Subject"]
    link = f"{stack.console}/seminar/my/{reference}"
    assert link in text_of(thanks)
    page = attendee.page
    await page.goto(link)
    await expect(page.get_by_role("heading", name="アンケート")).to_be_visible()
    await expect(page.get_by_role("button", name="回答を送る")).to_be_visible()
    await expect(page.get_by_role("heading", name="修了証")).to_be_visible()
    await attendee.keep("seminars-attendee-after")
    async with page.expect_download() as downloading:
        await page.get_by_role("link", name="修了証（PDF）をダウンロード").click()
    download = await downloading.value
    assert download.suggested_filename == f"修了証_{reference}.pdf"
    pdf = (await download.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    text, pages = pdf_text(pdf)
    assert pages == 1
    assert "修\u3000了\u3000証" in text
    assert f"{name}\u3000殿" in text
    assert "修了したことを証します" in text


async def _choose_the_venue_on_the_advice(sato: Screens) -> None:
    page = sato.page
    await page.get_by_role("link", name="会場と席").click()
    for name, seats, fee in (
        ("青森市民ホール 大会議室", "120", "45,000"),
        ("リンクステーションホール青森", "400", "180000"),
    ):
        await page.get_by_text("候補会場を追加する").click()
        await page.get_by_label("会場の名前").first.fill(name)
        await page.locator("#f-venue-municipality").select_option(label="青森市")
        await page.get_by_label("席の数").first.fill(seats)
        await page.get_by_label("使用料（円）").fill(fee)
        await page.get_by_role("button", name="候補に加える").click()
        await expect(page.locator("#candidates")).to_contain_text(name)
    # no registrations and no seminar last year: the advice asks for the expected turnout
    await expect(page.locator("#sizing-refused")).to_contain_text("見込み参加者数")
    await page.get_by_label("会場参加の見込み人数").fill("100")
    await page.get_by_role("button", name="見積もる").click()
    await expect(page.locator("#recommendation-reason")).to_contain_text(
        "来場見込み90人、余裕10%を見て99席が必要です"
    )
    await expect(page.locator("#recommended")).to_have_text("青森市民ホール 大会議室")
    await sato.keep("seminars-venue-recommendation")
    await page.get_by_role("button", name=re.compile("推奨の会場.*を主会場にする")).click()
    await expect(page.locator("#candidates tr.chosen")).to_contain_text("青森市民ホール 大会議室")
    await expect(page.locator("#place-venue")).to_contain_text("120")


async def _set_the_stream_and_a_viewing_site(sato: Screens) -> None:
    page = sato.page
    await page.get_by_label("配信のURL").fill("https://stream.example.jp/tosei-zaitaku-2027")
    await page.get_by_label("オンラインの席（接続数）").fill("1")
    await page.get_by_role("button", name="配信を設定する").click()
    await expect(page.locator("#stream-url")).to_have_text(
        "https://stream.example.jp/tosei-zaitaku-2027"
    )
    await page.get_by_text("サテライト会場を追加する").click()
    site = page.locator("form[action$='/actions/site']")
    await site.get_by_label("会場の名前").fill("平内町中央公民館 研修室")
    await site.get_by_label("市町村").select_option(label="平内町")
    await site.get_by_label("席の数").fill("0")
    await site.get_by_role("button", name="追加する").click()
    # refused by the service, named next to the field, what was typed kept
    await expect(page.locator("#f-site-capacity-error")).to_be_visible()
    await expect(page.locator("#f-site-name")).to_have_value("平内町中央公民館 研修室")
    await sato.keep("seminars-site-refused")
    await page.locator("#f-site-capacity").fill("1")
    await page.locator("form[action$='/actions/site']").get_by_role("button").click()
    await expect(page.locator("#sites")).to_contain_text("平内町中央公民館 研修室")
    await expect(page.locator("#places")).to_contain_text("オンライン")
    await sato.keep("seminars-venues")


async def _plan_the_budget(sato: Screens) -> None:
    page = sato.page
    await page.get_by_role("link", name="予算").click()
    for category, item, planned in (
        ("会場使用料", "会場使用料（青森市民ホール）", "45,000"),
        ("講師謝金", "基調講演 謝金", "80,000"),
    ):
        await page.get_by_label("区分").select_option(label=category)
        await page.get_by_label("項目").fill(item)
        await page.get_by_label("予定（円）").fill(planned)
        await page.get_by_role("button", name="追加する").click()
        await expect(page.locator("#budget-lines")).to_contain_text(item)
    await expect(page.locator("#budget-warnings")).to_contain_text(
        "講師謝金の予算80,000円が講師謝金の合計100,000円に足りません"
    )
    await expect(page.locator("#planned-total")).to_have_text("125,000円")
    # the hall's bill arrives: the actual amount
    hall = page.locator("#budget-lines tr", has_text="会場使用料（青森市民ホール）")
    await hall.get_by_label("実績").fill("44,200")
    await hall.get_by_role("button", name=re.compile("^変更")).click()
    await expect(page.locator("#actual-total")).to_have_text("44,200円")
    await sato.keep("seminars-budget")


async def _override_the_rotation(sato: Screens) -> None:
    page = sato.page
    await sato.open("/seminars/rotation")
    year = page.locator("#year-2028")
    await expect(year).to_contain_text("平内町")
    await year.get_by_text("開催市町村を変更").click()
    await year.get_by_label("開催する市町村").select_option(label="外ヶ浜町")
    await year.get_by_role("button", name="変更する").click()
    await expect(page.get_by_role("alert")).to_be_visible()  # the reason is required
    await expect(page.locator("#year-2028 [aria-invalid=true]")).to_have_count(1)
    await (
        page.locator("#year-2028")
        .get_by_label("変更の理由")
        .fill("平内町は新庁舎移転の年で会場を確保できない")
    )
    await page.locator("#year-2028").get_by_role("button", name="変更する").click()
    await expect(page.locator("#year-2028")).to_contain_text("外ヶ浜町")
    await expect(page.locator("#year-2028")).to_contain_text("新庁舎移転")
    await sato.keep("seminars-rotation")
    await (
        page.locator("#year-2028")
        .get_by_role("button", name=re.compile("輪番どおりに戻す"))
        .click()
    )
    await expect(page.get_by_role("status")).to_contain_text("輪番どおりに戻しました")
    await expect(page.locator("#year-2028 td").first).to_have_text("平内町")


async def _people_register(stack: Stack, seminar_id: str) -> dict[str, str]:
    """Two at the hall, one online from 外ヶ浜町, the viewing site's one seat and its wait list."""
    people = {
        "nurse": registrant(1),
        "physician": registrant(2, role="physician"),
        "online": registrant(
            3, name="外ヶ浜 次郎", municipality="外ヶ浜町", role="care_manager", mode="online"
        ),
        "site": registrant(
            4, name="平内 花子1", municipality="平内町", role="visiting_nurse", mode="viewing_site"
        ),
        "waiting": registrant(
            5, name="平内 花子2", municipality="平内町", role="visiting_nurse", mode="viewing_site"
        ),
    }
    references = {}
    async with httpx.AsyncClient(base_url=stack.seminar or "") as http:
        for key, body in people.items():
            response = await http.post(f"/seminars/{seminar_id}/registrations", json=body)
            assert response.status_code == 201, response.text
            references[key] = response.json()["reference"]
    return references


async def _downloaded_csv(page: Page, link: str) -> list[list[str]]:
    async with page.expect_download() as event:
        await page.get_by_role("link", name=link).click()
    download = await event.value
    data = (await download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel reads it as such
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


async def test_auditors_read_without_forms_and_officers_read_the_figures_only(
    stack: Stack, person: Any, clock: SettableClock
) -> None:
    async with httpx.AsyncClient(base_url=stack.seminar or "") as http:
        seminar = await open_seminar(http)
        references = [
            (await register(http, seminar, registrant(n)))["reference"] for n in range(1, 4)
        ]
        hiranai = registrant(9, municipality="平内町", mode="viewing_site", role="visiting_nurse")
        references.append((await register(http, seminar, hiranai))["reference"])
        await check_in_everyone_and_hold(http, seminar, references, clock)
    await stack.account("kansa", "auditor", "監査 一郎")
    await stack.account("hiranai", "municipality", "平内 町子", municipality="平内町")

    auditor = await person()
    await auditor.sign_in("kansa")
    await auditor.page.get_by_role("link", name="研修会").first.click()
    await auditor.page.get_by_role("link", name="地域で支える在宅医療").click()
    await expect(auditor.page.locator("#seminar-state")).to_have_text("開催済み")
    tabs = auditor.page.get_by_role("navigation", name="この研修会の画面").get_by_role("link")
    await expect(tabs).to_have_text(["概要", "会場と席", "予算", "申込者", "出席の報告"])
    await expect(auditor.page.locator("main form")).to_have_count(0)
    await tabs.get_by_text("申込者").click()
    await expect(auditor.page.locator("#registrations tbody tr")).to_have_count(4)
    await expect(auditor.page.locator("main form[method=post]")).to_have_count(0)
    await auditor.keep("seminars-auditor-registrations")

    officer = await person()
    await officer.sign_in("hiranai")
    menu = officer.page.get_by_role("navigation", name="メニュー").get_by_role("link")
    # the plan's and the requests' screens are an officer's too (their own town's items)
    await expect(menu).to_have_text(["実績", "研修会", "国土強靱化計画", "重点要望"])
    await menu.get_by_text("研修会").click()
    await officer.page.get_by_role("link", name="地域で支える在宅医療").click()
    tabs = officer.page.get_by_role("navigation", name="この研修会の画面").get_by_role("link")
    await expect(tabs).to_have_text(["概要", "出席の報告"])
    await tabs.nth(1).click()
    await expect(officer.page.locator("#small-cells-note")).to_contain_text("秘匿")
    hiranai_row = officer.page.locator("#table-by-municipality tr", has_text="平内町")
    await expect(hiranai_row.locator("td").nth(1)).to_have_text("―")
    await expect(officer.page.locator("#attendees-csv")).to_have_count(0)
    await officer.keep("seminars-report-officer")
    # the names are not theirs to read, whatever the address
    await officer.open(f"/seminars/{seminar.id}/registrations")
    await expect(officer.page.get_by_role("heading", level=1)).to_have_text("この操作はできません")
