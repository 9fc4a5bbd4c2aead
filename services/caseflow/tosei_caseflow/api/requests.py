"""Request bodies of the caseflow API: bounded, nothing unexpected accepted, free text kept as
typed (control characters refused, naming the field)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from tosei_caseflow.domain.cases import OutcomeInput, SessionInput
from tosei_caseflow.domain.experts import ExpertChanges
from tosei_common.catalogue.caseflow import (
    CaseState,
    OutcomeType,
    ReferralStatus,
    SessionMode,
    Track,
    TransferReason,
)
from tosei_common.catalogue.intake import Category
from tosei_common.platform.errors import Message, Unprocessable
from tosei_common.region.inputs import FreeText
from tosei_common.region.municipalities import REGION, UnknownMunicipality, resolve_municipality

Name = Annotated[str, FreeText(100)]
Reason = Annotated[str | None, FreeText(1000)]
Notes = Annotated[str | None, FreeText(4000, multiline=True)]
Minutes = Annotated[str | None, FreeText(8000, multiline=True)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewExpert(Body):
    name: Name = Field(examples=["佐藤 健一"])
    track: Track
    specialities: list[Category] = Field(default_factory=list, max_length=8)
    weekly_capacity: int = Field(ge=0, le=1000, examples=[10])


class ExpertChange(Body):
    track: Track | None = None
    specialities: list[Category] | None = Field(default=None, max_length=8)
    weekly_capacity: int | None = Field(default=None, ge=0, le=1000)
    active: bool | None = None

    def changes(self) -> ExpertChanges:
        return ExpertChanges(
            track=self.track,
            specialities=self.specialities,
            weekly_capacity=self.weekly_capacity,
            active=self.active,
        )


class NewExternalExpert(Body):
    name: Name = Field(examples=["中村 由美"])
    organisation: Annotated[str, FreeText(200)] = Field(examples=["よろず支援拠点全国本部"])
    speciality: Category


class Assignment(Body):
    expert_id: UUID
    reason: Reason = Field(default=None, examples=["専門分野が一致するため"])


class Voiding(Body):
    reason: Reason = Field(default=None, examples=["別の案件に記録してしまったため"])


class Transition(Body):
    to: CaseState = Field(description="in_progress, resolved, closed or reopened")
    reason: Reason = Field(default=None, examples=["創業計画が完成"])
    satisfaction: Annotated[int, Field(ge=1, le=5)] | Literal["not_answered"] | None = Field(
        default=None,
        description="When closing (required then): the client's rating 1–5, or not_answered "
        "when they gave none (回答なし).",
    )


class NewSession(Body):
    held_on: date
    mode: SessionMode
    duration_minutes: int = Field(ge=1, le=24 * 60)
    minutes: Minutes = Field(default=None, examples=["資金計画の見直しを助言"])
    confidential_notes: Minutes = Field(default=None, examples=["自己資金の一部は親族からの借入"])
    next_action_on: date | None = None

    def session(self) -> SessionInput:
        return SessionInput(
            held_on=self.held_on,
            mode=self.mode,
            duration_minutes=self.duration_minutes,
            minutes=self.minutes,
            confidential_notes=self.confidential_notes,
            next_action_on=self.next_action_on,
        )


class Transfer(Body):
    to_expert_id: UUID
    reason: TransferReason
    handover_note: Annotated[str, FreeText(8000, multiline=True)] = Field(
        examples=["創業後2年、販路拡大の段階に入ったため経営支援へ"]
    )


class NewReferral(Body):
    external_expert_id: UUID
    note: Notes = Field(default=None, examples=["融資制度に詳しい専門家"])


class ReferralUpdate(Body):
    status: ReferralStatus | None = Field(
        default=None, description="accepted, completed or declined; omit to record a visit"
    )
    visit: bool = Field(default=False, description="true to count one more visit")
    note: Notes = Field(default=None, examples=["日本政策金融公庫の融資が決定"])


class NewOutcome(Body):
    type: OutcomeType
    achieved_on: date
    jobs: int | None = Field(default=None, ge=1, le=100000)
    note: Notes = Field(default=None, examples=["個人事業の開業届を提出"])

    def outcome(self) -> OutcomeInput:
        return OutcomeInput(
            type=self.type, achieved_on=self.achieved_on, jobs=self.jobs, note=self.note
        )


def municipality_code(text: str | None) -> str | None:
    """The code of the municipality a person typed (外ケ浜町, 青森, 022012); None for none."""
    if text is None:
        return None
    try:
        return resolve_municipality(text).code
    except UnknownMunicipality as exc:
        towns = "・".join(m.name for m in REGION)
        raise Unprocessable(
            f"「{text}」は東青圏域の市町村ではありません（{towns}のいずれかを指定してください）",
            en=str(exc),
            fields={"municipality": Message("圏域の市町村を指定してください", "not in the region")},
        ) from exc
