"""The yearly briefing for the prefecture (重点事業説明会): when and where, who attends for the
towns (the five heads, or a deputy when a head cannot attend) and for the prefecture, and the
minutes afterwards. One briefing per fiscal year; a reschedule is a revision that keeps the
history.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from tosei_common.catalogue.requests import BriefingScheduled
from tosei_common.platform.errors import Conflict, InvalidTransition, Message, Unprocessable
from tosei_common.platform.events import Event
from tosei_common.region.fiscal import (
    fiscal_year_bounds,
    fiscal_year_label,
    japanese_date,
    tokyo_date,
)
from tosei_common.region.municipalities import municipality
from tosei_requests.domain.departments import Department, ensure_departments
from tosei_requests.domain.labels import head_title
from tosei_requests.domain.revisions import (
    FieldChange,
    created,
    diff,
    ensure_changed,
    ensure_reason,
)


class Office(StrEnum):
    HEAD = "head"  # 市町村長
    DEPUTY = "deputy"  # 副市町村長, when the head cannot attend


class Grouping(StrEnum):
    """How the council groups the agenda."""

    JOINT_THEN_TOWN = "joint_then_town"  # joint items first, then each town's own
    JOINT_ORDER = "joint_order"  # one list in the joint order


class TownAttendee(BaseModel):
    model_config = ConfigDict(frozen=True)

    municipality: str
    office: Office
    name: str | None = None

    @property
    def title(self) -> str:
        return head_title(self.municipality, deputy=self.office is Office.DEPUTY)


class PrefecturalAttendee(BaseModel):
    model_config = ConfigDict(frozen=True)

    title: str  # 副知事, 企画政策部長, …
    name: str | None = None
    department: str | None = None


class Schedule(BaseModel):
    """What scheduling (and rescheduling) a briefing says."""

    model_config = ConfigDict(frozen=True)

    starts_at: datetime
    ends_at: datetime
    place: str
    attendees: tuple[TownAttendee, ...] = ()
    prefectural_attendees: tuple[PrefecturalAttendee, ...] = ()

    @property
    def held_on(self) -> date:
        return tokyo_date(self.starts_at)


SCHEDULE_FIELDS: tuple[str, ...] = tuple(Schedule.model_fields)


class Briefing(Schedule):
    id: UUID
    fiscal_year: int
    minutes: str | None = None
    minutes_recorded_at: datetime | None = None
    agenda: tuple[UUID, ...] = ()
    grouping: Grouping = Grouping.JOINT_THEN_TOWN
    agenda_version: int = 0
    agenda_fixed_at: datetime | None = None
    book_published_at: datetime | None = None
    version: int = 1

    @property
    def agenda_fixed(self) -> bool:
        return self.agenda_fixed_at is not None

    @property
    def published(self) -> bool:
        return self.book_published_at is not None

    @property
    def label(self) -> str:
        return f"{fiscal_year_label(self.fiscal_year)}重点事業説明会"


@dataclass(frozen=True)
class BriefingChange:
    action: str
    briefing: Briefing
    changes: dict[str, FieldChange]
    reason: str | None = None
    events: tuple[Event, ...] = ()
    created: bool = False


def check_schedule(
    fiscal_year: int, schedule: Schedule, departments: Mapping[str, Department]
) -> None:
    """Held within its fiscal year, ending after it starts, each town once."""
    first, last = fiscal_year_bounds(fiscal_year)
    held_on = schedule.held_on
    if not first <= held_on <= last:
        raise Unprocessable(
            f"説明会の日（{japanese_date(held_on)}）が{fiscal_year_label(fiscal_year)}"
            f"（{japanese_date(first)}〜{japanese_date(last)}）の外です",
            en=f"held_on {held_on} is outside fiscal year {fiscal_year} ({first} to {last})",
            fields={
                "held_on": Message(
                    f"{fiscal_year_label(fiscal_year)}の日付にしてください",
                    f"must be within FY{fiscal_year}",
                )
            },
        )
    if schedule.ends_at <= schedule.starts_at:
        raise Unprocessable(
            "終了時刻が開始時刻より後になっていません",
            en="ends_at is not after starts_at",
            fields={"ends_at": Message("開始時刻より後にしてください", "must be after starts_at")},
        )
    towns = [a.municipality for a in schedule.attendees]
    repeated = sorted({t for t in towns if towns.count(t) > 1})
    if repeated:
        names = "、".join(municipality(t).name for t in repeated)
        raise Unprocessable(
            f"出席者に{names}が2回以上あります（各市町村から首長か代理の1名です）",
            en=f"attendees name {', '.join(repeated)} more than once (one per town)",
            fields={"attendees": Message(f"{names}が重複しています", "one per town")},
        )
    for i, attendee in enumerate(schedule.prefectural_attendees):
        if attendee.department is not None:
            ensure_departments(
                [attendee.department],
                departments,
                field=f"prefectural_attendees.{i}.department",
                allow_retired=[attendee.department],
            )


def schedule_briefing(
    briefing_id: UUID,
    fiscal_year: int,
    schedule: Schedule,
    departments: Mapping[str, Department],
    *,
    at: datetime,
) -> BriefingChange:
    check_schedule(fiscal_year, schedule, departments)
    briefing = Briefing(**schedule.model_dump(), id=briefing_id, fiscal_year=fiscal_year)
    return BriefingChange(
        "scheduled",
        briefing,
        created(briefing, SCHEDULE_FIELDS),
        events=(_scheduled(briefing, at, rescheduled=False),),
        created=True,
    )


def reschedule_briefing(
    briefing: Briefing,
    schedule: Schedule,
    departments: Mapping[str, Department],
    *,
    reason: str | None,
    at: datetime,
) -> BriefingChange:
    if briefing.minutes is not None:
        raise InvalidTransition(
            f"{briefing.label}は開催済み（議事録を記録済み）のため、日程は変更できません",
            en="the briefing was held (its minutes are recorded); it cannot be rescheduled",
        )
    check_schedule(briefing.fiscal_year, schedule, departments)
    ensure_reason(reason, Message("日程・出席者の変更です", "a reschedule says why"))
    revised = briefing.model_copy(update={**dict(schedule), "version": briefing.version + 1})
    changes = diff(briefing, revised, SCHEDULE_FIELDS)
    ensure_changed(changes, SCHEDULE_FIELDS, briefing.label)
    return BriefingChange(
        "rescheduled", revised, changes, reason, (_scheduled(revised, at, rescheduled=True),)
    )


def _scheduled(briefing: Briefing, at: datetime, *, rescheduled: bool) -> BriefingScheduled:
    offices = [a.office for a in briefing.attendees]
    return BriefingScheduled(
        briefing_id=briefing.id,
        fiscal_year=briefing.fiscal_year,
        starts_at=briefing.starts_at,
        ends_at=briefing.ends_at,
        heads_attending=offices.count(Office.HEAD),
        deputies_attending=offices.count(Office.DEPUTY),
        rescheduled=rescheduled,
        version=briefing.version,
        scheduled_at=at,
    )


def record_minutes(
    briefing: Briefing, minutes: str, *, reason: str | None, at: datetime
) -> BriefingChange:
    """The minutes, once the briefing has ended; a correction says why."""
    if at < briefing.ends_at:
        raise Unprocessable(
            f"{briefing.label}はまだ終わっていません（終了 {briefing.ends_at:%Y-%m-%d %H:%M}）。"
            "議事録は説明会の後に記録してください",
            en=f"the briefing has not ended yet (it ends {briefing.ends_at.isoformat()})",
            fields={"minutes": Message("説明会の終了後に記録できます", "after the briefing")},
        )
    if briefing.minutes is not None:
        ensure_reason(reason, Message("議事録の訂正です", "a correction says why"))
    revised = briefing.model_copy(
        update={
            "minutes": minutes,
            "minutes_recorded_at": briefing.minutes_recorded_at or at,
            "version": briefing.version + 1,
        }
    )
    changes = diff(briefing, revised, ("minutes",))
    ensure_changed(changes, ("minutes",), briefing.label)
    action = "minutes_corrected" if briefing.minutes is not None else "minutes_recorded"
    return BriefingChange(action, revised, changes, reason)


def publish_book(briefing: Briefing, *, at: datetime) -> BriefingChange:
    """The request book goes public (with the answers as they come)."""
    if not briefing.agenda_fixed:
        raise InvalidTransition(
            f"{briefing.label}の議題が確定していないため、要望書は公開できません",
            en="the agenda is not fixed; the request book cannot be published",
        )
    if briefing.published:
        raise Conflict(
            f"{briefing.label}の要望書は公開済みです", en="the request book is published already"
        )
    revised = briefing.model_copy(update={"book_published_at": at, "version": briefing.version + 1})
    return BriefingChange(
        "book_published", revised, diff(briefing, revised, ("book_published_at",))
    )
