"""Events of the requests service: the towns' joint priority requests to Aomori Prefecture
(重点事業要望), the autumn briefing (重点事業説明会) and the prefecture's answers.

Titles, request texts, backgrounds, answers, places and attendees' names are free text and stay
behind the service's HTTP API: events carry ids, fiscal years, municipality codes, department
codes, enums, dates and counts.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from tosei_common.platform.events import Event
from tosei_common.platform.topics import Topic

REQUEST_ITEMS = Topic(
    "tosei.requests.request_items",
    "Request items of the towns' joint priority requests to the prefecture: submitted to the "
    "coordinators, adopted into the joint list, answered by the prefecture, carried over into "
    "the next fiscal year. Keyed by the request item id.",
    partitions=3,
)
BRIEFINGS = Topic(
    "tosei.requests.briefings",
    "The yearly briefing for the prefecture (重点事業説明会): scheduled or rescheduled, its "
    "agenda fixed. Keyed by the briefing id (one briefing per fiscal year).",
    partitions=1,
)


class AnswerStatus(StrEnum):
    """How the prefecture answered a request (回答区分)."""

    DONE_OR_PLANNED = "done_or_planned"  # 措置済み・対応予定
    UNDER_STUDY = "under_study"  # 検討中
    DIFFICULT = "difficult"  # 困難
    OTHER = "other"  # その他


class RequestDerivation(StrEnum):
    """How a request item came from items of the year before."""

    CARRIED = "carried"  # 継続: the same request again
    MERGED = "merged"  # 統合: several requests became this one
    SPLIT = "split"  # 分割: one request became several


_ITEM_ID = Field(
    description="The request item (one fiscal year's request; a carried-over request is a new "
    "item that names its predecessor).",
    examples=["7c1e4b2a-9d3f-4e6a-8b5c-2f1a3d4e5b6c"],
)
_FISCAL_YEAR = Field(
    ge=2000, le=2100, description="Fiscal year of the request (April–March).", examples=[2020]
)
_MUNICIPALITIES = Field(
    min_length=1,
    description="全国地方公共団体コード of the requesting municipalities, in the council's "
    "order; more than one makes a joint item, all five an item of the whole region.",
    examples=[["022012", "023019", "023035", "023078", "023043"]],
)
_DEPARTMENTS = Field(
    min_length=1,
    description="Codes of the prefectural departments addressed (担当部局; the list is "
    "GET /departments of the requests service).",
    examples=[["kendo"]],
)


class RequestSubmitted(Event):
    """A town (or several) submitted a request item to the coordinators."""

    ce_type: ClassVar[str] = "jp.tosei.requests.request.submitted.v1"
    topic: ClassVar[Topic] = REQUEST_ITEMS
    subject_field: ClassVar[str] = "item_id"

    item_id: UUID = _ITEM_ID
    fiscal_year: int = _FISCAL_YEAR
    number: int = Field(ge=1, description="Its number within the fiscal year.", examples=[3])
    municipalities: list[str] = _MUNICIPALITIES
    departments: list[str] = _DEPARTMENTS
    requested_amount_yen: int | None = Field(
        default=None, ge=0, description="The amount requested, when there is one.", examples=[None]
    )
    plan_item_ids: list[UUID] = Field(
        default_factory=list,
        description="Linked items of the joint resilience plan.",
        examples=[["3f2b8c1e-6d4a-4f0e-9b7a-2c5d8e1f0a93"]],
    )
    version: int = Field(ge=1, description="The item's version when submitted.", examples=[2])
    submitted_at: datetime = Field(examples=["2020-08-20T01:00:00Z"])


class RequestAdopted(Event):
    """The coordinators adopted a request item into the joint list of its fiscal year."""

    ce_type: ClassVar[str] = "jp.tosei.requests.request.adopted.v1"
    topic: ClassVar[Topic] = REQUEST_ITEMS
    subject_field: ClassVar[str] = "item_id"

    item_id: UUID = _ITEM_ID
    fiscal_year: int = _FISCAL_YEAR
    number: int = Field(ge=1, examples=[3])
    municipalities: list[str] = _MUNICIPALITIES
    departments: list[str] = _DEPARTMENTS
    version: int = Field(ge=1, examples=[3])
    adopted_at: datetime = Field(examples=["2020-09-10T05:00:00Z"])


class RequestAnswered(Event):
    """The prefecture's answer to a request item was recorded (or corrected: version > 1)."""

    ce_type: ClassVar[str] = "jp.tosei.requests.request.answered.v1"
    topic: ClassVar[Topic] = REQUEST_ITEMS
    subject_field: ClassVar[str] = "item_id"

    item_id: UUID = _ITEM_ID
    fiscal_year: int = _FISCAL_YEAR
    municipalities: list[str] = _MUNICIPALITIES
    department: str = Field(description="Code of the department that answered.", examples=["kendo"])
    status: AnswerStatus = Field(examples=["under_study"])
    received_on: date = Field(
        description="The day the answer was received (Japan).", examples=["2021-02-05"]
    )
    answer_version: int = Field(
        ge=1, description="1 for the first record, +1 per correction.", examples=[1]
    )
    answered_at: datetime = Field(examples=["2021-02-08T00:30:00Z"])


class RequestCarriedOver(Event):
    """A request went on into the next fiscal year as a new draft that names where it came
    from: carried as it was, merged from several items, or one of the parts of a split."""

    ce_type: ClassVar[str] = "jp.tosei.requests.request.carried_over.v1"
    topic: ClassVar[Topic] = REQUEST_ITEMS
    subject_field: ClassVar[str] = "item_id"

    item_id: UUID = Field(
        description="The new item (a draft of the new fiscal year).",
        examples=["9d2f5c3b-0e4a-4f7b-9c6d-3a2b4e5f6a7d"],
    )
    fiscal_year: int = Field(
        ge=2000, le=2100, description="The new item's fiscal year.", examples=[2021]
    )
    derivation: RequestDerivation = Field(examples=["carried"])
    derived_from: list[UUID] = Field(
        min_length=1,
        description="The items of the year before it continues.",
        examples=[["7c1e4b2a-9d3f-4e6a-8b5c-2f1a3d4e5b6c"]],
    )
    municipalities: list[str] = _MUNICIPALITIES
    carried_at: datetime = Field(examples=["2021-05-12T00:00:00Z"])


class BriefingScheduled(Event):
    """The year's briefing for the prefecture was scheduled, or rescheduled (version > 1)."""

    ce_type: ClassVar[str] = "jp.tosei.requests.briefing.scheduled.v1"
    topic: ClassVar[Topic] = BRIEFINGS
    subject_field: ClassVar[str] = "briefing_id"

    briefing_id: UUID = Field(
        description="The briefing (one per fiscal year).",
        examples=["2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d"],
    )
    fiscal_year: int = _FISCAL_YEAR
    starts_at: datetime = Field(examples=["2020-10-16T02:00:00Z"])
    ends_at: datetime = Field(examples=["2020-10-16T02:50:00Z"])
    heads_attending: int = Field(
        ge=0, le=5, description="How many of the five heads attend in person.", examples=[5]
    )
    deputies_attending: int = Field(
        ge=0, le=5, description="How many towns send a deputy instead.", examples=[0]
    )
    rescheduled: bool = Field(description="An earlier schedule was changed.", examples=[False])
    version: int = Field(ge=1, description="The briefing's version after this.", examples=[1])
    scheduled_at: datetime = Field(examples=["2020-09-01T00:00:00Z"])


class BriefingAgendaFixed(Event):
    """The briefing's agenda was fixed (version 1) or, once fixed, changed by a coordinator
    with a recorded reason (version > 1). The items are in the joint order."""

    ce_type: ClassVar[str] = "jp.tosei.requests.briefing.agenda_fixed.v1"
    topic: ClassVar[Topic] = BRIEFINGS
    subject_field: ClassVar[str] = "briefing_id"

    briefing_id: UUID = Field(examples=["2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d"])
    fiscal_year: int = _FISCAL_YEAR
    item_ids: list[UUID] = Field(
        min_length=1,
        description="The request items on the agenda, in the order of the request book.",
        examples=[["7c1e4b2a-9d3f-4e6a-8b5c-2f1a3d4e5b6c"]],
    )
    agenda_version: int = Field(
        ge=1, description="1 when fixed, +1 per change afterwards.", examples=[1]
    )
    fixed_at: datetime = Field(
        description="When the agenda was first fixed.", examples=["2020-10-02T06:00:00Z"]
    )
    changed_at: datetime = Field(
        description="When this version was recorded.", examples=["2020-10-02T06:00:00Z"]
    )
