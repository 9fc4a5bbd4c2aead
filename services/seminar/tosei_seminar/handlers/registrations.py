"""Registrants' commands (register, cancel, give feedback) and the check-in on the day.

Seats hold under concurrency because every change to who sits at a place runs while that
place's row is locked (``queries.lock_place``): 500 people registering at once for 100 seats
queue on the lock, and each counts the seats the ones before it took.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from uuid import UUID

import asyncpg

from tosei_common.catalogue.seminar import (
    AttendanceMode,
    AttendeeRole,
    PriorStatus,
    RegistrationAccepted,
    RegistrationCancelled,
    RegistrationWaitlisted,
)
from tosei_common.platform.errors import Conflict, NotFound
from tosei_common.platform.service import Runtime
from tosei_common.region.municipalities import Municipality
from tosei_seminar.db import queries as q
from tosei_seminar.db.rows import PlaceRow, RegistrationRow, SeminarRow
from tosei_seminar.domain.registration import (
    RegistrationStatus,
    choose_place,
    identity,
    new_reference,
    normalise_reference,
    seat_or_wait,
)
from tosei_seminar.domain.seminar import CHECK_IN, SeminarState
from tosei_seminar.handlers.seats import counted, fill_free_seats, place_change
from tosei_seminar.handlers.seminars import load_seminar

#: While these hold, a registrant may still cancel (and so free a seat for the wait list).
CANCELLABLE = frozenset({SeminarState.REGISTRATION_OPEN, SeminarState.REGISTRATION_CLOSED})
#: Feedback is given on the day or afterwards.
FEEDBACK = frozenset({*CHECK_IN, SeminarState.HELD})


@dataclass(frozen=True)
class Applicant:
    name: str
    name_kana: str | None
    organisation: str | None
    role: AttendeeRole
    town: Municipality
    email: str | None
    phone: str | None
    mode: AttendanceMode
    site_id: UUID | None


@dataclass(frozen=True)
class Registered:
    registration: RegistrationRow
    place: PlaceRow
    position: int | None  # on the wait list


def registrant_actor(registration_id: UUID, staff: str | None) -> str:
    """Staff acting for a registrant are recorded as themselves; registrants by their row."""
    return staff or f"registrant:{registration_id}"


async def register(
    rt: Runtime, seminar_id: UUID, applicant: Applicant, staff: str | None
) -> Registered:
    keys = identity(applicant.name, applicant.email, applicant.phone)
    now = rt.clock.now()
    registration_id = uuid.uuid4()
    async with rt.pool.acquire() as conn, conn.transaction():
        await load_seminar(
            conn, seminar_id, states={SeminarState.REGISTRATION_OPEN}, doing="register"
        )
        places = await q.places(conn, seminar_id)
        wanted = choose_place(
            [p.place for p in places], applicant.mode, applicant.town.code, applicant.site_id
        )
        if await q.same_person(conn, seminar_id, keys.name_key, keys.email_key, keys.phone_key):
            raise _already_registered(applicant.name)
        place = await q.lock_place(conn, wanted.place_id)
        if place is None:
            raise NotFound("the place was removed meanwhile; choose again")
        # The state is read again under the lock: closing registration locks every place.
        await load_seminar(
            conn, seminar_id, states={SeminarState.REGISTRATION_OPEN}, doing="register"
        )
        status = seat_or_wait(place.place)
        accepted = status is RegistrationStatus.ACCEPTED
        row = RegistrationRow(
            id=registration_id,
            seq=0,
            reference=new_reference(),
            seminar_id=seminar_id,
            place_id=place.id,
            mode=place.mode,
            name=applicant.name,
            name_kana=applicant.name_kana,
            organisation=applicant.organisation,
            role=applicant.role,
            municipality=applicant.town.code,
            email=applicant.email,
            phone=applicant.phone,
            status=status,
            registered_at=now,
            accepted_at=now if accepted else None,
            promoted_at=None,
            cancelled_at=None,
            checked_in_at=None,
        )
        try:
            async with conn.transaction():  # a savepoint: the index decides a race of twins
                await q.insert_registration(
                    conn,
                    row,
                    name_key=keys.name_key,
                    email_key=keys.email_key,
                    phone_key=keys.phone_key,
                )
        except asyncpg.UniqueViolationError as exc:
            raise _already_registered(applicant.name) from exc
        after = counted(
            place,
            seated=place.seated + (1 if accepted else 0),
            waiting=place.waiting + (0 if accepted else 1),
        )
        if accepted:
            await rt.outbox.add(
                conn, RegistrationAccepted(**place_change(row, after), accepted_at=now)
            )
        else:
            await rt.outbox.add(
                conn,
                RegistrationWaitlisted(
                    **place_change(row, after), position=after.waiting, waitlisted_at=now
                ),
            )
        await q.log_change(
            conn,
            seminar_id,
            f"registration.{status.value}",
            registrant_actor(registration_id, staff),
            {"registration_id": registration_id, "place_id": place.id},
        )
    return Registered(row, after, None if accepted else after.waiting)


def _already_registered(name: str) -> Conflict:
    # The reference is not repeated here: whoever knows a name and an address is not
    # necessarily that person, and the reference is what lets one cancel.
    return Conflict(
        f"{name} is registered for this seminar already (the same name with the same e-mail "
        "or phone). Use the reference you were given to see or cancel that registration.",
        reason="already_registered",
    )


async def find(rt: Runtime, reference: str) -> RegistrationRow:
    """The registration a reference names, or 404 (also for anything that is no reference)."""
    normal = normalise_reference(reference)
    async with rt.pool.acquire() as conn:
        found = await q.registration_by_reference(conn, normal) if normal else None
    if found is None:
        raise NotFound("no registration has this reference")
    return found


async def cancel(
    rt: Runtime, reference: str, staff: str | None
) -> tuple[RegistrationRow, list[RegistrationRow]]:
    """Cancel a registration; a freed seat goes to the first person waiting for that place."""
    registration = await find(rt, reference)
    now = rt.clock.now()
    actor = registrant_actor(registration.id, staff)
    async with rt.pool.acquire() as conn, conn.transaction():
        place = await q.lock_place(conn, registration.place_id)
        assert place is not None  # a place with registrations is never removed
        current = await q.registration_by_reference(conn, registration.reference)
        assert current is not None
        await load_seminar(conn, current.seminar_id, states=CANCELLABLE, doing="cancel")
        if current.status is RegistrationStatus.CANCELLED:
            raise Conflict("this registration is cancelled already")
        if current.checked_in_at is not None:
            raise Conflict("this registrant has been checked in; a visit cannot be undone")
        if not await q.cancel_registration(conn, current.id, now, actor):
            raise Conflict("this registration changed meanwhile; look at it again")
        was_seated = current.status is RegistrationStatus.ACCEPTED
        after = counted(
            place,
            seated=place.seated - (1 if was_seated else 0),
            waiting=place.waiting - (0 if was_seated else 1),
        )
        await rt.outbox.add(
            conn,
            RegistrationCancelled(
                **place_change(current, after),
                was=PriorStatus.ACCEPTED if was_seated else PriorStatus.WAITLISTED,
                cancelled_at=now,
            ),
        )
        promoted = await fill_free_seats(
            conn, rt.outbox, current.seminar_id, after, place.capacity, now
        )
        await q.log_change(
            conn,
            current.seminar_id,
            "registration.cancelled",
            actor,
            {"registration_id": current.id, "promoted": [r.id for r in promoted]},
        )
    return current, promoted


async def check_in(
    rt: Runtime, seminar_id: UUID, reference: str, actor: str
) -> tuple[RegistrationRow, bool]:
    """Mark an accepted registrant as present; (registration, whether it was new)."""
    normal = normalise_reference(reference)
    now = rt.clock.now()
    async with rt.pool.acquire() as conn, conn.transaction():
        await load_seminar(conn, seminar_id, states=CHECK_IN, doing="check people in")
        found = await q.registration_by_reference(conn, normal) if normal else None
        if found is None or found.seminar_id != seminar_id:
            raise NotFound("no registration for this seminar has this reference")
        if found.status is not RegistrationStatus.ACCEPTED:
            raise Conflict(
                f"this registration is {found.status.value} ({found.status.label}), "
                "not accepted: it has no seat to check in to",
                status=found.status.value,
            )
        if found.checked_in_at is not None:
            return found, False
        if not await q.check_in(conn, found.id, now, actor):
            raise Conflict("this registration changed meanwhile; look at it again")
        await q.log_change(
            conn, seminar_id, "registration.checked_in", actor, {"registration_id": found.id}
        )
    checked = await find(rt, found.reference)
    return checked, True


async def give_feedback(
    rt: Runtime,
    reference: str,
    *,
    satisfaction: int,
    usefulness: int,
    comment: str | None,
) -> None:
    """Attendees' answers to the feedback form; once per registration."""
    registration = await find(rt, reference)
    if registration.checked_in_at is None:
        raise Conflict(
            "the feedback form is for those who attended: this registration was not checked in",
            reason="not_attended",
        )
    async with rt.pool.acquire() as conn, conn.transaction():
        await load_seminar(conn, registration.seminar_id, states=FEEDBACK, doing="take feedback")
        if not await q.insert_feedback(
            conn, registration.id, registration.seminar_id, satisfaction, usefulness, comment
        ):
            raise Conflict("this registration has given its feedback already")
        await q.log_change(
            conn,
            registration.seminar_id,
            "feedback.given",
            registrant_actor(registration.id, None),
            {"registration_id": registration.id},
        )


async def registrant_view(
    rt: Runtime, reference: str
) -> tuple[RegistrationRow, SeminarRow, PlaceRow, int | None, bool]:
    """What a registrant sees: the registration, its seminar and place, wait position, and
    whether they gave feedback."""
    registration = await find(rt, reference)
    async with rt.pool.acquire() as conn:
        seminar = await load_seminar(conn, registration.seminar_id)
        place = next(p for p in await q.places(conn, seminar.id) if p.id == registration.place_id)
        position = (
            await q.wait_position(conn, place.id, registration.seq)
            if registration.status is RegistrationStatus.WAITLISTED
            else None
        )
        answered = await q.has_feedback(conn, registration.id)
    return registration, seminar, place, position, answered
