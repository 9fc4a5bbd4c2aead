"""Request bodies: every field bounded, unknown fields refused, typed values parsed here."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from tosei_common.catalogue.seminar import AttendanceMode, AttendeeRole
from tosei_common.region.fiscal import parse_date, parse_fiscal_year
from tosei_common.region.municipalities import resolve_municipality
from tosei_common.region.text import tidy
from tosei_seminar.domain.reports import BudgetCategory
from tosei_seminar.domain.seminar import SeminarState

YEN_MAX = 1_000_000_000  # well inside PostgreSQL's integer


def _text(value: str) -> str:
    cleaned = tidy(value)
    if not cleaned:
        raise ValueError("must not be blank")
    return cleaned


def _optional_text(value: str | None) -> str | None:
    return (tidy(value) or None) if value is not None else None


def _town(value: str) -> str:
    return resolve_municipality(value).code


def _day(value: Any) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError("a date such as 2026-10-17 or 令和8年10月17日")
    return parse_date(value)


def _local_time(value: time) -> time:
    """A seminar's time is read on a Japanese clock: a time zone or offset is refused rather
    than dropped (13:30Z is not 13:30 in Aomori) or compared with a naive time."""
    if value.tzinfo is not None:
        raise ValueError("a time of day in Japan such as 13:30, without a time zone or offset")
    return value


def _fiscal_year(value: Any) -> Any:
    if isinstance(value, str):
        return parse_fiscal_year(value[:20])
    return value


def _stream(value: str) -> str:
    if not value.startswith(("https://", "http://")):
        raise ValueError("the stream's address, starting with https://")
    if any(c.isspace() for c in value):
        raise ValueError("an address has no spaces")
    return value


def _text_field(max_length: int, **kwargs: Any) -> Any:
    return Field(min_length=1, max_length=max_length, **kwargs)


Text = Annotated[str, AfterValidator(_text)]
OptionalText = Annotated[str | None, AfterValidator(_optional_text)]
Town = Annotated[str, AfterValidator(_town)]
Day = Annotated[date, BeforeValidator(_day)]
LocalTime = Annotated[time, AfterValidator(_local_time)]
FiscalYear = Annotated[int, BeforeValidator(_fiscal_year), Field(ge=2021, le=2200)]
Yen = Annotated[int, Field(ge=0, le=YEN_MAX)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OverrideIn(Body):
    host: Town = _text_field(20, description="The town that hosts instead.", examples=["外ヶ浜町"])
    reason: Text = _text_field(
        500, description="Why the town whose turn it is cannot host.",
        examples=["平内町は新庁舎移転のため会場を確保できない"],
    )  # fmt: skip


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
    fiscal_year: FiscalYear = Field(examples=[2026])
    title: Text = _text_field(200, examples=["地域で支える在宅医療 — 退院から看取りまで"])


class SeminarPatch(ScheduleFields):
    title: Text | None = Field(default=None, min_length=1, max_length=200)


class SpeakerIn(Body):
    name: Text = _text_field(100, examples=["佐藤 良子"])
    affiliation: Text = _text_field(200, examples=["医療法人 在宅ケアクリニック"])
    profession: OptionalText = Field(default=None, max_length=100, examples=["在宅医"])
    keynote: bool = Field(default=False, description="Gives the keynote (基調講演).")
    fee: Yen = Field(description="講師謝金 in yen.", examples=[100000])


class VenueIn(Body):
    name: Text = _text_field(200, examples=["青森市民ホール 大会議室"])
    municipality: Town = _text_field(20, examples=["青森市"])
    capacity: int = Field(ge=1, le=100_000, examples=[200])
    fee: Yen = Field(description="会場使用料 in yen.", examples=[45000])


class ChooseVenueIn(Body):
    venue_id: UUID


class OnlineIn(Body):
    stream_url: Annotated[str, AfterValidator(_stream)] = Field(
        min_length=10, max_length=500, examples=["https://stream.example.jp/tosei-zaitaku-2026"]
    )
    capacity: int = Field(ge=0, le=100_000, description="Online connections.", examples=[300])


class SiteIn(Body):
    name: Text = _text_field(200, examples=["平内町中央公民館 研修室"])
    municipality: Town = _text_field(20, examples=["平内町"])
    capacity: int = Field(ge=1, le=100_000, examples=[40])


class SitePatch(Body):
    name: Text | None = Field(default=None, min_length=1, max_length=200)
    capacity: int | None = Field(default=None, ge=1, le=100_000)


class BudgetLineIn(Body):
    category: BudgetCategory = Field(examples=["venue"])
    item: Text = _text_field(100, examples=["会場使用料（青森市民ホール）"])
    planned: Yen = Field(examples=[45000])
    actual: Yen | None = Field(default=None, examples=[None])


class BudgetLinePatch(Body):
    category: BudgetCategory | None = None
    item: Text | None = Field(default=None, min_length=1, max_length=100)
    planned: Yen | None = None
    actual: Yen | None = Field(default=None, description="null clears the actual amount.")


class StateIn(Body):
    state: SeminarState = Field(examples=["registration_open"])
    reason: OptionalText = Field(
        default=None, max_length=500, description="Required to cancel.", examples=[None]
    )


class RegistrationIn(Body):
    name: Text = _text_field(100, description="氏名", examples=["山田 花子"])
    name_kana: OptionalText = Field(
        default=None, max_length=100, description="ふりがな", examples=["やまだ はなこ"]
    )
    organisation: OptionalText = Field(
        default=None, max_length=200, description="所属", examples=["平内中央病院"]
    )
    role: AttendeeRole = Field(description="職種", examples=["visiting_nurse"])
    municipality: Town = _text_field(20, description="市町村", examples=["平内町"])
    email: OptionalText = Field(default=None, max_length=254, examples=["hanako@example.jp"])
    phone: OptionalText = Field(default=None, max_length=30, examples=["017-755-2111"])
    mode: AttendanceMode = Field(description="参加方法", examples=["viewing_site"])
    site_id: UUID | None = Field(
        default=None, description="The viewing site, when the town has more than one."
    )


class CheckInIn(Body):
    reference: str = Field(min_length=1, max_length=40, examples=["7KQ2-M9XD-4TPA-R3WB"])


class FeedbackIn(Body):
    satisfaction: int = Field(ge=1, le=5, description="満足度 (1–5).", examples=[5])
    usefulness: int = Field(ge=1, le=5, description="業務に役立つか (1–5).", examples=[4])
    comment: OptionalText = Field(
        default=None, max_length=2000, examples=["退院前カンファレンスの事例が参考になった"]
    )
