"""What changed in the plan in one fiscal year, for the towns' annual review (年次見直し).

Built only from the revision history: the items added, revised (which fields, how often) and
retired in the year, counted per owning municipality, and the plan's statuses at the year's end.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from tosei_common.catalogue.resilience import PlanItemField, PlanItemStatus
from tosei_common.region.fiscal import fiscal_year
from tosei_resilience.domain.revisions import RevisionKind, RevisionRecord

_FIELD_ORDER = {f.value: i for i, f in enumerate(PlanItemField)}
#: The statuses of items still in the plan, counted at the year's end.
ACTIVE = (PlanItemStatus.PLANNED, PlanItemStatus.IN_PROGRESS, PlanItemStatus.DONE)


@dataclass(frozen=True)
class ItemYear:
    """One item's changes in the year."""

    item_id: UUID
    number: int
    title: str
    municipality: str | None
    added: bool
    retired: bool
    retirement: str | None
    revisions: int  # revisions of kind "revised" (not the addition or the retirement)
    changed_fields: tuple[str, ...]
    last_changed_at: datetime
    reasons: tuple[str, ...]

    @property
    def kinds(self) -> list[RevisionKind]:
        kinds = [RevisionKind.ADDED] if self.added else []
        if self.revisions:
            kinds.append(RevisionKind.REVISED)
        if self.retired:
            kinds.append(RevisionKind.RETIRED)
        return kinds


@dataclass(frozen=True)
class Counts:
    added: int = 0
    revised: int = 0
    retired: int = 0


@dataclass(frozen=True)
class AnnualSummary:
    fiscal_year: int
    items: list[ItemYear]
    by_municipality: dict[str | None, Counts]
    field_counts: dict[str, int]  # items that had the field changed, per field
    status_at_year_end: dict[str, int]

    @property
    def totals(self) -> Counts:
        return Counts(
            added=sum(1 for i in self.items if i.added),
            revised=sum(1 for i in self.items if i.revisions),
            retired=sum(1 for i in self.items if i.retired),
        )


def summarise_year(
    fy: int,
    records: Iterable[RevisionRecord],
    plan_at_year_end: Iterable[Mapping[str, Any]] = (),
) -> AnnualSummary:
    """The year's changes from its revisions (others are ignored) and the statuses of the items
    in the plan at its end (``plan_at_year_end``: their snapshots, retired ones left out)."""
    by_item: dict[UUID, list[RevisionRecord]] = {}
    for record in sorted(records, key=lambda r: (r.recorded_at, r.seq)):
        if fiscal_year(record.recorded_at) == fy:
            by_item.setdefault(record.item_id, []).append(record)
    items = [_item_year(revisions) for revisions in by_item.values()]
    items.sort(key=lambda i: i.number)

    tallies: dict[str | None, Counter[str]] = {}
    fields: Counter[str] = Counter()
    for item in items:
        tally = tallies.setdefault(item.municipality, Counter())
        for kind in item.kinds:
            tally[kind.value] += 1
        fields.update(item.changed_fields)
    by_municipality = {
        town: Counts(t["added"], t["revised"], t["retired"]) for town, t in tallies.items()
    }
    statuses = Counter(str(s["status"]) for s in plan_at_year_end)
    return AnnualSummary(
        fiscal_year=fy,
        items=items,
        by_municipality=by_municipality,
        field_counts=dict(sorted(fields.items(), key=lambda kv: _FIELD_ORDER.get(kv[0], 99))),
        status_at_year_end={
            s.value: statuses.get(s.value, 0) for s in PlanItemStatus if s in ACTIVE
        },
    )


def _item_year(revisions: list[RevisionRecord]) -> ItemYear:
    last = revisions[-1]
    revised = [r for r in revisions if r.kind is RevisionKind.REVISED]
    changed = {f for r in revised for f in r.changed_fields}
    retired = last.kind is RevisionKind.RETIRED
    return ItemYear(
        item_id=last.item_id,
        number=int(last.snapshot["number"]),
        title=str(last.snapshot["title"]),
        municipality=last.snapshot["municipality"],
        added=revisions[0].kind is RevisionKind.ADDED,
        retired=retired,
        retirement=last.snapshot.get("retirement") if retired else None,
        revisions=len(revised),
        changed_fields=tuple(sorted(changed, key=lambda f: _FIELD_ORDER.get(f, 99))),
        last_changed_at=last.recorded_at,
        reasons=tuple(r.reason for r in revisions),
    )
