"""What registrants are told by mail, and when (pure: composing, no sending).

A registrant who gave an e-mail address is written to when they register (their reference, their
status, how to cancel, the QR code they show at the door), when the wait list gives them a seat,
when they cancel, when the seminar moves to another date or time, when it is called off (with
the reason), and once it has been held, if they came, with the link to the feedback form and
their certificate. Someone who gave only a phone number is told nothing by mail (the desk calls).

Every mail links to the registrant's own page on the console (``/seminar/my/{reference}``), where
they see their status, cancel, answer the feedback and download the certificate. The reference
is their only credential, so it is in the body, never in the subject (which lock screens and
mail lists show).

The message is multipart: a complete text/plain part, and an HTML alternative with the reference's
QR code inline beside the words that explain it (multipart/related), not as an attachment that
phones show apart at the bottom or as a file to open. A client without HTML still has everything:
the door accepts the typed reference as well as the scanned code.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from tosei_common.catalogue.seminar import AttendanceMode
from tosei_common.platform.mail_message import InlineImage, Mail, image_cid
from tosei_common.platform.qr import qr_png
from tosei_common.region.fiscal import TOKYO, fiscal_year_label, japanese_date
from tosei_seminar.domain.labels import MODE_LABELS
from tosei_seminar.domain.places import Place
from tosei_seminar.domain.registration import Registration, RegistrationStatus
from tosei_seminar.domain.seminar import Seminar
from tosei_seminar.domain.speakers import Speaker

#: Who signs the mails.
SIGNATURE = "東青ビジネスサポート協議会　在宅医療合同研修会 事務局"
WEEKDAYS = "月火水木金土日"

REGISTERED = "registration.registered"
PROMOTED = "registration.promoted"
CANCELLED = "registration.cancelled"
RESCHEDULED = "seminar.rescheduled"
CALLED_OFF = "seminar.cancelled"
FEEDBACK = "seminar.feedback"

#: What each kind of mail tells, in words (the disclosure lists the mails sent by it).
KIND_LABELS = {
    REGISTERED: "申込の受付",
    PROMOTED: "キャンセル待ちからの参加確定",
    CANCELLED: "申込の取消し",
    RESCHEDULED: "開催日時の変更",
    CALLED_OFF: "研修会の中止",
    FEEDBACK: "開催後のお礼とアンケートのお願い",
}


@dataclass(frozen=True)
class Letterhead:
    """What every mail needs from outside the domain: where the console answers (links), and
    the sender (whose domain names the QR code's Content-ID)."""

    console_url: str
    sender: str

    def my_page(self, reference: str) -> str:
        return f"{self.console_url.rstrip('/')}/seminar/my/{reference}"


@dataclass(frozen=True)
class _Letter:
    kind: str
    subject: str
    lead: tuple[str, ...]
    facts: tuple[tuple[str, str], ...]
    link_label: str
    closing: tuple[str, ...] = ()
    with_qr: bool = False


# when -----------------------------------------------------------------------------------------


def when(starts_at: datetime | None, ends_at: datetime | None) -> str:
    """令和9年10月17日（日）13:30〜16:30, in Japan time."""
    if starts_at is None:
        return "未定"
    start = starts_at.astimezone(TOKYO)
    day = f"{japanese_date(start.date())}（{WEEKDAYS[start.weekday()]}）"
    end = f"〜{ends_at.astimezone(TOKYO):%H:%M}" if ends_at is not None else ""
    return f"{day}{start:%H:%M}{end}"


def seminar_name(seminar: Seminar) -> str:
    return f"{fiscal_year_label(seminar.fiscal_year)} 在宅医療合同研修会「{seminar.title}」"


def how_attending(registration: Registration, places: Sequence[Place]) -> str:
    place = next((p for p in places if p.place_id == registration.place_id), None)
    mode = MODE_LABELS[registration.mode]
    if registration.mode is AttendanceMode.ONLINE:
        return f"{mode}（視聴のURLは申込のページでお知らせします）"
    return f"{mode}（{place.name}）" if place is not None else mode


def status_of(registration: Registration, position: int | None = None) -> str:
    if registration.status is RegistrationStatus.WAITLISTED:
        return f"キャンセル待ち {position}番目" if position else "キャンセル待ち"
    return registration.status.label


def keynote_line(speaker: Speaker) -> str:
    """佐藤 良子（医療法人 在宅ケアクリニック・在宅医）「住み慣れた家で最期まで」."""
    who = (
        f"{speaker.affiliation}・{speaker.profession}"
        if speaker.profession
        else speaker.affiliation
    )
    title = f"「{speaker.talk_title}」" if speaker.talk_title else ""
    return f"{speaker.name}（{who}）{title}"


def _facts(
    seminar: Seminar,
    registration: Registration,
    places: Sequence[Place],
    status: str,
    keynotes: Sequence[Speaker] = (),
) -> tuple[tuple[str, str], ...]:
    return (
        ("研修会", seminar_name(seminar)),
        ("日時", when(seminar.starts_at, seminar.ends_at)),
        *(("基調講演", keynote_line(k)) for k in keynotes),
        ("参加の方法", how_attending(registration, places)),
        ("受付番号", registration.reference),
        ("申込の状態", status),
    )


# the mails ------------------------------------------------------------------------------------


def registered(
    seminar: Seminar,
    registration: Registration,
    places: Sequence[Place],
    position: int | None,
    head: Letterhead,
    *,
    keynotes: Sequence[Speaker] = (),
) -> Mail | None:
    """The registration's confirmation: its reference, its status, the keynote (speaker and
    title, as far as they are fixed), how to cancel, the QR."""
    seated = registration.status is RegistrationStatus.ACCEPTED
    lead = (
        f"{seminar_name(seminar)}への参加申込を受け付けました。",
        "参加が確定しました。"
        if seated
        else f"満席のため、キャンセル待ち{position}番目で登録しました。"
        "席が空くと自動で参加確定になり、このアドレスにお知らせします。",
    )
    return _compose(
        registration,
        head,
        _Letter(
            REGISTERED,
            "【在宅医療合同研修会】参加申込を受け付けました"
            + ("（参加確定）" if seated else "（キャンセル待ち）"),
            lead,
            _facts(seminar, registration, places, status_of(registration, position), keynotes),
            "申込の確認・取消しは、次のページからできます（受付番号で開きます）。",
            _door_and_cancel(seated),
            with_qr=True,
        ),
    )


def promoted(
    seminar: Seminar, registration: Registration, places: Sequence[Place], head: Letterhead
) -> Mail | None:
    """A seat came free and the wait list gave it to them."""
    return _compose(
        registration,
        head,
        _Letter(
            PROMOTED,
            "【在宅医療合同研修会】キャンセル待ちから参加確定になりました",
            (
                f"{seminar_name(seminar)}で席が空き、キャンセル待ちから参加確定になりました。",
                "ご都合が悪くなった場合は、次の方のために取消しをお願いします。",
            ),
            _facts(seminar, registration, places, status_of(registration)),
            "申込の確認・取消しは、次のページからできます（受付番号で開きます）。",
            _door_and_cancel(True),
            with_qr=True,
        ),
    )


def cancelled(
    seminar: Seminar, registration: Registration, places: Sequence[Place], head: Letterhead
) -> Mail | None:
    """Their own cancellation (theirs, or the desk's on their behalf), confirmed."""
    return _compose(
        registration,
        head,
        _Letter(
            CANCELLED,
            "【在宅医療合同研修会】参加申込を取り消しました",
            (f"{seminar_name(seminar)}への参加申込を取り消しました。",),
            _facts(seminar, registration, places, status_of(registration)),
            "取消しの内容は、次のページで確認できます。",
            ("お心当たりのない場合は、事務局までご連絡ください。",),
        ),
    )


def rescheduled(
    before: Seminar,
    after: Seminar,
    registrations: Sequence[Registration],
    places: Sequence[Place],
    head: Letterhead,
) -> list[Mail]:
    """The seminar moved: every registrant still on the list (seated or waiting) is told."""
    old, new = when(before.starts_at, before.ends_at), when(after.starts_at, after.ends_at)
    changed = f"{old} から {new}"
    return _each(
        registrations,
        lambda r: _Letter(
            RESCHEDULED,
            "【在宅医療合同研修会】開催日時が変更になりました",
            (
                f"{seminar_name(after)}の開催日時が変更になりました（{changed}）。",
                "申込はそのまま有効です。新しい日時にご都合がつかない場合は、取消しをお願いします。",
            ),
            (
                ("変更前の日時", old),
                *_facts(after, r, places, status_of(r)),
            ),
            "申込の確認・取消しは、次のページからできます（受付番号で開きます）。",
            with_qr=r.status is RegistrationStatus.ACCEPTED,
        ),
        head,
    )


def called_off(
    seminar: Seminar,
    registrations: Sequence[Registration],
    places: Sequence[Place],
    head: Letterhead,
) -> list[Mail]:
    """The seminar is cancelled: everyone still on the list is told why."""
    reason = seminar.cancel_reason or "（理由の記載なし）"
    return _each(
        registrations,
        lambda r: _Letter(
            CALLED_OFF,
            "【在宅医療合同研修会】研修会は中止になりました",
            (
                f"{seminar_name(seminar)}は、中止することになりました。",
                f"中止の理由: {reason}",
                "お申込みいただいたのに申し訳ありません。申込の取消しのお手続きは要りません。",
            ),
            _facts(seminar, r, places, "中止"),
            "申込のページでも、中止のお知らせを確認できます。",
        ),
        head,
    )


def feedback_invitation(
    seminar: Seminar,
    attendees: Sequence[Registration],
    places: Sequence[Place],
    head: Letterhead,
) -> list[Mail]:
    """After the day, to those who came: the feedback form and the certificate."""
    return _each(
        attendees,
        lambda r: _Letter(
            FEEDBACK,
            "【在宅医療合同研修会】ご参加ありがとうございました（アンケートのお願い）",
            (
                f"{seminar_name(seminar)}にご参加いただき、ありがとうございました。",
                "今後の研修会のため、アンケートへのご回答をお願いします（数分で終わります）。"
                "修了証（PDF）も同じページからダウンロードできます。",
            ),
            (
                ("研修会", seminar_name(seminar)),
                ("日時", when(seminar.starts_at, seminar.ends_at)),
                ("参加の方法", how_attending(r, places)),
                ("受付番号", r.reference),
            ),
            "アンケートと修了証は、次のページからどうぞ（受付番号で開きます）。",
        ),
        head,
    )


def _door_and_cancel(seated: bool) -> tuple[str, ...]:
    door = (
        ("当日は受付で、このメールのQRコードをお見せになるか、受付番号をお伝えください。",)
        if seated
        else ()
    )
    return (*door, "参加できなくなった場合は、上のページから取消しをお願いします。")


def _each(
    registrations: Sequence[Registration],
    letter: Callable[[Registration], _Letter],
    head: Letterhead,
) -> list[Mail]:
    mails = (_compose(r, head, letter(r)) for r in registrations)
    return [m for m in mails if m is not None]


def _compose(registration: Registration, head: Letterhead, letter: _Letter) -> Mail | None:
    """The mail of ``letter`` to the registrant; None when they gave no e-mail address."""
    if not registration.email:
        return None
    link = head.my_page(registration.reference)
    greeting = f"{registration.name} 様"
    text = "\n".join(
        [
            greeting,
            "",
            *letter.lead,
            "",
            *(f"{label}: {value}" for label, value in letter.facts),
            "",
            letter.link_label,
            link,
            "",
            *letter.closing,
            *([""] if letter.closing else []),
            "このメールは送信専用です。ご返信いただいてもお答えできません。",
            "--",
            SIGNATURE,
            "",
        ]
    )
    images: tuple[InlineImage, ...] = ()
    qr_html = ""
    if letter.with_qr:
        cid = image_cid("qr", head.sender)
        images = (InlineImage(cid, qr_png(registration.reference)),)
        qr_html = (
            f'<p><img src="cid:{cid}" width="200" height="200" '
            f'alt="受付番号 {html.escape(registration.reference)} のQRコード"></p>'
        )
    return Mail(
        to=registration.email,
        subject=letter.subject,
        text=text,
        kind=letter.kind,
        about=registration.id,
        html=_html(greeting, letter, link, qr_html),
        images=images,
    )


def _html(greeting: str, letter: _Letter, link: str, qr_html: str) -> str:
    e = html.escape
    rows = "".join(
        f'<tr><th scope="row" style="text-align:left;padding-right:1em">{e(label)}</th>'
        f"<td>{e(value)}</td></tr>"
        for label, value in letter.facts
    )
    return (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">'
        f"<title>{e(letter.subject)}</title></head>"
        '<body style="font-family:sans-serif;line-height:1.75">'
        f"<p>{e(greeting)}</p>"
        + "".join(f"<p>{e(line)}</p>" for line in letter.lead)
        + f"<table>{rows}</table>"
        + qr_html
        + f'<p>{e(letter.link_label)}<br><a href="{e(link)}">{e(link)}</a></p>'
        + "".join(f"<p>{e(line)}</p>" for line in letter.closing)
        + "<p>このメールは送信専用です。ご返信いただいてもお答えできません。</p>"
        f"<p>{e(SIGNATURE)}</p></body></html>"
    )
