"""What people see of cases and experts: the rows of the read model, as the queries return them.

Pure data, shared by the queries that fill them (``db``) and the answers shaped from them
(``api``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from tosei_caseflow.domain.experts import Expert
from tosei_common.catalogue.caseflow import (
    CaseState,
    OutcomeType,
    ReferralStatus,
    SessionMode,
    Track,
)
from tosei_common.catalogue.intake import BusinessStage, Category, Channel, LegacyStatus, Origin


@dataclass(frozen=True)
class CaseRow:
    """A case as the desk's lists and the case page show it."""

    case_id: UUID
    client_id: UUID
    municipality: str
    stage: BusinessStage
    categories: tuple[Category, ...]
    channel: Channel
    origin: Origin
    consent_to_share: bool
    opened_at: datetime
    legacy_status: LegacyStatus | None
    track: Track
    state: CaseState
    expert_id: UUID | None
    expert_name: str | None
    next_action_on: date | None
    satisfaction: int | None
    closed_at: datetime | None
    #: The client asked that their records' use be stopped (利用停止中).
    client_use_stopped: bool = False


@dataclass(frozen=True)
class CaseFilter:
    """Which cases a list shows; ``readable_by`` keeps an expert's current and former ones."""

    readable_by: UUID | None = None
    state: CaseState | None = None
    track: Track | None = None
    expert_id: UUID | None = None
    municipality: str | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class FollowUpRow:
    case_id: UUID
    expert_id: UUID
    expert_name: str
    next_action_on: date
    days_overdue: int
    state: CaseState
    track: Track


#: What a timeline entry's facts hold: ids, codes, dates, counts (as on the event).
Fact = str | int | list[str] | None


@dataclass(frozen=True)
class TimelineRow:
    event_id: UUID
    kind: str
    at: datetime
    facts: dict[str, Fact]
    actor: str | None  # None: an event of intake's, which has no journal entry here
    reason: str | None
    note: str | None
    minutes: str | None
    confidential: str | None


@dataclass(frozen=True)
class SessionRow:
    session_id: UUID
    expert_id: UUID
    held_on: date
    mode: SessionMode
    duration_minutes: int
    next_action_on: date | None
    voided_at: datetime | None = None


@dataclass(frozen=True)
class OutcomeRow:
    outcome_id: UUID
    type: OutcomeType
    achieved_on: date
    jobs: int | None
    voided_at: datetime | None = None


@dataclass(frozen=True)
class ReferralRow:
    """A referral as the case page shows it, with the external expert's name."""

    referral_id: UUID
    external_expert_id: UUID
    external_expert_name: str | None
    organisation: str | None
    status: ReferralStatus
    visits: int
    requested_at: datetime


@dataclass(frozen=True)
class ExpertLoad:
    """An expert with the number of cases they are working on now."""

    expert: Expert
    open_load: int
