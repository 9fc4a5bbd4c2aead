"""The day and after: checking registrants in, and the feedback form of those who came."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from tosei_common.catalogue.seminar import SeminarAttendanceCorrected
from tosei_common.platform.errors import Conflict, Message, NotFound, Unprocessable
from tosei_common.region.fiscal import japanese_date, tokyo_date
from tosei_seminar.domain.lifecycle import attendance_figures
from tosei_seminar.domain.registration import Registration, RegistrationStatus
from tosei_seminar.domain.reports import Attendee
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
    seated = _seated(seminar, registration)
    if seated.checked_in_at is not None:
        return seated, False
    return replace(seated, checked_in_at=at), True


def _seated(seminar: Seminar, registration: Registration | None) -> Registration:
    """The registration, if it is this seminar's and holds a seat (only those attend)."""
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
    return registration


def correct_attendance(
    seminar: Seminar,
    registration: Registration | None,
    *,
    attended: bool,
    reason: str | None,
    answered: bool,
) -> Registration:
    """After the day, a coordinator records that a registrant did (a missed check-in) or did
    not (a mistaken one) attend. Before the seminar is held, check-in is the way; a correction
    needs a reason, because it changes figures already announced."""
    if seminar.state is not SeminarState.HELD:
        raise Conflict(
            "出席の訂正は開催済みの研修会で行います。開催済みになる前は受付（チェックイン）で"
            "記録してください",
            en="attendance is corrected once the seminar is held; before that, check people in",
            state=seminar.state.value,
        )
    if not (reason and reason.strip()):
        raise Unprocessable(
            "訂正の理由を入力してください",
            en="say why the attendance is corrected",
            fields={"reason": Message("訂正するときは入力してください", "required to correct")},
        )
    seated = _seated(seminar, registration)
    if (seated.checked_in_at is not None) == attended:
        label = "出席" if attended else "欠席"
        raise Conflict(
            f"この申込はすでに{label}として記録されています",
            en=f"this registration is recorded as {'present' if attended else 'absent'} already",
            reason="unchanged",
        )
    if not attended and answered:
        raise Conflict(
            "この申込はアンケートに回答済みです。出席した方の回答があるため、欠席に訂正できません",
            en="this registration answered the feedback form: it cannot be corrected to absent",
            reason="answered",
        )
    # A missed check-in counts as present from the seminar's start: its certificate and the
    # reports date it by the seminar, not by the day of the correction.
    return replace(seated, checked_in_at=seminar.starts_at if attended else None)


def attendance_corrected(
    seminar: Seminar, attendees: Sequence[Attendee], at: datetime, small_cells: int
) -> SeminarAttendanceCorrected:
    """The whole figures after a correction, replacing those announced before (groups of
    fewer than ``small_cells`` left out, as in ``seminar.held``)."""
    figures = attendance_figures(seminar, attendees, at, small_cells)
    return SeminarAttendanceCorrected(**figures, corrected_at=at)


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
