"""Events of the seminar service (the joint home-medical-care seminar, 在宅医療合同研修会).

Registration events carry the registrant's role, town and mode of attendance and the place's
counts, never a name, contact, organisation or comment. Both topics are keyed by the seminar, so
an integrator reads one seminar's counts in the order they changed. Once a seminar is scheduled,
a new date (``seminar.rescheduled``) and changed seats (``place.changed``) are published too, so
what integrators hold never goes stale.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from tosei_common.platform.events import Event
from tosei_common.platform.topics import Topic

SEMINARS = Topic(
    "tosei.seminar.seminars",
    "Lifecycle of the joint home-care seminars: scheduled, rescheduled, registration opened "
    "and closed, held (with attendance figures) or cancelled; attendance figures corrected "
    "after the day.",
    partitions=3,
)
REGISTRATIONS = Topic(
    "tosei.seminar.registrations",
    "Registrations for a seminar and the seats of its places: accepted, wait-listed, promoted "
    "from the wait list, cancelled; a place's seats or town changed. Keyed by the seminar, so "
    "one seminar's counts arrive in order.",
    partitions=3,
)


class AttendeeRole(StrEnum):
    """What the registrant does (職種)."""

    PHYSICIAN = "physician"  # 医師
    NURSE = "nurse"  # 看護師
    VISITING_NURSE = "visiting_nurse"  # 訪問看護師
    CARE_WORKER = "care_worker"  # 介護職員
    CARE_MANAGER = "care_manager"  # 介護支援専門員
    PHARMACIST = "pharmacist"  # 薬剤師
    DENTAL = "dental"  # 歯科医師・歯科衛生士
    RESIDENT = "resident"  # 住民
    OTHER = "other"  # その他


class AttendanceMode(StrEnum):
    """How a registrant attends."""

    VENUE = "venue"  # at the main venue (会場)
    VIEWING_SITE = "viewing_site"  # at a viewing site in their own town (サテライト会場)
    ONLINE = "online"  # online from anywhere (オンライン)


class PriorStatus(StrEnum):
    """Where a cancelled registration stood before it was cancelled."""

    ACCEPTED = "accepted"
    WAITLISTED = "waitlisted"


_SEMINAR_ID = Field(description="The seminar.", examples=["3f1c2a9e-6b7d-4e8f-9a0b-1c2d3e4f5a6b"])
_FISCAL_YEAR = Field(
    ge=2021, le=2200, description="Fiscal year (April–March) of the seminar.", examples=[2026]
)
_HOST = Field(
    pattern=r"^\d{6}$",
    description="全国地方公共団体コード of the hosting municipality (the rotation's host).",
    examples=["022012"],
)
_REGISTRATION_ID = Field(
    description="Pseudonymous id of the registration (the same across its events).",
    examples=["9b2e4c6a-1d3f-4a5b-8c7d-0e1f2a3b4c5d"],
)
_PLACE_ID = Field(
    description="The place attended: the main venue, one viewing site, or the online stream.",
    examples=["5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a"],
)
_ROLE = Field(description="The registrant's role (職種).", examples=["visiting_nurse"])
_TOWN = Field(
    pattern=r"^\d{6}$",
    description="全国地方公共団体コード of the registrant's municipality.",
    examples=["023019"],
)
_MODE = Field(description="How the registrant attends.", examples=["viewing_site"])
_CAPACITY = Field(ge=0, description="Seats of the place.", examples=[40])
_SEATED = Field(
    ge=0, description="Accepted registrations of the place after this change.", examples=[12]
)
_WAITING = Field(ge=0, description="Wait list length of the place after this change.", examples=[0])


class SeminarScheduled(Event):
    """The seminar has a date, a host and a main venue; it can open for registration next."""

    ce_type: ClassVar[str] = "jp.tosei.seminar.seminar.scheduled.v1"
    topic: ClassVar[Topic] = SEMINARS
    subject_field: ClassVar[str] = "seminar_id"

    seminar_id: UUID = _SEMINAR_ID
    fiscal_year: int = _FISCAL_YEAR
    host_municipality: str = _HOST
    starts_at: datetime = Field(description="Start (UTC).", examples=["2026-10-17T04:30:00Z"])
    ends_at: datetime = Field(description="End (UTC).", examples=["2026-10-17T07:30:00Z"])
    venue_municipality: str = Field(
        pattern=r"^\d{6}$", description="Municipality of the main venue.", examples=["022012"]
    )
    venue_capacity: int = Field(ge=0, description="Seats at the main venue.", examples=[200])
    scheduled_at: datetime = Field(examples=["2026-06-01T00:00:00Z"])


class SeminarRescheduled(Event):
    """A scheduled seminar moved to another day or other times; its new start and end.

    Published only after ``seminar.scheduled`` (before, the dates are not announced) and only
    when the start or the end actually changed.
    """

    ce_type: ClassVar[str] = "jp.tosei.seminar.seminar.rescheduled.v1"
    topic: ClassVar[Topic] = SEMINARS
    subject_field: ClassVar[str] = "seminar_id"

    seminar_id: UUID = _SEMINAR_ID
    fiscal_year: int = _FISCAL_YEAR
    starts_at: datetime = Field(description="New start (UTC).", examples=["2026-10-24T01:00:00Z"])
    ends_at: datetime = Field(description="New end (UTC).", examples=["2026-10-24T03:30:00Z"])
    rescheduled_at: datetime = Field(
        description="When the coordinator changed it.", examples=["2026-09-01T02:00:00Z"]
    )


class SeminarRegistrationOpened(Event):
    """Registration opened; the places and their seats as they are now."""

    ce_type: ClassVar[str] = "jp.tosei.seminar.seminar.registration_opened.v1"
    topic: ClassVar[Topic] = SEMINARS
    subject_field: ClassVar[str] = "seminar_id"

    seminar_id: UUID = _SEMINAR_ID
    fiscal_year: int = _FISCAL_YEAR
    venue_capacity: int = Field(ge=0, description="Seats at the main venue.", examples=[200])
    viewing_site_capacity: int = Field(
        ge=0, description="Seats at all viewing sites together.", examples=[60]
    )
    online_capacity: int = Field(ge=0, description="Online connections.", examples=[300])
    opened_at: datetime = Field(examples=["2026-08-01T00:00:00Z"])


class SeminarRegistrationClosed(Event):
    """Registration closed; the numbers registered by then."""

    ce_type: ClassVar[str] = "jp.tosei.seminar.seminar.registration_closed.v1"
    topic: ClassVar[Topic] = SEMINARS
    subject_field: ClassVar[str] = "seminar_id"

    seminar_id: UUID = _SEMINAR_ID
    accepted: int = Field(ge=0, description="Accepted registrations in all modes.", examples=[412])
    waitlisted: int = Field(ge=0, description="Still on a wait list.", examples=[8])
    closed_at: datetime = Field(examples=["2026-10-10T09:00:00Z"])


class _AttendanceFigures(Event):
    """A seminar's attendance figures (checked-in registrants), as held or as corrected."""

    seminar_id: UUID = _SEMINAR_ID
    fiscal_year: int = _FISCAL_YEAR
    host_municipality: str = _HOST
    held_on: date = Field(description="The day it took place (Japan).", examples=["2026-10-17"])
    registered: int = Field(ge=0, description="Accepted registrations.", examples=[412])
    attended: int = Field(ge=0, description="Registrants who checked in.", examples=[371])
    attended_by_mode: dict[AttendanceMode, int] = Field(
        description="Attendees per mode (modes nobody used, and those named in `suppressed`, "
        "are left out).",
        examples=[{"venue": 180, "viewing_site": 51, "online": 140}],
    )
    attended_by_municipality: dict[str, int] = Field(
        description="Attendees per municipality code (towns nobody came from, and those named "
        "in `suppressed`, are left out).",
        examples=[{"022012": 250, "023019": 60, "023078": 61}],
    )
    attended_by_role: dict[AttendeeRole, int] = Field(
        description="Attendees per role (roles nobody had, and those named in `suppressed`, "
        "are left out).",
        examples=[{"nurse": 120, "visiting_nurse": 60, "care_manager": 90, "resident": 101}],
    )
    suppressed: list[str] = Field(
        default_factory=list,
        description="Groups left out of the three breakdowns above so that no figure "
        "identifies a person (秘匿): `<field>.<key>` of each, sorted. A group of fewer than "
        "`suppression_threshold` attendees is left out, and where it is a breakdown's only one "
        "left out, the next smallest too (the total minus the others would give it back). "
        "A key that is neither present nor named here had nobody. Absent (empty) in events "
        "published before this field existed.",
        examples=[["attended_by_municipality.023035", "attended_by_municipality.023043"]],
    )
    suppression_threshold: int | None = Field(
        default=None,
        ge=1,
        description="Groups of fewer attendees than this are left out (the council's setting, "
        "TOSEI_SMALL_CELL_THRESHOLD; 1: none are). Null in events published before.",
        examples=[3],
    )


class SeminarHeld(_AttendanceFigures):
    """The seminar took place; its attendance figures (checked-in registrants)."""

    ce_type: ClassVar[str] = "jp.tosei.seminar.seminar.held.v1"
    topic: ClassVar[Topic] = SEMINARS
    subject_field: ClassVar[str] = "seminar_id"

    held_at: datetime = Field(examples=["2026-10-17T08:00:00Z"])


class SeminarAttendanceCorrected(_AttendanceFigures):
    """A coordinator corrected who attended a held seminar (a missed check-in, a mistaken one):
    the whole figures as they now stand, replacing those of ``seminar.held`` or of an earlier
    correction. The reason and who was corrected stay in the service's audit trail."""

    ce_type: ClassVar[str] = "jp.tosei.seminar.seminar.attendance_corrected.v1"
    topic: ClassVar[Topic] = SEMINARS
    subject_field: ClassVar[str] = "seminar_id"

    corrected_at: datetime = Field(examples=["2026-10-20T01:30:00Z"])


class SeminarCancelled(Event):
    """The seminar was cancelled (before it was held)."""

    ce_type: ClassVar[str] = "jp.tosei.seminar.seminar.cancelled.v1"
    topic: ClassVar[Topic] = SEMINARS
    subject_field: ClassVar[str] = "seminar_id"

    seminar_id: UUID = _SEMINAR_ID
    fiscal_year: int = _FISCAL_YEAR
    active_registrations: int = Field(
        ge=0, description="Registrations (accepted or waiting) it had.", examples=[35]
    )
    cancelled_at: datetime = Field(examples=["2026-09-20T02:00:00Z"])


class _PlaceChange(Event):
    """What every registration event carries: who (pseudonymously), where, and the place's counts
    after the change. Not an event itself (it has no ``ce_type``)."""

    topic: ClassVar[Topic] = REGISTRATIONS
    subject_field: ClassVar[str] = "seminar_id"

    seminar_id: UUID = _SEMINAR_ID
    registration_id: UUID = _REGISTRATION_ID
    place_id: UUID = _PLACE_ID
    role: AttendeeRole = _ROLE
    municipality: str = _TOWN
    mode: AttendanceMode = _MODE
    capacity: int = _CAPACITY
    seated: int = _SEATED
    waiting: int = _WAITING


# The outbox's aggregate is the seminar (the key of the topic), so each event says so itself:
# the catalogue would otherwise name it after the entity in ce_type.


class RegistrationAccepted(_PlaceChange):
    """A registrant got a seat at their place."""

    ce_type: ClassVar[str] = "jp.tosei.seminar.registration.accepted.v1"
    aggregate_type: ClassVar[str] = "seminar"

    accepted_at: datetime = Field(examples=["2026-08-03T01:15:00Z"])


class RegistrationWaitlisted(_PlaceChange):
    """The place was full: the registrant is on its wait list, at ``position``."""

    ce_type: ClassVar[str] = "jp.tosei.seminar.registration.waitlisted.v1"
    aggregate_type: ClassVar[str] = "seminar"

    position: int = Field(ge=1, description="Position on the place's wait list.", examples=[3])
    waitlisted_at: datetime = Field(examples=["2026-09-30T03:00:00Z"])


class RegistrationPromoted(_PlaceChange):
    """A seat came free (a cancellation, or more seats): the first waiting registrant got it."""

    ce_type: ClassVar[str] = "jp.tosei.seminar.registration.promoted.v1"
    aggregate_type: ClassVar[str] = "seminar"

    promoted_at: datetime = Field(examples=["2026-10-01T05:00:00Z"])


class RegistrationCancelled(_PlaceChange):
    """A registration was cancelled (by the registrant with their reference, or by staff)."""

    ce_type: ClassVar[str] = "jp.tosei.seminar.registration.cancelled.v1"
    aggregate_type: ClassVar[str] = "seminar"

    was: PriorStatus = Field(description="Accepted or waiting before.", examples=["accepted"])
    cancelled_at: datetime = Field(examples=["2026-10-01T05:00:00Z"])


class PlaceChanged(Event):
    """A place's seats or town changed after the seminar was scheduled: another hall chosen as
    the main venue, the online seats or a viewing site's seats set, a viewing site added or
    removed. Not published for a new name or stream address alone.

    ``seated`` and ``waiting`` are the place's counts as the change found them; when it added
    seats, the ``registration.promoted`` events that follow move the wait list into them.
    """

    ce_type: ClassVar[str] = "jp.tosei.seminar.place.changed.v1"
    topic: ClassVar[Topic] = REGISTRATIONS
    subject_field: ClassVar[str] = "seminar_id"
    aggregate_type: ClassVar[str] = "seminar"

    seminar_id: UUID = _SEMINAR_ID
    place_id: UUID = _PLACE_ID
    mode: AttendanceMode = Field(
        description="What the place is: the main venue, a viewing site, or the online stream.",
        examples=["venue"],
    )
    municipality: str | None = Field(
        pattern=r"^\d{6}$",
        description="全国地方公共団体コード of the place's town; null for the online stream.",
        examples=["023019"],
    )
    capacity: int = Field(
        ge=0, description="Seats of the place now (0 when it was removed).", examples=[150]
    )
    seated: int = Field(ge=0, description="Accepted registrations of the place.", examples=[100])
    waiting: int = Field(ge=0, description="Wait list length of the place.", examples=[4])
    removed: bool = Field(
        description="The viewing site was removed (nobody had registered for it).",
        examples=[False],
    )
    changed_at: datetime = Field(
        description="When the coordinator changed it.", examples=["2026-09-01T02:00:00Z"]
    )
