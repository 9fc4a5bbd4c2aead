"""The events that announce a change of the plan: ids, codes and field names, no free text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from tosei_common.catalogue.resilience import (
    FundingProgrammeChanged,
    PlanItemAdded,
    PlanItemField,
    PlanItemRetired,
    PlanItemRevised,
)
from tosei_common.platform.events import Event
from tosei_resilience.domain.funding import ProgrammeChange
from tosei_resilience.domain.plan_item import Change
from tosei_resilience.domain.revisions import RevisionKind


def plan_item_event(change: Change, at: datetime) -> Event:
    """The event of one revision of an item, dated ``at``."""
    item = change.item
    if change.kind is RevisionKind.ADDED:
        return PlanItemAdded(
            item_id=item.id,
            number=item.number,
            municipality=item.municipality,
            risk_scenario=item.risk_scenario,
            policy_area=item.policy_area,
            status=item.status,
            fiscal_year_from=item.fiscal_year_from,
            fiscal_year_to=item.fiscal_year_to,
            estimated_cost_yen=item.estimated_cost_yen,
            funding_programme_ids=list(item.funding_programmes),
            derivation=item.derivation,
            derived_from=list(item.derived_from),
            version=item.version,
            added_at=at,
        )
    if change.kind is RevisionKind.REVISED:
        return PlanItemRevised(
            item_id=item.id,
            number=item.number,
            municipality=item.municipality,
            changed_fields=[PlanItemField(f) for f in change.changed_fields],
            status=item.status,
            version=item.version,
            revised_at=at,
        )
    assert item.retirement is not None
    return PlanItemRetired(
        item_id=item.id,
        number=item.number,
        municipality=item.municipality,
        reason=item.retirement,
        superseded_by=list(item.superseded_by),
        version=item.version,
        retired_at=at,
    )


def programme_event(
    change: ProgrammeChange, flagged: Sequence[UUID], at: datetime
) -> FundingProgrammeChanged:
    """The event of a programme's change, naming the items it flagged for review."""
    programme = change.programme
    return FundingProgrammeChanged(
        programme_id=programme.id,
        change=change.kind,
        changed_fields=change.changed_fields,
        condition=programme.condition,
        effective_from_fiscal_year=programme.effective_from_fiscal_year,
        conditions_changed=change.conditions_changed,
        flagged_item_ids=list(flagged),
        version=programme.version,
        changed_at=at,
    )
