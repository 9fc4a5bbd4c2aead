"""Request bodies: every field bounded, unknown fields refused, what people type taken by the
platform's input rules (free text stored as typed, fiscal years and phones spelled any usual
way), and every refusal said in Japanese with English beside it, naming the field."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from tosei_common.catalogue.seminar import AttendanceMode, AttendeeRole
from tosei_common.platform.errors import InputError
from tosei_common.region.fiscal import DateParseError, parse_date
from tosei_common.region.inputs import (
    Email,
    FiscalYear,
    FreeText,
    Phone,
    check_municipality,
)
from tosei_seminar.domain.budget import BudgetCategory, BudgetPatch
from tosei_seminar.domain.rotation import FIRST_YEAR, LAST_YEAR
from tosei_seminar.domain.seminar import SeminarState

YEN_MAX = 1_000_000_000  # well inside PostgreSQL's integer


def town_code(value: str) -> str:
    """A town of the region however it is typed (平内, ひらない, 外ケ浜町, 022012): its code."""
    return check_municipality(value, max_length=20)


def _day(value: Any) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise InputError(
            "日付を 2026-10-17 や 令和8年10月17日 のように入力してください",
            "a date such as 2026-10-17 or 令和8年10月17日",
        )
    try:
        return parse_date(value)
    except DateParseError as exc:
        if "does not exist" in str(exc):
            raise InputError(f"「{value}」という日付はありません", str(exc)) from None
        raise InputError(
            f"「{value}」は日付として読めません（例: 2026-10-17、令和8年10月17日）", str(exc)
        ) from None


def _local_time(value: time) -> time:
    """A seminar's time is read on a Japanese clock: a time zone or offset is refused rather
    than dropped (13:30Z is not 13:30 in Aomori) or compared with a naive time."""
    if value.tzinfo is not None:
        raise InputError(
            "時刻は日本時間で、タイムゾーンや時差を付けずに入力してください（例: 13:30）",
            "a time of day in Japan such as 13:30, without a time zone or offset",
        )
    return value


def _stream(value: str) -> str:
    if not value.startswith(("https://", "http://")):
        raise InputError(
            "配信のURLを https:// から入力してください",
            "the stream's address, starting with https://",
        )
    if any(c.isspace() for c in value):
        raise InputError("URLに空白は入れられません", "an address has no spaces")
    return value


Town = Annotated[str, AfterValidator(town_code)]
Day = Annotated[date, BeforeValidator(_day)]
LocalTime = Annotated[time, AfterValidator(_local_time)]
SeminarYear = Annotated[int, FiscalYear(first=FIRST_YEAR, last=LAST_YEAR)]
OptionalYear = Annotated[int | None, FiscalYear(first=FIRST_YEAR, last=LAST_YEAR)]
Yen = Annotated[int, Field(ge=0, le=YEN_MAX)]
Seats = Annotated[int, Field(ge=1, le=100_000)]
Title = Annotated[str, FreeText(200)]
Name = Annotated[str, FreeText(100)]
Reason = Annotated[str, FreeText(500)]
Item = Annotated[str, FreeText(100)]
StreamUrl = Annotated[str, FreeText(500), AfterValidator(_stream)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OverrideIn(Body):
    host: Town = Field(description="The town that hosts instead.", examples=["外ヶ浜町"])
    reason: Reason = Field(
        description="Why the town whose turn it is cannot host.",
        examples=["平内町は新庁舎移転のため会場を確保できない"],
    )


class ScheduleFields(Body):
    date: Day | None = Field(
        default=None, description="The day (2026-10-17, 令和8年10月17日).", examples=["2026-10-17"]
    )
    start_time: LocalTime | None = Field(
        default=None, description="Japan time, without a time zone.", examples=["13:30"]
    )
    end_time: LocalTime | None = Field(
        default=None, description="Japan time, without a time zone.", examples=["16:30"]
    )


class SeminarIn(ScheduleFields):
    fiscal_year: SeminarYear = Field(examples=[2026, "令和8年度"])
    title: Title = Field(examples=["地域で支える在宅医療 — 退院から看取りまで"])


class SeminarPatch(ScheduleFields):
    title: Title | None = None


class SpeakerIn(Body):
    name: Name = Field(examples=["佐藤 良子"])
    affiliation: Title = Field(examples=["医療法人 在宅ケアクリニック"])
    profession: Annotated[str | None, FreeText(100)] = Field(default=None, examples=["在宅医"])
    keynote: bool = Field(default=False, description="Gives the keynote (基調講演).")
    fee: Yen = Field(description="講師謝金 in yen.", examples=[100000])
    talk_title: Title | None = Field(
        default=None,
        description="The title of the talk (演題), shown on the public page; may come later.",
        examples=["住み慣れた家で最期まで — 在宅医療の現場から"],
    )


class VenueIn(Body):
    name: Title = Field(examples=["青森市民ホール 大会議室"])
    municipality: Town = Field(examples=["青森市"])
    capacity: Seats = Field(examples=[200])
    fee: Yen = Field(description="会場使用料 in yen.", examples=[45000])


class ChooseVenueIn(Body):
    venue_id: UUID


class OnlineIn(Body):
    """Only what changes: a field left out (or null) keeps its value; the first time both."""

    stream_url: StreamUrl | None = Field(
        default=None, examples=["https://stream.example.jp/tosei-zaitaku-2026"]
    )
    capacity: int | None = Field(
        default=None, ge=0, le=100_000, description="Online connections.", examples=[300]
    )


class SiteIn(Body):
    name: Title = Field(examples=["平内町中央公民館 研修室"])
    municipality: Town = Field(examples=["平内町"])
    capacity: Seats = Field(examples=[40])


class SitePatch(Body):
    name: Title | None = None
    capacity: Seats | None = None


class BudgetLineIn(Body):
    category: BudgetCategory = Field(examples=["venue"])
    item: Item = Field(examples=["会場使用料（青森市民ホール）"])
    planned: Yen = Field(examples=[45000])
    actual: Yen | None = Field(default=None, examples=[None])


class BudgetLinePatch(Body):
    category: BudgetCategory | None = None
    item: Item | None = None
    planned: Yen | None = None
    actual: Yen | None = Field(default=None, description="null clears the actual amount.")

    def patch(self) -> BudgetPatch:
        cleared = "actual" in self.model_fields_set and self.actual is None
        return BudgetPatch(self.category, self.item, self.planned, self.actual, cleared)


class StateIn(Body):
    state: SeminarState = Field(examples=["registration_open"])
    reason: Annotated[str | None, FreeText(500)] = Field(
        default=None, description="Required to cancel.", examples=[None]
    )


class RegistrationIn(Body):
    name: Name = Field(description="氏名", examples=["山田 花子"])
    name_kana: Annotated[str | None, FreeText(100)] = Field(
        default=None, description="ふりがな", examples=["やまだ はなこ"]
    )
    organisation: Annotated[str | None, FreeText(200)] = Field(
        default=None, description="所属", examples=["平内中央病院"]
    )
    role: AttendeeRole = Field(description="職種", examples=["visiting_nurse"])
    municipality: Town = Field(description="市町村", examples=["平内町"])
    email: Annotated[str | None, Email()] = Field(default=None, examples=["hanako@example.jp"])
    phone: Annotated[str | None, Phone()] = Field(default=None, examples=["017-755-2111"])
    mode: AttendanceMode = Field(description="参加方法", examples=["viewing_site"])
    site_id: UUID | None = Field(
        default=None, description="The viewing site, when the town has more than one."
    )


class CheckInIn(Body):
    reference: str = Field(min_length=1, max_length=40, examples=["7KQ2-M9XD-4TPA-R3WB"])


class AttendanceCorrectionIn(Body):
    reference: str = Field(min_length=1, max_length=40, examples=["7KQ2-M9XD-4TPA-R3WB"])
    attended: bool = Field(
        description="true: they came (a missed check-in); false: they did not (a mistaken one).",
        examples=[True],
    )
    reason: Reason = Field(
        description="Why the attendance is corrected (監査記録に残ります).",
        examples=["受付の混雑で記録漏れ。署名簿で出席を確認"],
    )


class FeedbackIn(Body):
    satisfaction: int = Field(ge=1, le=5, description="満足度 (1–5).", examples=[5])
    usefulness: int = Field(ge=1, le=5, description="業務に役立つか (1–5).", examples=[4])
    comment: Annotated[str | None, FreeText(2000, multiline=True)] = Field(
        default=None, examples=["退院前カンファレンスの事例が参考になった"]
    )
