"""The annual summary: what changed in the plan in one fiscal year, per town and per field."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from tosei_common.catalogue.resilience import PlanItemStatus, RetirementReason
from tosei_common.region.fiscal import fiscal_year_display, fiscal_year_label
from tosei_resilience.api.responses.common import Owned, owner
from tosei_resilience.domain import labels
from tosei_resilience.domain.revisions import RevisionKind
from tosei_resilience.domain.summary import AnnualSummary, ItemYear
from tosei_resilience.domain.summary import Counts as SummaryCounts


class Counts(BaseModel):
    added: int
    revised: int
    retired: int


class TownCounts(Owned, Counts):
    pass


class FieldCount(BaseModel):
    field: str
    label: str
    items: int


class StatusCount(BaseModel):
    status: PlanItemStatus
    label: str
    items: int


class ItemYearOut(Owned):
    item_id: UUID
    number: int
    title: str
    kinds: list[RevisionKind]
    kinds_label: str
    revisions: int
    changed_fields: list[str]
    changed_fields_label: str
    retirement: RetirementReason | None
    last_changed_at: datetime
    reasons: list[str]


class Summary(BaseModel):
    fiscal_year: int
    fiscal_year_label: str
    fiscal_year_display: str
    totals: Counts
    by_municipality: list[TownCounts]
    changed_fields: list[FieldCount]
    status_at_year_end: list[StatusCount]
    items: list[ItemYearOut]


def _counts(c: SummaryCounts) -> dict[str, int]:
    return {"added": c.added, "revised": c.revised, "retired": c.retired}


def item_year(i: ItemYear) -> ItemYearOut:
    return ItemYearOut(
        item_id=i.item_id,
        number=i.number,
        title=i.title,
        **owner(i.municipality),
        kinds=i.kinds,
        kinds_label="・".join(labels.REVISION_KIND[k] for k in i.kinds),
        revisions=i.revisions,
        changed_fields=list(i.changed_fields),
        changed_fields_label=labels.field_names(list(i.changed_fields)),
        retirement=i.retirement and RetirementReason(i.retirement),
        last_changed_at=i.last_changed_at,
        reasons=list(i.reasons),
    )


def summary(s: AnnualSummary) -> Summary:
    towns = sorted(s.by_municipality.items(), key=lambda kv: kv[0] or "999999")
    return Summary(
        fiscal_year=s.fiscal_year,
        fiscal_year_label=fiscal_year_label(s.fiscal_year),
        fiscal_year_display=fiscal_year_display(s.fiscal_year),
        totals=Counts(**_counts(s.totals)),
        by_municipality=[TownCounts(**owner(town), **_counts(c)) for town, c in towns],
        changed_fields=[
            FieldCount(field=f, label=labels.field_names([f]), items=n)
            for f, n in s.field_counts.items()
        ],
        status_at_year_end=[
            StatusCount(status=PlanItemStatus(st), label=labels.STATUS[PlanItemStatus(st)], items=n)
            for st, n in s.status_at_year_end.items()
        ],
        items=[item_year(i) for i in s.items],
    )
