"""What registrants are told by mail, composed without any I/O: the words, the dates in the
era, the link to their own page, the QR code, and who is told nothing."""

from __future__ import annotations

import uuid
from dataclasses import replace
from email.message import EmailMessage

import segno

from tosei_common.catalogue.seminar import AttendanceMode, AttendeeRole
from tosei_common.platform.clock import japan_moment
from tosei_common.platform.mail_message import Mail, render_message, retry_at
from tosei_seminar.domain import notices
from tosei_seminar.domain.notices import Letterhead
from tosei_seminar.domain.places import Place
from tosei_seminar.domain.registration import Registration, RegistrationStatus
from tosei_seminar.domain.seminar import Seminar, SeminarState

HEAD = Letterhead("https://console.tosei.example.jp/", "研修会 事務局 <seminar@tosei.example.jp>")
AT = japan_moment("2027-08-01 10:00")
VENUE = Place(uuid.uuid4(), AttendanceMode.VENUE, "青森市民ホール 大会議室", "022012", 10, 0, 0)
ONLINE = Place(uuid.uuid4(), AttendanceMode.ONLINE, "オンライン配信", None, 300, 0, 0)
PLACES = (VENUE, ONLINE)

SEMINAR = Seminar(
    id=uuid.uuid4(),
    fiscal_year=2027,
    title="地域で支える在宅医療",
    host_municipality="022012",
    state=SeminarState.REGISTRATION_OPEN,
    starts_at=japan_moment("2027-10-17 13:30"),
    ends_at=japan_moment("2027-10-17 16:30"),
    stream_url="https://stream.example.jp/x",
    chosen_venue_id=None,
    cancel_reason=None,
    created_by="c",
    created_at=AT,
    updated_by="c",
    updated_at=AT,
    announced_at=AT,
)


def registrant(
    *,
    email: str | None = "hanako@hospital.example.jp",
    status: RegistrationStatus = RegistrationStatus.ACCEPTED,
    mode: AttendanceMode = AttendanceMode.VENUE,
) -> Registration:
    return Registration(
        id=uuid.uuid4(),
        seq=1,
        reference="7KQ2-M9XD-4TPA-R3WB",
        seminar_id=SEMINAR.id,
        place_id=VENUE.place_id if mode is AttendanceMode.VENUE else ONLINE.place_id,
        mode=mode,
        name="青森 花子",
        name_kana="あおもり はなこ",
        organisation="青森市民病院",
        role=AttendeeRole.NURSE,
        municipality="022012",
        email=email,
        phone="017-734-2171",
        status=status,
        registered_at=AT,
        accepted_at=AT,
        promoted_at=None,
        cancelled_at=None,
        checked_in_at=None,
    )


def test_the_registration_mail_has_the_reference_status_date_in_the_era_and_the_link() -> None:
    mail = notices.registered(SEMINAR, registrant(), PLACES, None, HEAD)
    assert mail is not None
    assert mail.to == "hanako@hospital.example.jp"
    assert mail.kind == "registration.registered"
    assert "参加申込を受け付けました（参加確定）" in mail.subject
    assert "7KQ2" not in mail.subject  # the reference is a credential: not on lock screens
    assert mail.text.startswith("青森 花子 様\n")
    assert "令和9年度 在宅医療合同研修会「地域で支える在宅医療」" in mail.text
    assert "日時: 令和9年10月17日（日）13:30〜16:30" in mail.text
    assert "受付番号: 7KQ2-M9XD-4TPA-R3WB" in mail.text
    assert "申込の状態: 参加確定" in mail.text
    assert "参加の方法: 会場参加（青森市民ホール 大会議室）" in mail.text
    assert "https://console.tosei.example.jp/seminar/my/7KQ2-M9XD-4TPA-R3WB" in mail.text
    assert "取消し" in mail.text


def test_the_registration_mail_carries_the_qr_code_of_the_reference_inline_in_its_html() -> None:
    mail = notices.registered(SEMINAR, registrant(), PLACES, None, HEAD)
    assert mail is not None
    assert mail.html is not None
    (image,) = mail.images
    assert image.png.startswith(b"\x89PNG")
    assert image.png == segno_png("7KQ2-M9XD-4TPA-R3WB")
    assert f'src="cid:{image.cid}"' in mail.html
    assert image.cid.endswith("@tosei.example.jp")
    assert 'alt="受付番号 7KQ2-M9XD-4TPA-R3WB のQRコード"' in mail.html


def segno_png(text: str) -> bytes:
    from tosei_common.platform.qr import qr_png

    assert segno.make(text, error="m", micro=False).designator in ("1-M", "2-M", "3-M")
    return qr_png(text)


def test_a_waitlisted_registrant_is_told_their_place_in_the_line() -> None:
    waiting = registrant(status=RegistrationStatus.WAITLISTED)
    mail = notices.registered(SEMINAR, waiting, PLACES, 3, HEAD)
    assert mail is not None
    assert "（キャンセル待ち）" in mail.subject
    assert "申込の状態: キャンセル待ち 3番目" in mail.text
    assert "キャンセル待ち3番目で登録しました" in mail.text
    assert "QRコードをお見せ" not in mail.text  # no seat yet: nothing to show at the door


def test_a_registrant_with_a_phone_only_gets_no_mail() -> None:
    phone_only = registrant(email=None)
    assert notices.registered(SEMINAR, phone_only, PLACES, None, HEAD) is None
    assert notices.called_off(SEMINAR, [phone_only], PLACES, HEAD) == []


def test_names_typed_with_markup_are_text_in_the_html() -> None:
    odd = replace(registrant(), name="<b>青森</b> & 花子")
    mail = notices.registered(SEMINAR, odd, PLACES, None, HEAD)
    assert mail is not None
    assert mail.html is not None
    assert "&lt;b&gt;青森&lt;/b&gt; &amp; 花子 様" in mail.html
    assert "<b>青森</b> & 花子 様" in mail.text  # the text part as typed


def test_a_promotion_says_the_seat_is_theirs_now() -> None:
    mail = notices.promoted(SEMINAR, registrant(), PLACES, HEAD)
    assert mail is not None
    assert mail.kind == "registration.promoted"
    assert "キャンセル待ちから参加確定になりました" in mail.subject
    assert "申込の状態: 参加確定" in mail.text
    assert len(mail.images) == 1


def test_a_reschedule_gives_the_old_and_the_new_date() -> None:
    after = replace(
        SEMINAR,
        starts_at=japan_moment("2027-11-07 10:00"),
        ends_at=japan_moment("2027-11-07 12:00"),
    )
    waiting = replace(registrant(), status=RegistrationStatus.WAITLISTED, email="w@example.jp")
    mails = notices.rescheduled(SEMINAR, after, [registrant(), waiting], PLACES, HEAD)
    assert [m.to for m in mails] == ["hanako@hospital.example.jp", "w@example.jp"]
    text = mails[0].text
    assert "変更前の日時: 令和9年10月17日（日）13:30〜16:30" in text
    assert "日時: 令和9年11月7日（日）10:00〜12:00" in text
    assert "申込の状態: キャンセル待ち" in mails[1].text


def test_a_cancelled_seminar_is_told_with_its_reason() -> None:
    off = replace(SEMINAR, state=SeminarState.CANCELLED, cancel_reason="台風の接近のため")
    (mail,) = notices.called_off(off, [registrant()], PLACES, HEAD)
    assert "研修会は中止になりました" in mail.subject
    assert "中止の理由: 台風の接近のため" in mail.text
    assert "申込の状態: 中止" in mail.text


def test_after_the_day_attendees_are_asked_for_feedback_on_their_page() -> None:
    came = replace(registrant(), checked_in_at=japan_moment("2027-10-17 13:10"))
    (mail,) = notices.feedback_invitation(SEMINAR, [came], PLACES, HEAD)
    assert mail.kind == "seminar.feedback"
    assert "アンケート" in mail.subject
    assert "修了証" in mail.text
    assert "https://console.tosei.example.jp/seminar/my/7KQ2-M9XD-4TPA-R3WB" in mail.text


def test_online_attendees_are_pointed_to_their_page_for_the_stream() -> None:
    online = registrant(mode=AttendanceMode.ONLINE)
    mail = notices.registered(SEMINAR, online, PLACES, None, HEAD)
    assert mail is not None
    assert "参加の方法: オンライン（視聴のURLは申込のページでお知らせします）" in mail.text


# the MIME message (tosei_common.platform.mail_message) ----------------------------------------


def test_the_message_is_text_with_an_html_alternative_relating_the_qr_image() -> None:
    mail = notices.registered(SEMINAR, registrant(), PLACES, None, HEAD)
    assert isinstance(mail, Mail)
    message_id = uuid.uuid4()
    message = render_message(mail, sender=HEAD.sender, message_id=message_id, date=AT)
    assert message.get_content_type() == "multipart/alternative"
    plain, related = parts(message)
    assert plain.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html, image = parts(related)
    assert html.get_content_type() == "text/html"
    assert image.get_content_type() == "image/png"
    assert image["Content-ID"] == f"<{mail.images[0].cid}>"
    assert message["Message-ID"] == f"<{message_id}@tosei.example.jp>"
    assert "青森 花子 様" in plain.get_content()
    assert message["Subject"] == mail.subject  # decoded back from its RFC 2047 form
    assert message.as_bytes().isascii()  # 7-bit safe: any SMTP server takes it


def parts(message: EmailMessage) -> list[EmailMessage]:
    found = message.get_payload()
    assert isinstance(found, list)
    return [p for p in found if isinstance(p, EmailMessage)]


def test_a_mail_without_html_is_a_single_text_part() -> None:
    mail = Mail(to="a@example.jp", subject="件名", text="本文", kind="k", about=uuid.uuid4())
    message = render_message(mail, sender="x@example.jp", message_id=uuid.uuid4(), date=AT)
    assert message.get_content_type() == "text/plain"
    assert message.get_content().strip() == "本文"


def test_retries_wait_twice_as_long_each_time_up_to_the_longest_pause() -> None:
    pauses = [retry_at(n, first_pause_s=30, longest_pause_s=3600) for n in range(1, 10)]
    assert pauses == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
