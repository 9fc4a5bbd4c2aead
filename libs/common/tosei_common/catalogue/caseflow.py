"""Events of the caseflow service (case lifecycle at the consultation desk)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from tosei_common.platform.events import Event
from tosei_common.platform.topics import Topic

CASES = Topic(
    "tosei.caseflow.cases",
    "Lifecycle of consultation cases: assignment, transfer, referral, outcomes, closing.",
    partitions=6,
)


class Track(StrEnum):
    """Which kind of expert supports the case."""

    STARTUP = "startup"  # 創業支援
    SME = "sme"  # 中小企業経営支援


class AssignmentRule(StrEnum):
    TRIAGE = "triage"  # chosen automatically: track, specialities, lowest open load
    LEGACY_STAFF = "legacy_staff"  # a handed-over case matched to its old staff member
    MANUAL = "manual"  # a coordinator chose


class TransferReason(StrEnum):
    STAGE_CHANGED = "stage_changed"  # e.g. a founder now runs a business: startup → SME
    SPECIALITY = "speciality"
    WORKLOAD = "workload"
    CLIENT_REQUEST = "client_request"
    OTHER = "other"


class ReferralStatus(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    COMPLETED = "completed"
    DECLINED = "declined"


class OutcomeType(StrEnum):
    FOUNDED = "founded"  # 創業
    SALES_INCREASED = "sales_increased"  # 売上増加
    FINANCING_OBTAINED = "financing_obtained"  # 資金調達
    JOBS_CREATED = "jobs_created"  # 雇用創出
    SUCCESSION_DONE = "succession_done"  # 事業承継


_CASE_ID = Field(
    description="The case (the id intake gave it).",
    examples=["5b0e3c1e-8f0e-4a43-9d0a-2f1f3c6a9b11"],
)
_EXPERT_ID = Field(
    description="Pseudonymous id of a support expert.",
    examples=["7d6f2a52-5d0e-4b54-8f7c-1a2b3c4d5e6f"],
)


class CaseAssigned(Event):
    """A case was given to an expert (by triage, by its old staff member, or by hand)."""

    ce_type: ClassVar[str] = "jp.tosei.caseflow.case.assigned.v1"
    topic: ClassVar[Topic] = CASES
    subject_field: ClassVar[str] = "case_id"

    case_id: UUID = _CASE_ID
    expert_id: UUID = _EXPERT_ID
    track: Track = Field(examples=["startup"])
    rule: AssignmentRule = Field(examples=["triage"])
    assigned_at: datetime = Field(examples=["2026-10-05T02:00:00Z"])


class CaseTransferred(Event):
    """A case moved from one expert to another; the receiving expert sees its whole history."""

    ce_type: ClassVar[str] = "jp.tosei.caseflow.case.transferred.v1"
    topic: ClassVar[Topic] = CASES
    subject_field: ClassVar[str] = "case_id"

    case_id: UUID = _CASE_ID
    from_expert_id: UUID = _EXPERT_ID
    to_expert_id: UUID = _EXPERT_ID
    from_track: Track = Field(examples=["startup"])
    to_track: Track = Field(examples=["sme"])
    reason: TransferReason = Field(examples=["stage_changed"])
    transferred_at: datetime = Field(examples=["2027-02-01T01:00:00Z"])


class CaseReferred(Event):
    """A referral to an external expert of the nationwide network changed status."""

    ce_type: ClassVar[str] = "jp.tosei.caseflow.case.referred.v1"
    topic: ClassVar[Topic] = CASES
    subject_field: ClassVar[str] = "case_id"

    case_id: UUID = _CASE_ID
    referral_id: UUID = Field(examples=["a1b2c3d4-0000-4000-8000-000000000001"])
    external_expert_id: UUID = Field(examples=["e1e2e3e4-0000-4000-8000-000000000002"])
    status: ReferralStatus = Field(examples=["requested"])
    visits: int = Field(ge=0, description="Visits the external expert made so far.", examples=[0])
    changed_at: datetime = Field(examples=["2026-11-10T05:00:00Z"])


class CaseOutcomeRecorded(Event):
    """An outcome of the support: a business founded, sales up, financing, jobs, succession."""

    ce_type: ClassVar[str] = "jp.tosei.caseflow.case.outcome_recorded.v1"
    topic: ClassVar[Topic] = CASES
    subject_field: ClassVar[str] = "case_id"

    case_id: UUID = _CASE_ID
    outcome_id: UUID = Field(examples=["0c0c0c0c-0000-4000-8000-000000000003"])
    type: OutcomeType = Field(examples=["founded"])
    achieved_on: date = Field(examples=["2027-01-15"])
    jobs: int | None = Field(
        default=None, ge=0, description="Jobs created, for jobs_created.", examples=[None]
    )
    track: Track = Field(examples=["startup"])
    municipality: str = Field(pattern=r"^\d{6}$", examples=["022012"])
    recorded_at: datetime = Field(examples=["2027-01-20T03:00:00Z"])


class CaseSessionVoided(Event):
    """A session recorded by mistake (the wrong case, a wrong day) was voided: it stays on the
    case's timeline as voided and is out of every count. The reason stays in caseflow."""

    ce_type: ClassVar[str] = "jp.tosei.caseflow.case.session_voided.v1"
    topic: ClassVar[Topic] = CASES
    subject_field: ClassVar[str] = "case_id"

    case_id: UUID = _CASE_ID
    session_id: UUID = Field(examples=["0c0c0c0c-0000-4000-8000-000000000002"])
    voided_at: datetime = Field(examples=["2027-01-21T03:00:00Z"])


class CaseOutcomeVoided(Event):
    """An outcome recorded by mistake was voided (e.g. to record it again with the right date):
    it stays on the case's timeline as voided and is out of every count."""

    ce_type: ClassVar[str] = "jp.tosei.caseflow.case.outcome_voided.v1"
    topic: ClassVar[Topic] = CASES
    subject_field: ClassVar[str] = "case_id"

    case_id: UUID = _CASE_ID
    outcome_id: UUID = Field(examples=["0c0c0c0c-0000-4000-8000-000000000003"])
    voided_at: datetime = Field(examples=["2027-01-21T03:00:00Z"])


class CaseClosed(Event):
    """A case was closed, with the client's satisfaction when they gave one."""

    ce_type: ClassVar[str] = "jp.tosei.caseflow.case.closed.v1"
    topic: ClassVar[Topic] = CASES
    subject_field: ClassVar[str] = "case_id"

    case_id: UUID = _CASE_ID
    expert_id: UUID | None = Field(default=None, examples=["7d6f2a52-5d0e-4b54-8f7c-1a2b3c4d5e6f"])
    track: Track = Field(examples=["sme"])
    satisfaction: int | None = Field(
        default=None, ge=1, le=5, description="1 (unsatisfied) to 5 (very satisfied).", examples=[5]
    )
    closed_at: datetime = Field(examples=["2027-03-01T06:00:00Z"])


class CaseState(StrEnum):
    OPEN = "open"  # waiting for an expert
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"


class SessionMode(StrEnum):
    IN_PERSON = "in_person"  # 対面
    ONLINE = "online"  # オンライン
    PHONE = "phone"  # 電話
    VISIT = "visit"  # 訪問


class CaseStateChanged(Event):
    """A case moved through its lifecycle (open → assigned → in progress → resolved → closed,
    and reopened). Closing has its own event, case.closed."""

    ce_type: ClassVar[str] = "jp.tosei.caseflow.case.state_changed.v1"
    topic: ClassVar[Topic] = CASES
    subject_field: ClassVar[str] = "case_id"

    case_id: UUID = _CASE_ID
    from_state: CaseState = Field(examples=["assigned"])
    to_state: CaseState = Field(examples=["in_progress"])
    changed_at: datetime = Field(examples=["2026-10-06T00:30:00Z"])


class CaseSessionRecorded(Event):
    """An expert met the client (the minutes and notes stay in caseflow)."""

    ce_type: ClassVar[str] = "jp.tosei.caseflow.case.session_recorded.v1"
    topic: ClassVar[Topic] = CASES
    subject_field: ClassVar[str] = "case_id"

    case_id: UUID = _CASE_ID
    session_id: UUID = Field(examples=["5e55e55e-0000-4000-8000-000000000004"])
    expert_id: UUID = _EXPERT_ID
    held_on: date = Field(examples=["2026-10-06"])
    mode: SessionMode = Field(examples=["in_person"])
    duration_minutes: int = Field(ge=1, le=24 * 60, examples=[60])
    next_action_on: date | None = Field(
        default=None, description="When the expert follows up next.", examples=["2026-10-20"]
    )
    recorded_at: datetime = Field(examples=["2026-10-06T03:00:00Z"])
