"""Registrants' commands: register, cancel, give feedback. No account is needed: a registrant
is known by the reference they were given; staff acting for one (a phone call) by their token.

Seats hold under concurrency because every change to who sits at a place runs while that
place's row is locked: 500 people registering at once for 100 seats queue on the lock, and each
counts the seats the ones before it took.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from uuid import UUID

import asyncpg

from tosei_common.platform.errors import NotFound
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_seminar.db import feedback as feedback_db
from tosei_seminar.db import places as places_db
from tosei_seminar.db import registrations as registrations_db
from tosei_seminar.db import speakers as speakers_db
from tosei_seminar.domain import access, notices
from tosei_seminar.domain.attendance import already_answered, take_feedback
from tosei_seminar.domain.history import SEMINAR
from tosei_seminar.domain.identity import already_registered, identity
from tosei_seminar.domain.places import choose_place
from tosei_seminar.domain.references import new_reference
from tosei_seminar.domain.registration import (
    Admission,
    Applicant,
    Cancellation,
    admit,
    cancel,
    changed_meanwhile,
    ensure_registering,
)
from tosei_seminar.handlers import loading
from tosei_seminar.handlers import notices as notify


def as_registrant(uow: UnitOfWork, who: Principal | None, registration_id: UUID) -> UnitOfWork:
    """The unit of work recording its changes as the registrant (or the staff acting for them)."""
    return replace(uow, actor=access.registrant_actor(who, registration_id))


async def register(
    uow: UnitOfWork, who: Principal | None, seminar_id: UUID, applicant: Applicant
) -> Admission:
    """A seat at the place the applicant chose, or its wait list."""
    keys = identity(applicant.name, applicant.email, applicant.phone)
    conn = uow.conn
    ensure_registering(await loading.seminar(conn, seminar_id))
    wanted = choose_place(
        await places_db.of_seminar(conn, seminar_id),
        applicant.mode,
        applicant.municipality,
        applicant.site_id,
    )
    if await registrations_db.same_person(conn, seminar_id, keys):
        raise already_registered(applicant.name)
    place = await places_db.lock(conn, seminar_id, wanted.place_id)
    if place is None:
        raise NotFound(
            "選んだ参加場所は削除されました。もう一度選んでください",
            en="the place was removed meanwhile; choose again",
        )
    # The state is read again under the place's lock: closing registration locks every place.
    seminar = await loading.seminar(conn, seminar_id)
    admission = admit(
        seminar,
        place,
        applicant,
        registration_id=uuid.uuid4(),
        reference=new_reference(),
        at=uow.at,
    )
    registration = admission.registration
    try:
        async with conn.transaction():  # a savepoint: the index decides a race of twins
            seq = await registrations_db.insert(conn, registration, keys)
    except asyncpg.UniqueViolationError as exc:
        raise already_registered(applicant.name) from exc
    await uow.emit(*admission.events)
    await as_registrant(uow, who, registration.id).audit(
        SEMINAR,
        seminar_id,
        f"registration.{registration.status.value}",
        changes={
            "registration_id": registration.id,
            "place_id": place.place_id,
            "status": {"old": None, "new": registration.status.value},
        },
        subject=registration.id,
    )
    keynotes = [s for s in await speakers_db.of_seminar(conn, seminar_id) if s.keynote]
    await notify.send(
        uow,
        seminar_id,
        lambda places, head: [
            notices.registered(
                seminar, registration, places, admission.position, head, keynotes=keynotes
            )
        ],
    )
    return replace(admission, registration=replace(registration, seq=seq))


async def cancel_registration(
    uow: UnitOfWork, who: Principal | None, reference: str
) -> Cancellation:
    """Cancel a registration; a freed seat goes to the first person waiting for that place."""
    conn = uow.conn
    found = await loading.registration(conn, reference)
    place = await loading.locked_place(conn, found.seminar_id, found.place_id)
    current = await loading.registration(conn, found.reference)  # as it is under the lock
    seminar = await loading.seminar(conn, current.seminar_id)
    waiting = await registrations_db.waiting(conn, place.place_id)
    done = cancel(seminar, current, place, waiting, at=uow.at)
    actor = access.registrant_actor(who, current.id)
    if not await registrations_db.cancel(conn, done.registration, actor):
        raise changed_meanwhile()
    await registrations_db.promote(conn, done.seating.promoted)
    await uow.emit(*done.seating.events)
    await as_registrant(uow, who, current.id).audit(
        SEMINAR,
        current.seminar_id,
        "registration.cancelled",
        changes={
            "registration_id": current.id,
            "status": {"old": current.status.value, "new": "cancelled"},
            "promoted": [r.id for r in done.seating.promoted],
        },
        subject=current.id,
    )
    await notify.send(
        uow,
        seminar.id,
        lambda places, head: [notices.cancelled(seminar, done.registration, places, head)],
    )
    await notify.promoted(uow, seminar, done.seating.promoted)
    return done


async def give_feedback(
    uow: UnitOfWork,
    who: Principal | None,
    reference: str,
    *,
    satisfaction: int,
    usefulness: int,
    comment: str | None,
) -> None:
    """An attendee's answers to the feedback form; once per registration."""
    registration = await loading.registration(uow.conn, reference)
    answer = take_feedback(
        await loading.seminar(uow.conn, registration.seminar_id),
        registration,
        answered=await feedback_db.answered(uow.conn, registration.id),
        satisfaction=satisfaction,
        usefulness=usefulness,
        comment=comment,
        at=uow.at,
    )
    if not await feedback_db.insert(uow.conn, answer):
        raise already_answered()
    await as_registrant(uow, who, registration.id).audit(
        SEMINAR,
        registration.seminar_id,
        "feedback.given",
        changes={"registration_id": registration.id},
        subject=registration.id,
    )
