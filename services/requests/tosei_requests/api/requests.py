"""Request bodies and the shared input types: what people type, taken the platform's way."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from tosei_common.catalogue.requests import AnswerStatus
from tosei_common.platform.errors import InputError, Message, Unprocessable
from tosei_common.region.fiscal import TOKYO, DateParseError, parse_date
from tosei_common.region.inputs import FiscalYear, FreeText, check_municipality
from tosei_requests.domain.briefing import (
    Grouping,
    Office,
    PrefecturalAttendee,
    Schedule,
    TownAttendee,
)
from tosei_requests.domain.request_item import RequestContent
from tosei_requests.domain.status import ItemStatus

#: The joint requests began in FY2020 (until FY2019 Aomori City briefed the prefecture alone).
FIRST_YEAR = 2020
Year = Annotated[int, FiscalYear(first=FIRST_YEAR, last=2100)]
Title = Annotated[str, FreeText(200)]
LongText = Annotated[str, FreeText(4000, multiline=True)]
Reason = Annotated[str | None, FreeText(500, multiline=True)]
Name = Annotated[str | None, FreeText(100)]
DepartmentCode = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,30}$", max_length=31)]


def town_code(value: object) -> object:
    """A town as people type it (青森, 外ケ浜町, 023019) → its code."""
    return check_municipality(value) if isinstance(value, str) else value


def day(value: object) -> object:
    """A date as people type it in Japan (2020/10/16, 令和2年10月16日, R2.10.16)."""
    if not isinstance(value, str):
        return value
    try:
        return parse_date(value[:40])
    except DateParseError:
        raise InputError(
            "日付として読めません（例: 2020/10/16、令和2年10月16日）",
            f"{value[:40]!r} is not a date (e.g. 2020/10/16)",
        ) from None


def japan_time(value: object) -> object:
    """A time of day in Japan: 11:00, １１：００; a time with a zone is refused."""
    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value


def _without_zone(value: time) -> time:
    if value.tzinfo is not None:
        raise InputError(
            "時刻は日本時間で、タイムゾーンを付けずに入力してください（例: 11:00）",
            "give the time in Japan time without a zone (e.g. 11:00)",
        )
    return value


Town = Annotated[str, BeforeValidator(town_code), Field(max_length=40)]
Day = Annotated[date, BeforeValidator(day)]
TimeOfDay = Annotated[time, BeforeValidator(japan_time), AfterValidator(_without_zone)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ItemContentIn(Body):
    title: Title = Field(description="要望事項（件名）")
    body: LongText = Field(description="要望内容: what the towns ask the prefecture.")
    background: LongText = Field(description="現状と課題: why.")
    departments: list[DepartmentCode] = Field(
        min_length=1, max_length=10, description="Codes of the departments addressed."
    )
    municipalities: list[Town] = Field(
        min_length=1,
        max_length=5,
        description="The requesting towns (青森市, 平内町, …); several make a joint item.",
    )
    town_priority: int | None = Field(default=None, ge=1, le=999)
    requested_amount_yen: int | None = Field(default=None, ge=0, le=10**13)
    plan_item_ids: list[UUID] = Field(default_factory=list, max_length=20)

    def content(self) -> RequestContent:
        return RequestContent.model_validate(self.model_dump())


class NewItemIn(ItemContentIn):
    fiscal_year: Year
    reason: Reason = None


class ItemPatchIn(Body):
    """Only the fields sent change; ``version`` is the one the change is based on."""

    version: int = Field(ge=1, le=1_000_000)
    reason: Reason = None
    title: Annotated[str | None, FreeText(200)] = None
    body: Annotated[str | None, FreeText(4000, multiline=True)] = None
    background: Annotated[str | None, FreeText(4000, multiline=True)] = None
    departments: list[DepartmentCode] | None = Field(default=None, min_length=1, max_length=10)
    municipalities: list[Town] | None = Field(default=None, min_length=1, max_length=5)
    town_priority: int | None = Field(default=None, ge=1, le=999)
    requested_amount_yen: int | None = Field(default=None, ge=0, le=10**13)
    plan_item_ids: list[UUID] | None = Field(default=None, max_length=20)

    def changes(self) -> dict[str, Any]:
        """The fields sent; a required field sent empty is refused, naming it."""
        sent = self.model_fields_set - {"version", "reason"}
        changes = {name: getattr(self, name) for name in sent}
        required = ("title", "body", "background", "departments", "municipalities")
        empty = [name for name in required if name in changes and changes[name] is None]
        if empty:
            raise Unprocessable(
                f"空にできない項目です: {'、'.join(empty)}",
                en=f"these fields cannot be empty: {', '.join(empty)}",
                fields={name: Message("入力してください", "cannot be empty") for name in empty},
            )
        if changes.get("plan_item_ids") is None and "plan_item_ids" in changes:
            changes["plan_item_ids"] = []
        return changes


class TransitionIn(Body):
    to: ItemStatus
    reason: Reason = None


class CarryOverIn(Body):
    reason: Reason = None


class SplitIn(Body):
    parts: list[ItemContentIn] = Field(min_length=2, max_length=5)
    reason: Reason = None


class MergeIn(Body):
    sources: list[UUID] = Field(min_length=2, max_length=5)
    item: ItemContentIn
    reason: Reason = None


class TownAttendeeIn(Body):
    municipality: Town
    office: Office = Field(description="head (市町村長) or deputy (副市町村長).")
    name: Name = None


class PrefecturalAttendeeIn(Body):
    title: Annotated[str, FreeText(100)] = Field(description="副知事, 企画政策部長, …")
    name: Name = None
    department: DepartmentCode | None = None


class BriefingIn(Body):
    held_on: Day = Field(description="The day (Japan): 2020-10-16, 2020/10/16, 令和2年10月16日.")
    starts_at: TimeOfDay = Field(description="Japan time, e.g. 11:00.")
    ends_at: TimeOfDay = Field(description="Japan time, e.g. 11:50.")
    place: Annotated[str, FreeText(200)]
    attendees: list[TownAttendeeIn] = Field(
        default_factory=list, max_length=10, description="One per town: its head or a deputy."
    )
    prefectural_attendees: list[PrefecturalAttendeeIn] = Field(default_factory=list, max_length=30)
    reason: Reason = Field(default=None, description="Why, when rescheduling.")

    def schedule(self) -> Schedule:
        return Schedule(
            starts_at=datetime.combine(self.held_on, self.starts_at, tzinfo=TOKYO),
            ends_at=datetime.combine(self.held_on, self.ends_at, tzinfo=TOKYO),
            place=self.place,
            attendees=tuple(TownAttendee.model_validate(a.model_dump()) for a in self.attendees),
            prefectural_attendees=tuple(
                PrefecturalAttendee.model_validate(a.model_dump())
                for a in self.prefectural_attendees
            ),
        )


class AgendaIn(Body):
    items: list[UUID] = Field(
        min_length=1, max_length=200, description="The adopted items in the joint order."
    )
    grouping: Grouping = Grouping.JOINT_THEN_TOWN
    reason: Reason = Field(default=None, description="Required once the agenda is fixed.")


class MinutesIn(Body):
    minutes: Annotated[str, FreeText(20_000, multiline=True)]
    reason: Reason = Field(default=None, description="Required for a correction.")


class AnswerIn(Body):
    received_on: Day
    text: LongText = Field(description="The prefecture's answer as received.")
    department: DepartmentCode
    status: AnswerStatus = Field(
        description="done_or_planned 措置済み・対応予定, under_study 検討中, difficult 困難, "
        "other その他."
    )
    reason: Reason = Field(default=None, description="Required for a correction.")


class YearIn(Body):
    fiscal_year: Year


class DepartmentIn(Body):
    code: DepartmentCode
    name: Annotated[str, FreeText(100)]


class DepartmentPatchIn(Body):
    name: Annotated[str | None, FreeText(100)] = None
    retired: bool | None = None
