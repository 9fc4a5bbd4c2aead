"""Registrations: who sits where, and the wait list.

A registrant takes a free seat at the place they chose or joins that place's wait list; a seat
that comes free goes to the first person waiting. Each decision here returns the registrations
as they are after it, the place's counts, and the events that announce the change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from tosei_common.catalogue.seminar import (
    AttendanceMode,
    AttendeeRole,
    PriorStatus,
    RegistrationAccepted,
    RegistrationCancelled,
    RegistrationPromoted,
    RegistrationWaitlisted,
)
from tosei_common.platform.errors import Conflict, Message
from tosei_common.platform.events import Event
from tosei_seminar.domain.places import Place, promotions
from tosei_seminar.domain.seminar import (
    CANCELLABLE,
    REGISTERING,
    Seminar,
    ensure_state,
)


class RegistrationStatus(StrEnum):
    ACCEPTED = "accepted"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[RegistrationStatus, str] = {
    RegistrationStatus.ACCEPTED: "参加確定",
    RegistrationStatus.WAITLISTED: "キャンセル待ち",
    RegistrationStatus.CANCELLED: "取消",
}

#: Who the organisers' list (名簿) names: seated or waiting; a cancelled registration is not.
ON_THE_LIST = (RegistrationStatus.ACCEPTED, RegistrationStatus.WAITLISTED)


@dataclass(frozen=True)
class Registration:
    id: UUID
    seq: int  # arrival order: the wait list is served by it
    reference: str
    seminar_id: UUID
    place_id: UUID
    mode: AttendanceMode
    name: str
    name_kana: str | None
    organisation: str | None
    role: AttendeeRole
    municipality: str
    email: str | None
    phone: str | None
    status: RegistrationStatus
    registered_at: datetime
    accepted_at: datetime | None
    promoted_at: datetime | None
    cancelled_at: datetime | None
    checked_in_at: datetime | None


# seats ----------------------------------------------------------------------------------------


def seat_or_wait(place: Place) -> RegistrationStatus:
    """A newcomer's status: a seat when one is free and nobody waits before them."""
    if place.waiting == 0 and place.seated < place.capacity:
        return RegistrationStatus.ACCEPTED
    return RegistrationStatus.WAITLISTED


def place_change(registration: Registration, place: Place) -> dict[str, Any]:
    """The fields every registration event carries: the registrant's role, town and mode, and
    the place's counts after the change (``place``)."""
    return {
        "seminar_id": registration.seminar_id,
        "registration_id": registration.id,
        "place_id": place.place_id,
        "role": registration.role,
        "municipality": registration.municipality,
        "mode": registration.mode,
        "capacity": place.capacity,
        "seated": place.seated,
        "waiting": place.waiting,
    }


@dataclass(frozen=True)
class Seating:
    """Who sits at a place after a change: its counts, whom its wait list seated, the events."""

    place: Place
    promoted: tuple[Registration, ...] = ()
    events: tuple[Event, ...] = ()


def fill_free_seats(place: Place, waiting: Sequence[Registration], at: datetime) -> Seating:
    """Seat the first of ``waiting`` (the place's wait list, in order) in the free seats of
    ``place`` (its capacity and counts after the change that freed them)."""
    count = promotions(place.capacity, place.seated, place.waiting)
    promoted = tuple(
        replace(r, status=RegistrationStatus.ACCEPTED, accepted_at=at, promoted_at=at)
        for r in waiting[:count]
    )
    events = tuple(
        RegistrationPromoted(
            **place_change(r, place.counted(seated=place.seated + i, waiting=place.waiting - i)),
            promoted_at=at,
        )
        for i, r in enumerate(promoted, start=1)
    )
    after = place.counted(
        seated=place.seated + len(promoted), waiting=place.waiting - len(promoted)
    )
    return Seating(after, promoted, events)


# registering ----------------------------------------------------------------------------------

REGISTERING_FOR = Message("参加の申込", "register")


@dataclass(frozen=True)
class Applicant:
    name: str
    name_kana: str | None
    organisation: str | None
    role: AttendeeRole
    municipality: str  # code
    email: str | None
    phone: str | None
    mode: AttendanceMode
    site_id: UUID | None


@dataclass(frozen=True)
class Admission:
    registration: Registration
    place: Place  # its counts with the newcomer
    position: int | None  # on the wait list
    events: tuple[Event, ...]


def ensure_registering(seminar: Seminar) -> Seminar:
    return ensure_state(seminar, REGISTERING, REGISTERING_FOR)


def admit(
    seminar: Seminar,
    place: Place,
    applicant: Applicant,
    *,
    registration_id: UUID,
    reference: str,
    at: datetime,
) -> Admission:
    """A seat at ``place`` (its counts taken under its lock), or its wait list."""
    ensure_registering(seminar)
    status = seat_or_wait(place)
    accepted = status is RegistrationStatus.ACCEPTED
    registration = Registration(
        id=registration_id,
        seq=0,
        reference=reference,
        seminar_id=seminar.id,
        place_id=place.place_id,
        mode=place.mode,
        name=applicant.name,
        name_kana=applicant.name_kana,
        organisation=applicant.organisation,
        role=applicant.role,
        municipality=applicant.municipality,
        email=applicant.email,
        phone=applicant.phone,
        status=status,
        registered_at=at,
        accepted_at=at if accepted else None,
        promoted_at=None,
        cancelled_at=None,
        checked_in_at=None,
    )
    if accepted:
        after = place.counted(seated=place.seated + 1, waiting=place.waiting)
        event: Event = RegistrationAccepted(**place_change(registration, after), accepted_at=at)
        return Admission(registration, after, None, (event,))
    after = place.counted(seated=place.seated, waiting=place.waiting + 1)
    event = RegistrationWaitlisted(
        **place_change(registration, after), position=after.waiting, waitlisted_at=at
    )
    return Admission(registration, after, after.waiting, (event,))


# cancelling -----------------------------------------------------------------------------------

CANCELLING = Message("申込の取消", "cancel")


@dataclass(frozen=True)
class Cancellation:
    registration: Registration  # cancelled
    seating: Seating  # the place after, whom its wait list seated; the events in order


def cancel(
    seminar: Seminar,
    registration: Registration,
    place: Place,
    waiting: Sequence[Registration],
    *,
    at: datetime,
) -> Cancellation:
    """Cancel a registration (``place`` and ``waiting`` read under the place's lock); a freed
    seat goes to the first person waiting for that place."""
    ensure_state(seminar, CANCELLABLE, CANCELLING)
    if registration.status is RegistrationStatus.CANCELLED:
        raise Conflict(
            "この申込はすでに取り消されています", en="this registration is cancelled already"
        )
    if registration.checked_in_at is not None:
        raise Conflict(
            "受付（来場）済みの申込は取り消せません",
            en="this registrant has been checked in; a visit cannot be undone",
        )
    was_seated = registration.status is RegistrationStatus.ACCEPTED
    after = place.counted(
        seated=place.seated - (1 if was_seated else 0),
        waiting=place.waiting - (0 if was_seated else 1),
    )
    cancelled = RegistrationCancelled(
        **place_change(registration, after),
        was=PriorStatus.ACCEPTED if was_seated else PriorStatus.WAITLISTED,
        cancelled_at=at,
    )
    seating = fill_free_seats(after, [w for w in waiting if w.id != registration.id], at)
    return Cancellation(
        replace(registration, status=RegistrationStatus.CANCELLED, cancelled_at=at),
        Seating(seating.place, seating.promoted, (cancelled, *seating.events)),
    )


def changed_meanwhile() -> Conflict:
    """Two people changed one registration at once (a cancellation racing a check-in)."""
    return Conflict(
        "この申込は先ほど変更されました。もう一度確認してください",
        en="this registration changed meanwhile; look at it again",
    )


@dataclass(frozen=True)
class AsTold:
    """What a registrant reads about their registration."""

    status: str
    label: str
    reason: str | None = None  # why the seminar was cancelled


def as_told(registration: Registration, seminar_cancelled: bool, why: str | None) -> AsTold:
    """A seminar that is called off is 中止 to everyone who still had a seat or a place on the
    wait list, with the reason; a registration they cancelled themselves stays 取消."""
    if seminar_cancelled and registration.status is not RegistrationStatus.CANCELLED:
        return AsTold("seminar_cancelled", "中止", why)
    return AsTold(registration.status.value, registration.status.label)
