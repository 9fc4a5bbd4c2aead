"""The day and after: checking registrants in, and the feedback form of those who came."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from tosei_common.platform.errors import Conflict, Message, NotFound
from tosei_common.region.fiscal import japanese_date, tokyo_date
from tosei_seminar.domain.registration import Registration, RegistrationStatus
from tosei_seminar.domain.seminar import CHECK_IN, FEEDBACK, Seminar, SeminarState, ensure_state

CHECKING_IN = Message("参加者の受付", "check people in")
TAKING_FEEDBACK = Message("アンケートの回答", "take feedback")


def check_in(
    seminar: Seminar, registration: Registration | None, *, at: datetime
) -> tuple[Registration, bool]:
    """Mark an accepted registrant of ``seminar`` as present: (registration, whether new).
    Check-in opens on the seminar's day (Japan): nobody attends a seminar before it happens."""
    ensure_state(seminar, CHECK_IN, CHECKING_IN)
    ensure_its_day(seminar, at)
    if registration is None or registration.seminar_id != seminar.id:
        raise NotFound(
            "この研修会にこの受付番号の申込はありません",
            en="no registration for this seminar has this reference",
        )
    if registration.status is not RegistrationStatus.ACCEPTED:
        raise Conflict(
            f"この申込は「{registration.status.label}」で、参加確定ではありません。"
            "受付する席がありません",
            en=f"this registration is {registration.status.value} ({registration.status.label}), "
            "not accepted: it has no seat to check in to",
            status=registration.status.value,
        )
    if registration.checked_in_at is not None:
        return registration, False
    return replace(registration, checked_in_at=at), True


def ensure_its_day(seminar: Seminar, at: datetime) -> None:
    """A 409 before the seminar's day (in Japan), saying when check-in opens."""
    if seminar.starts_at is None:
        raise Conflict(
            "開催日時が決まっていないため、まだ受付できません",
            en="the seminar has no date yet: nobody can be checked in",
            reason="not_yet",
        )
    day = tokyo_date(seminar.starts_at)
    if tokyo_date(at) < day:
        raise Conflict(
            f"参加者の受付は開催日（{japanese_date(day)}）から始まります",
            en=f"check-in opens on the seminar's day, {day}",
            reason="not_yet",
        )


@dataclass(frozen=True)
class Answer:
    """An attendee's answers to the feedback form."""

    registration_id: UUID
    seminar_id: UUID
    satisfaction: int  # 1..5 満足度
    usefulness: int  # 1..5 業務・生活に役立つか
    comment: str | None
    submitted_at: datetime


def take_feedback(
    seminar: Seminar,
    registration: Registration,
    *,
    answered: bool,
    satisfaction: int,
    usefulness: int,
    comment: str | None,
    at: datetime,
) -> Answer:
    """The feedback form is for those who attended, once each."""
    if registration.checked_in_at is None:
        raise Conflict(
            "アンケートは研修会に出席された方にお願いしています。この申込は受付（来場）されていません",
            en="the feedback form is for those who attended: this registration was not checked in",
            reason="not_attended",
        )
    ensure_state(seminar, FEEDBACK, TAKING_FEEDBACK)
    if answered:
        raise already_answered()
    return Answer(registration.id, seminar.id, satisfaction, usefulness, comment, at)


def already_answered() -> Conflict:
    return Conflict(
        "この申込のアンケートはすでに回答済みです",
        en="this registration has given its feedback already",
    )


def certificate_available(registration: Registration, seminar: Seminar) -> bool:
    """A certificate of attendance is for those checked in at a seminar that was held."""
    return registration.checked_in_at is not None and seminar.state is SeminarState.HELD
