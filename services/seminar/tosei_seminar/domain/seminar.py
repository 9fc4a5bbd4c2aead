"""A seminar's life: planned → scheduled → registration open → registration closed → held.

A seminar may be cancelled at any point before it is held. Closed registration may be opened
again (a late decision to take more people); nothing leaves ``held`` or ``cancelled``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from tosei_common.platform.errors import Conflict, InvalidTransition, Unprocessable
from tosei_common.region.fiscal import TOKYO, fiscal_year, fiscal_year_bounds, fiscal_year_display


class SeminarState(StrEnum):
    PLANNED = "planned"
    SCHEDULED = "scheduled"
    REGISTRATION_OPEN = "registration_open"
    REGISTRATION_CLOSED = "registration_closed"
    HELD = "held"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS: dict[SeminarState, str] = {
    SeminarState.PLANNED: "企画中",
    SeminarState.SCHEDULED: "開催決定",
    SeminarState.REGISTRATION_OPEN: "申込受付中",
    SeminarState.REGISTRATION_CLOSED: "申込締切",
    SeminarState.HELD: "開催済み",
    SeminarState.CANCELLED: "中止",
}

_ALLOWED: dict[SeminarState, frozenset[SeminarState]] = {
    SeminarState.PLANNED: frozenset({SeminarState.SCHEDULED, SeminarState.CANCELLED}),
    SeminarState.SCHEDULED: frozenset({SeminarState.REGISTRATION_OPEN, SeminarState.CANCELLED}),
    SeminarState.REGISTRATION_OPEN: frozenset(
        {SeminarState.REGISTRATION_CLOSED, SeminarState.CANCELLED}
    ),
    SeminarState.REGISTRATION_CLOSED: frozenset(
        {SeminarState.HELD, SeminarState.REGISTRATION_OPEN, SeminarState.CANCELLED}
    ),
    SeminarState.HELD: frozenset(),
    SeminarState.CANCELLED: frozenset(),
}

#: States in which the public sees the seminar.
PUBLISHED = frozenset(
    {
        SeminarState.SCHEDULED,
        SeminarState.REGISTRATION_OPEN,
        SeminarState.REGISTRATION_CLOSED,
        SeminarState.HELD,
        SeminarState.CANCELLED,
    }
)
#: States in which the venue, sites and online seats may still change.
ARRANGEABLE = frozenset(
    {
        SeminarState.PLANNED,
        SeminarState.SCHEDULED,
        SeminarState.REGISTRATION_OPEN,
        SeminarState.REGISTRATION_CLOSED,
    }
)
#: The day itself: registrants are checked in while registration is open or closed.
CHECK_IN = frozenset({SeminarState.REGISTRATION_OPEN, SeminarState.REGISTRATION_CLOSED})


@dataclass(frozen=True)
class Readiness:
    """What a seminar has, as far as the transitions care."""

    has_schedule: bool
    has_venue: bool
    has_stream: bool
    remote_places: int  # viewing sites and the online place
    checked_in: int


def next_state(
    current: SeminarState, target: SeminarState, ready: Readiness, reason: str | None
) -> SeminarState:
    """The state after moving ``current`` to ``target``, or the reason it cannot move."""
    if target not in _ALLOWED[current]:
        allowed = ", ".join(sorted(s.value for s in _ALLOWED[current])) or "none"
        raise InvalidTransition(
            f"a seminar that is {current.value} ({current.label}) cannot become "
            f"{target.value} ({target.label}); from {current.value} it can become: {allowed}",
            state=current.value,
        )
    if target is SeminarState.SCHEDULED:
        missing = [
            what
            for what, ok in (("a date and time", ready.has_schedule), ("a venue", ready.has_venue))
            if not ok
        ]
        if missing:
            raise Conflict(f"to schedule the seminar, give it {' and '.join(missing)} first")
    if target is SeminarState.REGISTRATION_OPEN and ready.remote_places and not ready.has_stream:
        raise Conflict(
            "viewing sites and online attendees watch the stream: set the stream URL "
            "(PUT /seminars/{id}/online) before opening registration"
        )
    if target is SeminarState.HELD and ready.checked_in == 0:
        raise Conflict("nobody has been checked in: check attendees in before marking it held")
    if target is SeminarState.CANCELLED and not (reason and reason.strip()):
        raise Unprocessable(
            "say why the seminar is cancelled", fields={"reason": "required to cancel"}
        )
    return target


@dataclass(frozen=True)
class Schedule:
    starts_at: datetime
    ends_at: datetime


def schedule(fy: int, day: date, start: time, end: time) -> Schedule:
    """The seminar's start and end as moments, checked against its fiscal year.

    The times are Japan's clock times: a time carrying a zone or offset is refused (the request
    model refuses it first), never compared with a naive one nor stripped of its offset.
    """
    zoned = {k: "without a time zone" for k, t in (("start_time", start), ("end_time", end))
             if t.tzinfo is not None}  # fmt: skip
    if zoned:
        raise Unprocessable("the seminar's times are Japan times, without a zone", fields=zoned)
    if end <= start:
        raise Unprocessable(
            "the seminar must end after it starts",
            fields={"end_time": f"after the start time {start:%H:%M}"},
        )
    if fiscal_year(day) != fy:
        first, last = fiscal_year_bounds(fy)
        raise Unprocessable(
            f"the seminar of {fiscal_year_display(fy)} takes place between {first} and {last}",
            fields={"date": f"{day} is in FY{fiscal_year(day)}"},
        )
    return Schedule(
        datetime.combine(day, start, tzinfo=TOKYO), datetime.combine(day, end, tzinfo=TOKYO)
    )
