"""A seminar's life: planned → scheduled → registration open → registration closed → held.

A seminar may be cancelled at any point before it is held. Closed registration may be opened
again (a late decision to take more people); nothing leaves ``held`` or ``cancelled``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any
from uuid import UUID

from tosei_common.catalogue.seminar import SeminarRescheduled
from tosei_common.platform.errors import (
    Conflict,
    InvalidTransition,
    Message,
    Unprocessable,
)
from tosei_common.platform.events import Event
from tosei_common.region.fiscal import (
    TOKYO,
    fiscal_year,
    fiscal_year_bounds,
    fiscal_year_display,
    fiscal_year_label,
    japanese_date,
)


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
#: States in which the venue, sites and online seats, the title, date and speakers may change.
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
#: While these hold, a registrant may still cancel (and so free a seat for the wait list).
CANCELLABLE = frozenset({SeminarState.REGISTRATION_OPEN, SeminarState.REGISTRATION_CLOSED})
#: Feedback is given on the day or afterwards.
FEEDBACK = frozenset({*CHECK_IN, SeminarState.HELD})
#: Registrations are taken only while registration is open.
REGISTERING = frozenset({SeminarState.REGISTRATION_OPEN})


@dataclass(frozen=True)
class Seminar:
    id: UUID
    fiscal_year: int
    title: str
    host_municipality: str
    state: SeminarState
    starts_at: datetime | None
    ends_at: datetime | None
    stream_url: str | None
    chosen_venue_id: UUID | None
    cancel_reason: str | None
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
    #: When it was first scheduled (``seminar.scheduled`` published); None: never announced.
    announced_at: datetime | None = None

    @property
    def announced(self) -> bool:
        """Whether integrators know the seminar (``seminar.scheduled`` was published): from then
        on a change to what they were told is published too."""
        return self.announced_at is not None or self.state not in (
            SeminarState.PLANNED,
            SeminarState.CANCELLED,
        )

    @property
    def published(self) -> bool:
        """Whether the public sees it: to them a planned seminar does not exist yet, and a
        draft cancelled before it was ever announced never will."""
        return self.state in PUBLISHED and self.announced

    def changed(self, actor: str, at: datetime, **values: Any) -> Seminar:
        """The seminar with new values, recorded as changed by ``actor`` at ``at``."""
        return replace(self, updated_by=actor, updated_at=at, **values)


@dataclass(frozen=True)
class SeminarChange:
    """What a command did to a seminar: the seminar after it, what the audit records, and the
    events that announce it."""

    seminar: Seminar
    changes: dict[str, Any]
    events: tuple[Event, ...] = ()


def ensure_state(seminar: Seminar, states: Collection[SeminarState], doing: Message) -> Seminar:
    """The seminar, or a 409 saying why ``doing`` cannot be done in its state."""
    if seminar.state not in states:
        raise InvalidTransition(
            f"この研修会は「{seminar.state.label}」のため、{doing.ja}はできません",
            en=f"the seminar is {seminar.state.value} ({seminar.state.label}): "
            f"cannot {doing.en} now",
            state=seminar.state.value,
        )
    return seminar


# the schedule -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    starts_at: datetime
    ends_at: datetime


def schedule(fy: int, day: date, start: time, end: time) -> Schedule:
    """The seminar's start and end as moments, checked against its fiscal year.

    The times are Japan's clock times: a time carrying a zone or offset is refused (the request
    model refuses it first), never compared with a naive one nor stripped of its offset.
    """
    times = (("start_time", start), ("end_time", end))
    without = Message("タイムゾーンを付けずに入力してください", "without a time zone")
    zoned = {k: without for k, t in times if t.tzinfo is not None}
    if zoned:
        raise Unprocessable(
            "研修会の時刻は日本時間で、タイムゾーンを付けずに入力してください",
            en="the seminar's times are Japan times, without a zone",
            fields=zoned,
        )
    if end <= start:
        raise Unprocessable(
            "終了時刻は開始時刻より後にしてください",
            en="the seminar must end after it starts",
            fields={
                "end_time": Message(
                    f"開始時刻{start:%H:%M}より後にしてください",
                    f"after the start time {start:%H:%M}",
                )
            },
        )
    if fiscal_year(day) != fy:
        first, last = fiscal_year_bounds(fy)
        raise Unprocessable(
            f"{fiscal_year_display(fy)}の研修会は{japanese_date(first)}から"
            f"{japanese_date(last)}までの間に開催します",
            en=f"the seminar of {fiscal_year_display(fy)} takes place between {first} and {last}",
            fields={
                "date": Message(
                    f"{japanese_date(day)}は{fiscal_year_label(fiscal_year(day))}です",
                    f"{day} is in FY{fiscal_year(day)}",
                )
            },
        )
    return Schedule(
        datetime.combine(day, start, tzinfo=TOKYO), datetime.combine(day, end, tzinfo=TOKYO)
    )


def schedule_from(
    fy: int, day: date | None, start: time | None, end: time | None
) -> Schedule | None:
    """The seminar's times from a date, a start and an end time: all three, or none."""
    given = {"date": day, "start_time": start, "end_time": end}
    if all(v is None for v in given.values()):
        return None
    if day is None or start is None or end is None:
        raise Unprocessable(
            "開催日・開始時刻・終了時刻はそろえて入力してください",
            en="give the date, the start time and the end time together",
            fields={
                k: Message("ほかの二つと一緒に入力してください", "required with the others")
                for k, v in given.items()
                if v is None
            },
        )
    return schedule(fy, day, start, end)


# planning ---------------------------------------------------------------------------------------

EDITING = Message("内容の変更", "change it")


def plan(
    seminar_id: UUID,
    fy: int,
    title: str,
    when: Schedule | None,
    *,
    host: str,
    existing: Seminar | None,
    actor: str,
    at: datetime,
) -> Seminar:
    """A new seminar of a fiscal year: one a year (a cancelled one does not count)."""
    if existing is not None:
        raise Conflict(
            f"{fiscal_year_display(fy)}の研修会はすでにあります（{existing.id}）。"
            "合同研修会は年に一度です",
            en=f"FY{fy} has its seminar already ({existing.id}); one joint seminar is held a year",
            seminar_id=str(existing.id),
        )
    return Seminar(
        id=seminar_id,
        fiscal_year=fy,
        title=title,
        host_municipality=host,
        state=SeminarState.PLANNED,
        starts_at=when.starts_at if when else None,
        ends_at=when.ends_at if when else None,
        stream_url=None,
        chosen_venue_id=None,
        cancel_reason=None,
        created_by=actor,
        created_at=at,
        updated_by=actor,
        updated_at=at,
    )


def revise(
    seminar: Seminar, *, title: str | None, when: Schedule | None, actor: str, at: datetime
) -> SeminarChange:
    """A new title or new times; once the seminar is announced, new times are published."""
    ensure_state(seminar, ARRANGEABLE, EDITING)
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = title
    if when is not None:
        changes |= {"starts_at": when.starts_at, "ends_at": when.ends_at}
    after = seminar.changed(actor, at, **changes)
    events: list[Event] = []
    moved = (after.starts_at, after.ends_at) != (seminar.starts_at, seminar.ends_at)
    if when is not None and seminar.announced and moved:
        events.append(
            SeminarRescheduled(
                seminar_id=seminar.id,
                fiscal_year=seminar.fiscal_year,
                starts_at=when.starts_at,
                ends_at=when.ends_at,
                rescheduled_at=at,
            )
        )
    return SeminarChange(after, changes, tuple(events))
