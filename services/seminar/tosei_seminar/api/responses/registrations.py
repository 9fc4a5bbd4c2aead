"""Registrations as the registrants and the staff see them."""

from __future__ import annotations

from pydantic import Field

from tosei_seminar.api.responses.common import Out, Town, iso
from tosei_seminar.api.responses.seminars import PlaceOut, SeminarSummary, place_fields
from tosei_seminar.domain.labels import MODE_LABELS, ROLE_LABELS
from tosei_seminar.domain.places import Place
from tosei_seminar.domain.registration import (
    Registration,
    RegistrationStatus,
    as_told,
    seat_or_wait,
)
from tosei_seminar.domain.seminar import Seminar, SeminarState
from tosei_seminar.handlers.reads import OwnRegistration, Registrants


class Option(PlaceOut):
    if_registered_now: str = Field(description="accepted or waitlisted, were one to register now")
    if_registered_now_label: str = Field(examples=["参加確定"])


class OptionsOut(Out):
    seminar: SeminarSummary
    municipality: Town | None
    options: list[Option]

    @classmethod
    def of(cls, seminar: Seminar, town: str, places: list[Place]) -> OptionsOut:
        return cls(
            seminar=SeminarSummary.of(seminar),
            municipality=Town.of(town),
            options=[
                Option(
                    **place_fields(p),
                    if_registered_now=seat_or_wait(p).value,
                    if_registered_now_label=seat_or_wait(p).label,
                )
                for p in places
            ],
        )


class RegisteredOut(Out):
    reference: str
    status: str
    status_label: str
    position: int | None
    mode: str
    mode_label: str
    place: PlaceOut
    message: str


class Registrant(Out):
    """A registration as staff see it."""

    id: str
    reference: str
    status: str
    status_label: str
    name: str
    name_kana: str | None
    organisation: str | None
    role: str
    role_label: str
    municipality: Town | None
    email: str | None
    phone: str | None
    mode: str
    mode_label: str
    place: str
    registered_at: str
    promoted_at: str | None
    checked_in_at: str | None
    position: int | None


class RegistrantsOut(Out):
    places: list[PlaceOut]
    registrations: list[Registrant]

    @classmethod
    def of(cls, found: Registrants) -> RegistrantsOut:
        names = {p.place_id: p.name for p in found.places}
        positions = found.positions()
        return cls(
            places=[PlaceOut.of(p) for p in found.places],
            registrations=[
                Registrant(
                    id=str(r.id),
                    reference=r.reference,
                    status=r.status.value,
                    status_label=r.status.label,
                    name=r.name,
                    name_kana=r.name_kana,
                    organisation=r.organisation,
                    role=r.role.value,
                    role_label=ROLE_LABELS[r.role],
                    municipality=Town.of(r.municipality),
                    email=r.email,
                    phone=r.phone,
                    mode=r.mode.value,
                    mode_label=MODE_LABELS[r.mode],
                    place=names[r.place_id],
                    registered_at=r.registered_at.isoformat(),
                    promoted_at=iso(r.promoted_at),
                    checked_in_at=iso(r.checked_in_at),
                    position=positions.get(r.id),
                )
                for r in found.registrations
            ],
        )


class CheckedIn(Out):
    reference: str
    name: str
    organisation: str | None
    mode: str
    mode_label: str
    checked_in_at: str | None
    already_checked_in: bool

    @classmethod
    def of(cls, r: Registration, *, new: bool) -> CheckedIn:
        return cls(
            reference=r.reference,
            name=r.name,
            organisation=r.organisation,
            mode=r.mode.value,
            mode_label=MODE_LABELS[r.mode],
            checked_in_at=iso(r.checked_in_at),
            already_checked_in=not new,
        )


class AttendanceCorrectedOut(Out):
    reference: str
    name: str
    attended: bool
    attended_total: int = Field(description="Attendees of the seminar after the correction.")
    message: str

    @classmethod
    def of(cls, r: Registration, *, attended_total: int) -> AttendanceCorrectedOut:
        attended = r.checked_in_at is not None
        return cls(
            reference=r.reference,
            name=r.name,
            attended=attended,
            attended_total=attended_total,
            message=f"{r.name}さんを{'出席' if attended else '欠席'}に訂正しました。"
            f"出席者は{attended_total}人です。",
        )


class OwnRegistrationOut(Out):
    reference: str
    status: str = Field(
        description="accepted, waitlisted, cancelled, or seminar_cancelled (中止) when the "
        "seminar itself was called off"
    )
    status_label: str
    cancel_reason: str | None = Field(
        default=None, description="Why the seminar was called off (中止の理由)."
    )
    position: int | None
    name: str
    organisation: str | None
    role: str
    role_label: str = Field(examples=["訪問看護師"])
    municipality: Town | None
    mode: str
    mode_label: str
    place: PlaceOut
    seminar: SeminarSummary
    stream_url: str | None
    checked_in: bool
    feedback_given: bool
    certificate_available: bool

    @classmethod
    def of(cls, own: OwnRegistration) -> OwnRegistrationOut:
        r, seminar = own.registration, own.seminar
        off = seminar.state is SeminarState.CANCELLED
        told = as_told(r, off, seminar.cancel_reason)
        return cls(
            reference=r.reference,
            status=told.status,
            status_label=told.label,
            cancel_reason=told.reason,
            position=None if off else own.position,
            name=r.name,
            organisation=r.organisation,
            role=r.role.value,
            role_label=ROLE_LABELS[r.role],
            municipality=Town.of(r.municipality),
            mode=r.mode.value,
            mode_label=MODE_LABELS[r.mode],
            place=PlaceOut.of(own.place),
            seminar=SeminarSummary.of(seminar),
            stream_url=None if off else own.stream_url,
            checked_in=r.checked_in_at is not None,
            feedback_given=own.feedback_given,
            certificate_available=own.certificate_available,
        )


class CancelledOut(Out):
    reference: str
    status: str
    status_label: str
    promoted: int

    @classmethod
    def of(cls, r: Registration, promoted: int) -> CancelledOut:
        cancelled = RegistrationStatus.CANCELLED
        return cls(
            reference=r.reference,
            status=cancelled.value,
            status_label=cancelled.label,
            promoted=promoted,
        )
