"""Request bodies of the caseflow API: bounded, and nothing unexpected accepted."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from tosei_common.catalogue.caseflow import (
    CaseState,
    OutcomeType,
    ReferralStatus,
    SessionMode,
    Track,
    TransferReason,
)
from tosei_common.catalogue.intake import Category

Text = Field(default=None, max_length=4000)


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewExpert(Body):
    name: str = Field(min_length=1, max_length=100, examples=["佐藤 健一"])
    track: Track
    specialities: list[Category] = Field(default_factory=list, max_length=8)
    weekly_capacity: int = Field(ge=0, le=1000, examples=[10])


class ExpertChange(Body):
    track: Track | None = None
    specialities: list[Category] | None = Field(default=None, max_length=8)
    weekly_capacity: int | None = Field(default=None, ge=0, le=1000)
    active: bool | None = None


class NewExternalExpert(Body):
    name: str = Field(min_length=1, max_length=100, examples=["中村 由美"])
    organisation: str = Field(min_length=1, max_length=200, examples=["よろず支援拠点全国本部"])
    speciality: Category


class Assignment(Body):
    expert_id: UUID
    reason: str | None = Field(default=None, max_length=1000, examples=["専門分野が一致するため"])


class Transition(Body):
    to: CaseState = Field(description="in_progress, resolved, closed or reopened")
    reason: str | None = Field(default=None, max_length=1000)
    satisfaction: int | None = Field(
        default=None, ge=1, le=5, description="The client's rating when closing (1–5)."
    )


class NewSession(Body):
    held_on: date
    mode: SessionMode
    duration_minutes: int = Field(ge=1, le=24 * 60)
    minutes: str | None = Field(default=None, max_length=8000, examples=["資金計画の見直しを助言"])
    confidential_notes: str | None = Field(default=None, max_length=8000)
    next_action_on: date | None = None


class Transfer(Body):
    to_expert_id: UUID
    reason: TransferReason
    handover_note: str = Field(
        min_length=1, max_length=8000, examples=["創業後2年、販路拡大の段階に入ったため経営支援へ"]
    )


class NewReferral(Body):
    external_expert_id: UUID
    note: str | None = Field(default=None, max_length=4000)


class ReferralUpdate(Body):
    status: ReferralStatus | None = Field(
        default=None, description="accepted, completed or declined; omit to record a visit"
    )
    visit: bool = Field(default=False, description="true to count one more visit")
    note: str | None = Field(default=None, max_length=4000)


class NewOutcome(Body):
    type: OutcomeType
    achieved_on: date
    jobs: int | None = Field(default=None, ge=1, le=100000)
    note: str | None = Field(default=None, max_length=4000)
