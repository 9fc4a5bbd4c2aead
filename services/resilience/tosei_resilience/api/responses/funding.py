"""Answers about funding programmes: their conditions, history and the items relying on them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from tosei_common.catalogue.resilience import FundingChange, FundingCondition
from tosei_common.region.fiscal import fiscal_year_label
from tosei_resilience.api.responses.common import Change, ItemRef, changes, item_ref
from tosei_resilience.domain import labels
from tosei_resilience.domain.change_labels import programme_changes
from tosei_resilience.domain.funding import FundingProgramme, ProgrammeRevision
from tosei_resilience.domain.plan import ProgrammeDetail
from tosei_resilience.domain.plan_item import PlanItem


class ProgrammeOut(BaseModel):
    id: UUID
    name: str
    ministry: str
    condition: FundingCondition
    condition_label: str
    condition_note: str | None
    effective_from_fiscal_year: int | None
    effective_from_label: str | None
    version: int


class Programmes(BaseModel):
    funding_programmes: list[ProgrammeOut]


class ProgrammeRevisionOut(BaseModel):
    version: int
    change: FundingChange
    changes: dict[str, Change]
    reason: str
    actor: str
    recorded_at: datetime


class ProgrammeDetailOut(ProgrammeOut):
    history: list[ProgrammeRevisionOut]
    items: list[ItemRef]


class ProgrammeRevised(ProgrammeOut):
    flagged_items: list[ItemRef]


def _programme_fields(p: FundingProgramme) -> dict[str, Any]:
    year = p.effective_from_fiscal_year
    return {
        "id": p.id,
        "name": p.name,
        "ministry": p.ministry,
        "condition": p.condition,
        "condition_label": labels.CONDITION[p.condition],
        "condition_note": p.condition_note,
        "effective_from_fiscal_year": year,
        "effective_from_label": None if year is None else fiscal_year_label(year),
        "version": p.version,
    }


def programme(p: FundingProgramme) -> ProgrammeOut:
    return ProgrammeOut(**_programme_fields(p))


def programme_detail(d: ProgrammeDetail) -> ProgrammeDetailOut:
    return ProgrammeDetailOut(
        **_programme_fields(d.programme),
        history=[programme_revision(h) for h in d.history],
        items=[item_ref(i) for i in d.items],
    )


def programme_revised(p: FundingProgramme, flagged: Sequence[PlanItem]) -> ProgrammeRevised:
    return ProgrammeRevised(**_programme_fields(p), flagged_items=[item_ref(i) for i in flagged])


def programme_revision(r: ProgrammeRevision) -> ProgrammeRevisionOut:
    return ProgrammeRevisionOut(
        version=r.version,
        change=FundingChange(r.change),
        changes=changes(programme_changes(r.changes)),
        reason=r.reason,
        actor=r.actor,
        recorded_at=r.recorded_at,
    )
