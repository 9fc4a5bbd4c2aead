"""Response bodies of the caseflow API, shaped from what the handlers return.

Moments are written as the database keeps them (RFC 3339 with their UTC offset); days as
ISO dates; ids as UUID strings.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import (
    BaseModel,
    Field,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from tosei_caseflow.domain.experts import ExternalExpert
from tosei_caseflow.domain.lifecycle import STATE_LABELS
from tosei_caseflow.domain.referrals import paid_visits
from tosei_caseflow.domain.views import CaseRow, ExpertLoad, Fact, FollowUpRow, ReferralRow
from tosei_caseflow.handlers.reads import CaseFile, TimelineEntry
from tosei_common.catalogue.caseflow import (
    CaseState,
    OutcomeType,
    ReferralStatus,
    SessionMode,
    Track,
)
from tosei_common.catalogue.intake import BusinessStage, Category, Channel, LegacyStatus, Origin
from tosei_common.region.municipalities import municipality

Moment = Annotated[datetime, PlainSerializer(lambda at: at.isoformat(), return_type=str)]


class CaseSummary(BaseModel):
    case_id: UUID
    client_id: UUID
    municipality: str
    municipality_name: str
    stage: BusinessStage
    categories: list[Category]
    channel: Channel
    origin: Origin
    consent_to_share: bool
    opened_at: Moment
    legacy_status: LegacyStatus | None
    track: Track
    state: CaseState
    state_label: str
    expert_id: UUID | None
    expert_name: str | None
    next_action_on: date | None
    satisfaction: int | None
    closed_at: Moment | None
    client_use_stopped: bool = Field(
        default=False,
        description="The client asked that their records' use be stopped (利用停止中): no "
        "referral to external experts.",
    )

    @classmethod
    def fields_of(cls, case: CaseRow) -> dict[str, Any]:
        return {
            **asdict(case),
            "categories": list(case.categories),
            "municipality_name": municipality(case.municipality).name,
            "state_label": STATE_LABELS[case.state],
        }

    @classmethod
    def of(cls, case: CaseRow) -> CaseSummary:
        return cls(**cls.fields_of(case))


class CaseList(BaseModel):
    cases: list[CaseSummary]
    limit: int
    offset: int


class Queue(BaseModel):
    cases: list[CaseSummary]


class TimelineItem(BaseModel):
    """One event of the case. ``confidential`` is there only for readers who may see it."""

    event_id: UUID
    kind: str
    at: Moment
    facts: dict[str, Fact]
    by: str
    reason: str | None
    note: str | None
    minutes: str | None
    confidential: str | None = None

    @model_serializer(mode="wrap")
    def _without_hidden_notes(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        shown: dict[str, Any] = handler(self)
        if "confidential" not in self.model_fields_set:
            shown.pop("confidential", None)
        return shown

    @classmethod
    def of(cls, entry: TimelineEntry) -> TimelineItem:
        row = entry.row
        item = cls(
            event_id=row.event_id,
            kind=row.kind,
            at=row.at,
            facts=row.facts,
            by=row.actor or "intake",
            reason=row.reason,
            note=row.note,
            minutes=row.minutes,
        )
        if entry.shows_confidential:
            item.confidential = row.confidential
        return item


class SessionItem(BaseModel):
    session_id: UUID
    expert_id: UUID
    expert_name: str | None
    held_on: date
    mode: SessionMode
    duration_minutes: int
    next_action_on: date | None
    voided_at: datetime | None = Field(
        default=None, description="When it was voided (recorded by mistake; out of every count)."
    )


class ReferralItem(BaseModel):
    referral_id: UUID
    external_expert_id: UUID
    external_expert_name: str | None
    organisation: str | None
    status: ReferralStatus
    visits: int
    paid_visits: int
    requested_at: Moment

    @classmethod
    def of(cls, referral: ReferralRow) -> ReferralItem:
        return cls(**asdict(referral), paid_visits=paid_visits(referral.visits))


class OutcomeItem(BaseModel):
    outcome_id: UUID
    type: OutcomeType
    achieved_on: date
    jobs: int | None
    voided_at: datetime | None = Field(
        default=None, description="When it was voided (recorded by mistake; out of every count)."
    )


class NextState(BaseModel):
    """A state the reader may move the case to now."""

    to: CaseState
    label: str = Field(examples=["解決"])


class CaseDetail(CaseSummary):
    """A case with its whole history, across experts."""

    can_change: bool
    allowed_transitions: list[NextState] = Field(
        description="The states the reader may move the case to now (POST …/transitions); "
        "empty when they may not change the case."
    )
    timeline: list[TimelineItem]
    sessions: list[SessionItem]
    referrals: list[ReferralItem]
    outcomes: list[OutcomeItem]
    experts: dict[UUID, str]

    @classmethod
    def of_file(cls, file: CaseFile) -> CaseDetail:
        names = file.expert_names
        return cls(
            **cls.fields_of(file.case),
            can_change=file.can_change,
            allowed_transitions=[
                NextState(to=state, label=STATE_LABELS[state]) for state in file.next_states
            ],
            timeline=[TimelineItem.of(e) for e in file.timeline],
            sessions=[
                SessionItem(**asdict(s), expert_name=names.get(s.expert_id)) for s in file.sessions
            ],
            referrals=[ReferralItem.of(r) for r in file.referrals],
            outcomes=[OutcomeItem(**asdict(o)) for o in file.outcomes],
            experts=names,
        )


class FollowUp(BaseModel):
    case_id: UUID
    expert_id: UUID
    expert_name: str
    next_action_on: date
    days_overdue: int
    state: CaseState
    track: Track

    @classmethod
    def of(cls, row: FollowUpRow) -> FollowUp:
        return cls(**asdict(row))


class FollowUps(BaseModel):
    follow_ups: list[FollowUp]


class ExpertItem(BaseModel):
    expert_id: UUID
    name: str
    track: Track
    specialities: list[Category]
    weekly_capacity: int
    open_load: int
    active: bool

    @classmethod
    def of(cls, load: ExpertLoad) -> ExpertItem:
        return cls(**asdict(load.expert), open_load=load.open_load)


class Experts(BaseModel):
    experts: list[ExpertItem]


class ExternalExpertItem(BaseModel):
    external_expert_id: UUID
    name: str
    organisation: str
    speciality: Category
    active: bool

    @classmethod
    def of(cls, external: ExternalExpert) -> ExternalExpertItem:
        return cls(**asdict(external))


class ExternalExperts(BaseModel):
    external_experts: list[ExternalExpertItem]


class ExpertCreated(BaseModel):
    expert_id: UUID


class ExternalExpertCreated(BaseModel):
    external_expert_id: UUID


class SessionCreated(BaseModel):
    session_id: UUID


class ReferralCreated(BaseModel):
    referral_id: UUID


class OutcomeCreated(BaseModel):
    outcome_id: UUID
