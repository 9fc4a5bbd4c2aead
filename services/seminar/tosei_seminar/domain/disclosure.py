"""A registrant's requests about their own records: what the seminar holds about them
(本人開示), found by their contacts since registrants are nobody's clients, and correcting
their name and contacts.

Registrants are found by an e-mail address or a phone number (the name alone never identifies
anyone); a name given as well narrows the search to registrations under that name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from tosei_common.platform.disclosure import AuditRow
from tosei_common.platform.errors import Message, Unprocessable
from tosei_common.region.text import email_key, name_key, phone_key
from tosei_seminar.domain.identity import Identity, identity
from tosei_seminar.domain.registration import Registration
from tosei_seminar.domain.seminar import Seminar, SeminarState

#: The audit action of a registrant's name or contacts corrected (old → new).
CONTACTS_CORRECTED = "registration.contacts_corrected"


@dataclass(frozen=True)
class Lookup:
    """The keys a person is looked for by."""

    name_key: str | None
    email_key: str | None
    phone_key: str | None


def lookup(name: str | None, email: str | None, phone: str | None) -> Lookup:
    """The keys to look for, or a 422 naming the field: an e-mail or a phone is needed."""
    problems: dict[str, Message] = {}
    e_key, p_key = email_key(email), phone_key(phone)
    if email and e_key is None:
        problems["email"] = Message(
            "メールアドレスの形式ではありません（例: hanako@example.jp）", "not an e-mail address"
        )
    if phone and p_key is None:
        problems["phone"] = Message(
            "電話番号の形式ではありません（例: 017-723-1111）", "not a Japanese phone number"
        )
    if not problems and e_key is None and p_key is None:
        problems["email"] = Message(
            "本人を探すメールアドレスか電話番号を入力してください（氏名だけでは探せません）",
            "give an e-mail address or a phone number (a name alone identifies nobody)",
        )
    if problems:
        raise Unprocessable(
            "、".join(f"{k}: {v.ja}" for k, v in problems.items()),
            en="; ".join(f"{k}: {v.en}" for k, v in problems.items()),
            fields=problems,
        )
    return Lookup(name_key(name) or None if name else None, e_key, p_key)


@dataclass(frozen=True)
class FeedbackGiven:
    satisfaction: int
    usefulness: int
    comment: str | None
    submitted_at: datetime


class MailState(StrEnum):
    SENT = "sent"
    WAITING = "waiting"
    UNDELIVERABLE = "undeliverable"
    NOT_SENT = "not_sent"

    @property
    def label(self) -> str:
        return MAIL_STATE_LABELS[self]


MAIL_STATE_LABELS = {
    MailState.SENT: "送信済み",
    MailState.WAITING: "送信待ち",
    MailState.UNDELIVERABLE: "送信できませんでした",
    MailState.NOT_SENT: "送信していません（宛先の削除または保存期間の満了により消去）",
}


@dataclass(frozen=True)
class MailToThem:
    """A mail written to the registrant (the mail outbox's row): what, when, to where, and
    its text, unless erased (the retention run, or the address withdrawn before it went)."""

    kind: str
    written_at: datetime
    recipient: str | None
    subject: str | None
    body: str | None
    sent_at: datetime | None
    given_up_at: datetime | None
    erased_at: datetime | None

    @property
    def state(self) -> MailState:
        if self.sent_at is not None:
            return MailState.SENT
        if self.erased_at is not None:
            return MailState.NOT_SENT
        if self.given_up_at is not None:
            return MailState.UNDELIVERABLE
        return MailState.WAITING


@dataclass(frozen=True)
class DisclosedRegistration:
    registration: Registration
    seminar: Seminar
    place_name: str
    feedback: FeedbackGiven | None
    history: list[AuditRow]
    mails: list[MailToThem] = field(default_factory=list)

    @property
    def certificate_issuable(self) -> bool:
        """An attendee of a held seminar gets a certificate (修了証) on request."""
        return (
            self.seminar.state is SeminarState.HELD and self.registration.checked_in_at is not None
        )


def disclosure(
    registrations: Sequence[Registration],
    seminars: dict[Any, Seminar],
    place_names: dict[Any, str],
    feedback: dict[Any, FeedbackGiven],
    history: Iterable[AuditRow],
    mails: dict[Any, list[MailToThem]] | None = None,
) -> list[DisclosedRegistration]:
    """Each registration with its seminar, place, answers, history and the mails written to
    the registrant about it, oldest first."""
    history_of: dict[str, list[AuditRow]] = {}
    for row in history:
        history_of.setdefault(row.subject_id or row.entity_id, []).append(row)
    mails = mails or {}
    return [
        DisclosedRegistration(
            r,
            seminars[r.seminar_id],
            place_names.get(r.place_id, ""),
            feedback.get(r.id),
            history_of.get(str(r.id), []),
            sorted(mails.get(r.id, []), key=lambda m: m.written_at),
        )
        for r in sorted(registrations, key=lambda r: r.registered_at)
    ]


# correcting a registrant's name and contacts -----------------------------------------------------

#: What a correction may change: the registrant's own details (not their role or town, which
#: the figures count, nor the place, which is a seat).
CORRECTABLE = ("name", "name_kana", "organisation", "email", "phone")


@dataclass(frozen=True)
class ContactCorrection:
    reason: str | None
    name: str | None = None
    name_kana: str | None = None
    organisation: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class ContactsCorrected:
    registration: Registration
    keys: Identity
    changes: dict[str, dict[str, str | None]]


def correct_contacts(registration: Registration, fix: ContactCorrection) -> ContactsCorrected:
    """The registration with its name and contacts corrected, what changed (old → new), and
    its new matching keys. A correction says why and changes something; an empty string
    clears an optional field (not the name, nor both contacts)."""
    if not fix.reason or not fix.reason.strip():
        raise Unprocessable(
            "訂正の理由を入力してください",
            en="say why it is corrected",
            fields={"reason": Message("訂正の理由を入力してください", "required")},
        )
    changes: dict[str, dict[str, str | None]] = {}
    values: dict[str, str | None] = {}
    for name in CORRECTABLE:
        wanted = getattr(fix, name)
        if wanted is None:
            continue
        value = wanted.strip() or None
        if value != getattr(registration, name):
            changes[name] = {"old": getattr(registration, name), "new": value}
            values[name] = value
    corrected = replace(registration, **values)  # type: ignore[arg-type]
    if not changes:
        raise Unprocessable(
            "訂正する項目がありません（今の内容と同じです）",
            en="nothing to correct: the values are those on file",
        )
    keys = identity(corrected.name or "", corrected.email, corrected.phone)
    return ContactsCorrected(corrected, keys, changes)
