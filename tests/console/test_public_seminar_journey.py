"""The seminar's public pages in a real browser, without an account: a resident registers online
and sees 参加確定 with the QR code of the reference; the 11th person for a 10-seat viewing site
is 11th on nothing but the wait list (キャンセル待ち 1番目) until one of the ten cancels; a second
registration of the same person is told kindly; the mails arrive (the registration's, with the
reference and its QR code; the promotion's, whose link opens the page that says 参加確定); after
the day an attendee downloads the 修了証 and answers the feedback form."""

from __future__ import annotations

import asyncio
import re
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from tests.console.conftest import Screens, Stack
from tests.seminar.conftest import COORDINATOR, ON_THE_DAY, Seminar, ok, open_seminar
from tests.seminar.conftest import person as registrant
from tests.support.mailbox import inline_images, text_of
from tosei_common.platform.clock import SettableClock, japan_moment
from tosei_common.platform.qr import qr_svg

pytestmark = [
    pytest.mark.slow,
    pytest.mark.seminar,
    # Each person's browser comes from its own address, as through the console's proxy.
    pytest.mark.console_settings(console_client_address_header="X-Client-Address"),
]
HEADER = "X-Client-Address"

TITLE = "地域で支える在宅医療 — 退院から看取りまで"


async def from_address(screens: Screens, address: str) -> Screens:
    await screens.page.context.set_extra_http_headers({HEADER: address})
    return screens


async def set_up(stack: Stack) -> Seminar:
    """FY2027's seminar, open for registration, with a 10-seat viewing site in 平内町 and a
    keynote, set up through the seminar's API as a coordinator."""
    assert stack.seminar is not None
    async with httpx.AsyncClient(base_url=stack.seminar) as http:
        seminar = await open_seminar(http, site_seats=10)
        keynote = {
            "name": "佐藤 良子",
            "affiliation": "医療法人 在宅ケアクリニック",
            "profession": "在宅医",
            "keynote": True,
            "fee": 100000,
            "talk_title": "住み慣れた家で最期まで — 在宅医療の現場から",
        }
        ok(
            await http.post(f"/seminars/{seminar.id}/speakers", json=keynote, headers=COORDINATOR),
            201,
        )
    return seminar


async def registered_directly(stack: Stack, seminar: Seminar, body: dict[str, Any]) -> str:
    """Someone registered without the console (as over the phone to the service itself)."""
    assert stack.seminar is not None
    async with httpx.AsyncClient(base_url=stack.seminar) as http:
        done = ok(await http.post(f"/seminars/{seminar.id}/registrations", json=body), 201)
    reference: str = done["reference"]
    return reference


async def fill_registration(page: Page, town: str, *, name: str, email: str) -> None:
    await page.get_by_label("お住まい・お勤めの市町村").select_option(town)
    await expect(page.locator("#modes fieldset")).to_be_visible()
    await page.get_by_label("氏名").fill(name)
    await page.get_by_label("ふりがな").fill("みかみ はるか")
    await page.get_by_label("職種").select_option(label="介護支援専門員")
    await page.get_by_label("メールアドレス").fill(email)


async def test_a_resident_registers_online_and_an_eleventh_waits_until_someone_cancels(
    stack: Stack, person: Any, browser: Browser, clock: SettableClock
) -> None:
    resident = await from_address(await person(phone=True), "203.0.113.10")
    page = resident.page
    await resident.open("/seminar")
    await expect(page.get_by_role("status")).to_contain_text("まだ公開されていません")
    await resident.keep("seminar-none")

    seminar = await set_up(stack)
    await resident.open("/seminar")
    await expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    facts = page.locator("dl.facts")
    for said in (
        "令和9年10月17日（日） 13:30〜16:30",
        "青森市",
        "佐藤 良子（医療法人 在宅ケアクリニック・在宅医）",
        "演題「住み慣れた家で最期まで — 在宅医療の現場から」",
        "青森市民ホール 大会議室（青森市）",
        "平内町中央公民館 研修室（平内町）",
        "残り10席",
        "あり（どこからでも視聴できます",
    ):
        await expect(facts).to_contain_text(said)
    await resident.keep("seminar")

    # without JavaScript the town's own button shows its ways to attend (a plain GET)
    plain = await browser.new_context(
        locale="ja-JP", java_script_enabled=False, extra_http_headers={HEADER: "203.0.113.9"}
    )
    try:
        no_js = await plain.new_page()
        await no_js.goto(f"{stack.console}/seminar/{seminar.id}/register")
        await no_js.get_by_label("お住まい・お勤めの市町村").select_option("平内町")
        await no_js.get_by_role("button", name="この市町村の参加方法を表示する").click()
        assert "municipality=" in no_js.url
        names = await no_js.locator(".mode-choice .mode-name").all_inner_texts()
        assert names == [
            "サテライト会場：平内町中央公民館 研修室",
            "オンライン",
            "会場参加：青森市民ホール 大会議室",
        ]
    finally:
        await plain.close()

    # the form: the town first; its ways to attend come in the service's order, with seats
    await page.get_by_role("link", name="参加を申し込む").click()
    await page.get_by_label("お住まい・お勤めの市町村").select_option("外ヶ浜町")
    modes = page.get_by_role("radio")
    await expect(modes).to_have_count(2)  # 外ヶ浜町 has no viewing site: online, then the venue
    labels = await page.locator(".mode-choice .mode-name").all_inner_texts()
    assert labels == ["オンライン", "会場参加：青森市民ホール 大会議室"]
    await expect(page.locator(".mode-choice").first).to_contain_text("残り300席")
    await page.get_by_label("所属").fill("外ヶ浜町地域包括支援センター")
    await page.get_by_role("radio", name=re.compile("^オンライン")).check()
    await page.get_by_role("button", name="申し込む").click()
    # nothing but the town, the mode and the organisation: each missing field is named
    await expect(page.get_by_role("alert")).to_contain_text("入力の内容をご確認ください")
    await expect(page.locator("#f-name-error")).to_be_visible()
    await expect(page.locator("#f-role-error")).to_be_visible()
    await expect(page.get_by_label("所属")).to_have_value("外ヶ浜町地域包括支援センター")
    await expect(page.get_by_role("radio", name=re.compile("^オンライン"))).to_be_checked()
    await resident.keep("seminar-register-refused")

    await fill_registration(page, "外ヶ浜町", name="三上 春香", email="haruka@example.jp")
    await page.get_by_role("radio", name=re.compile("^オンライン")).check()
    await resident.keep("seminar-register")
    await page.get_by_role("button", name="申し込む").click()
    await expect(page.locator("#status")).to_have_text("参加確定")
    reference = (await page.locator("#reference").inner_text()).strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", reference)
    qr = page.get_by_role("img", name=f"受付番号 {reference} のQRコード")
    await expect(qr).to_be_visible()
    # the code on the page is the reference's: the one the door's scanner reads
    shown = await qr.evaluate("svg => svg.outerHTML")
    expected = qr_svg(reference, title=f"受付番号 {reference} のQRコード")
    assert _path_of(shown) == _path_of(expected)
    await resident.keep("seminar-registered")

    await page.get_by_role("link", name="わたしの申込を見る").click()
    await expect(page.locator("#status")).to_have_text("参加確定")
    stream = page.get_by_role("link", name=re.compile("配信を見る"))
    await expect(stream).to_have_attribute("href", "https://stream.example.jp/tosei-zaitaku")
    await resident.keep("seminar-my-online")

    # ... and her mail came: the reference, the link to her page, the QR code to show
    assert stack.mailbox is not None
    (welcome,) = await stack.mailbox.wait_for(1, to="haruka@example.jp")
    assert "参加確定" in welcome["Subject"]
    welcome_text = text_of(welcome)
    assert f"受付番号: {reference}" in welcome_text
    assert f"{stack.console}/seminar/my/{reference}" in welcome_text
    (qr_part,) = inline_images(welcome)
    assert qr_part.get_content_type() == "image/png"
    assert qr_part.get_content().startswith(b"\x89PNG")

    # the same person again (the same name and e-mail): told kindly, with their typing kept
    await resident.open(f"/seminar/{seminar.id}/register")
    await fill_registration(page, "外ヶ浜町", name="三上 春香", email="HARUKA@example.jp")
    await page.get_by_role("radio", name=re.compile("^会場参加")).check()
    await page.get_by_role("button", name="申し込む").click()
    duplicate = page.locator("#duplicate")
    await expect(duplicate).to_contain_text("すでにお申し込みいただいています")
    await expect(duplicate).to_contain_text("三上 春香様はこの研修会にすでに申し込まれています")
    await expect(page.get_by_label("氏名")).to_have_value("三上 春香")
    await resident.keep("seminar-duplicate")

    # ten people of 平内町 take the ten seats of its viewing site; the 11th waits
    hiranai = {"municipality": "平内町", "mode": "viewing_site"}
    tenth = [
        await registered_directly(stack, seminar, registrant(n, **hiranai)) for n in range(1, 11)
    ]
    eleventh = await from_address(await person(phone=True), "203.0.113.11")
    page = eleventh.page
    await eleventh.open(f"/seminar/{seminar.id}/register")
    await fill_registration(page, "平内町", name="小野寺 茂", email="shigeru@example.jp")
    site = page.locator(".mode-choice").first
    await expect(site).to_contain_text("サテライト会場：平内町中央公民館 研修室")
    await expect(site).to_contain_text("満席です（申し込むとキャンセル待ち1番目になります）")
    await page.get_by_role("radio", name=re.compile("^サテライト会場")).check()
    await eleventh.keep("seminar-register-full")
    await page.get_by_role("button", name="申し込む").click()
    await expect(page.locator("#status")).to_have_text("キャンセル待ち 1番目")
    await eleventh.keep("seminar-registered-waitlisted")
    await page.get_by_role("link", name="わたしの申込を見る").click()
    await expect(page.locator("#status")).to_have_text("キャンセル待ち 1番目")
    waiting_page = page.url
    await eleventh.keep("seminar-my-waitlisted")

    # one of the ten cancels, typing the reference as people do (lower case, no hyphens)
    first = await from_address(await person(phone=True), "203.0.113.12")
    await first.open("/seminar/my")
    await first.page.get_by_label("受付番号").fill(tenth[0].replace("-", "").lower())
    await first.keep("seminar-my-lookup")
    await first.page.get_by_role("button", name="申込を確認する").click()
    await expect(first.page.locator("#status")).to_have_text("参加確定")
    assert first.page.url.endswith(f"/seminar/my/{tenth[0]}")
    await first.page.get_by_role("link", name="申込を取り消す").click()
    await expect(first.page.get_by_role("alert")).to_contain_text("この申込を取り消しますか")
    await first.keep("seminar-cancel-confirm")
    await first.page.get_by_role("button", name="取り消す").click()
    await expect(first.page.get_by_role("status")).to_contain_text("申込を取り消しました")
    await expect(first.page.locator("#status")).to_have_text("キャンセル済み")
    await expect(first.page.get_by_role("link", name="申込を取り消す")).to_have_count(0)
    await first.keep("seminar-cancelled")

    await page.goto(waiting_page)
    await expect(page.locator("#status")).to_have_text("参加確定")
    await eleventh.keep("seminar-my-promoted")

    # ... and a mail told him so, with the link to his page, which says the same
    promoted = await _promotion_mail(stack, "shigeru@example.jp")
    link = f"{stack.console}/seminar/my/{waiting_page.rsplit('/', 1)[-1]}"
    assert link in text_of(promoted)
    from_mail = await person(phone=True)
    await from_mail.page.goto(link)
    await expect(from_mail.page.locator("#status")).to_have_text("参加確定")

    # the day: the resident watches online and is checked in; the seminar is held
    await _held(stack, seminar, [reference], clock)
    page = resident.page
    await resident.open(f"/seminar/my/{reference}")
    await expect(page.get_by_role("heading", name="修了証")).to_be_visible()
    await expect(page.get_by_role("heading", name="アンケート")).to_be_visible()
    await resident.keep("seminar-my-after")
    async with page.expect_download() as downloading:
        await page.get_by_role("link", name="修了証（PDF）をダウンロード").click()
    download = await downloading.value
    assert download.suggested_filename == f"修了証_{reference}.pdf"
    pdf = await asyncio.to_thread(Path(await download.path()).read_bytes)
    assert pdf.startswith(b"%PDF-")

    await page.get_by_role("button", name="回答を送る").click()
    await expect(page.locator("#f-satisfaction-error")).to_be_visible()
    await resident.keep("seminar-feedback-refused")
    await page.get_by_role("group", name="研修会の満足度").get_by_label("5（満足）").check()
    useful = page.get_by_role("group", name="お仕事や暮らしに役立ちそうですか")
    await useful.get_by_label("4", exact=True).check()
    await page.get_by_label("ご意見・ご感想").fill("退院前カンファレンスの事例が参考になりました")
    await page.get_by_role("button", name="回答を送る").click()
    await expect(page.get_by_role("status")).to_contain_text("ご回答ありがとうございました")
    await expect(page.get_by_role("button", name="回答を送る")).to_have_count(0)
    await resident.keep("seminar-feedback-done")
    feedback = await stack.api("seminar", f"/seminars/{seminar.id}/feedback")
    assert feedback["responses"] == 1


async def _promotion_mail(stack: Stack, address: str) -> EmailMessage:
    """The mail that told ``address`` the wait list gave them a seat (after the first)."""
    assert stack.mailbox is not None
    mails = await stack.mailbox.wait_for(2, to=address)
    assert "キャンセル待ち" in mails[0]["Subject"]
    promoted = mails[1]
    assert "参加確定" in promoted["Subject"]
    assert "申込の状態: 参加確定" in text_of(promoted)
    return promoted


def _path_of(svg: str) -> str:
    found = re.search(r' d="([^"]+)"', svg)
    assert found, svg[:200]
    return found.group(1)


async def _held(
    stack: Stack, seminar: Seminar, references: list[str], clock: SettableClock
) -> None:
    """The seminar's day: those who came are checked in; it is held; three days pass."""
    assert stack.seminar is not None
    clock.set(ON_THE_DAY)
    async with httpx.AsyncClient(base_url=stack.seminar, headers=COORDINATOR) as http:
        for reference in references:
            ok(await http.post(f"/seminars/{seminar.id}/check-ins", json={"reference": reference}))
        for state in ("registration_closed", "held"):
            ok(await http.post(f"/seminars/{seminar.id}/state", json={"state": state}))
    clock.set(japan_moment("2027-10-20 10:00"))
