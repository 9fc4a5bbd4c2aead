"""What caseflow knows about a case and an expert, as the domain rules see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from tosei_common.catalogue.caseflow import CaseState, Track
from tosei_common.catalogue.intake import BusinessStage, Category, Origin


@dataclass(frozen=True)
class Case:
    case_id: UUID
    client_id: UUID
    municipality: str
    stage: BusinessStage
    categories: tuple[Category, ...]
    origin: Origin
    consent_to_share: bool
    opened_at: datetime
    track: Track
    state: CaseState
    expert_id: UUID | None
    updated_at: datetime  # when its last event happened


@dataclass(frozen=True)
class Expert:
    expert_id: UUID
    name: str
    track: Track
    specialities: tuple[Category, ...]
    weekly_capacity: int
    active: bool
