"""Checking registrants in on the day, by the reference they bring."""

from __future__ import annotations

from uuid import UUID

from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_seminar.db import feedback as feedback_db
from tosei_seminar.db import registrations as registrations_db
from tosei_seminar.domain import access
from tosei_seminar.domain.attendance import attendance_corrected, check_in, correct_attendance
from tosei_seminar.domain.history import SEMINAR
from tosei_seminar.domain.references import normalise_reference
from tosei_seminar.domain.registration import Registration, changed_meanwhile
from tosei_seminar.handlers import loading


async def check_in_registrant(
    uow: UnitOfWork, who: Principal, seminar_id: UUID, reference: str
) -> tuple[Registration, bool]:
    """Mark an accepted registrant as present: (registration, whether it was new). A second
    scan of the same reference changes nothing."""
    access.ensure_may_manage(who, doing="参加者の受付")
    seminar = await loading.seminar(uow.conn, seminar_id)
    normal = normalise_reference(reference)
    found = await registrations_db.by_reference(uow.conn, normal) if normal else None
    registration, new = check_in(seminar, found, at=uow.at)
    if not new:
        return registration, False
    if not await registrations_db.check_in(uow.conn, registration, uow.actor):
        raise changed_meanwhile()
    await uow.audit(
        SEMINAR,
        seminar_id,
        "registration.checked_in",
        changes={"registration_id": registration.id, "attended": {"old": False, "new": True}},
        subject=registration.id,
    )
    return registration, True


async def correct(
    uow: UnitOfWork,
    who: Principal,
    seminar_id: UUID,
    reference: str,
    *,
    attended: bool,
    reason: str | None,
    small_cells: int,
) -> tuple[Registration, int]:
    """After the day: a registrant did or did not attend after all, with the reason (audited)
    and the corrected figures announced, groups of fewer than ``small_cells`` left out.
    (registration, attendees now)."""
    access.ensure_may_manage(who, doing="出席の訂正")
    seminar = await loading.seminar(uow.conn, seminar_id, lock=True)
    normal = normalise_reference(reference)
    found = await registrations_db.by_reference(uow.conn, normal) if normal else None
    answered = found is not None and await feedback_db.answered(uow.conn, found.id)
    registration = correct_attendance(
        seminar, found, attended=attended, reason=reason, answered=answered
    )
    if not await registrations_db.correct_attendance(uow.conn, registration, uow.actor):
        raise changed_meanwhile()
    attendees = await registrations_db.attendees(uow.conn, seminar_id)
    await uow.emit(attendance_corrected(seminar, attendees, uow.at, small_cells))
    await uow.audit(
        SEMINAR,
        seminar_id,
        "attendance.corrected",
        changes={
            "registration_id": registration.id,
            "attended": {"old": not attended, "new": attended},
        },
        reason=reason,
        subject=registration.id,
    )
    return registration, sum(1 for a in attendees if a.attended)
