"""Plan items of the regional resilience plan and the rules for adding, revising and retiring them.

An item keeps its identity (its id and number) across fiscal years. It changes only by a
revision based on its current version; it leaves the plan by retirement, which is final. An item
that is split or merged is retired and names the items that carry it on; those name where they
came from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tosei_common.catalogue.resilience import (
    Derivation,
    PlanItemField,
    PlanItemStatus,
    RetirementReason,
)
from tosei_common.platform.errors import InvalidTransition, Unprocessable
from tosei_resilience.domain.labels import STATUS
from tosei_resilience.domain.revisions import (
    FieldChange,
    RevisionKind,
    build,
    diff,
    ensure_changed,
    ensure_current,
)

#: Status changes a revision may make. Leaving the plan is retirement, not a status edit.
TRANSITIONS: Mapping[PlanItemStatus, frozenset[PlanItemStatus]] = {
    PlanItemStatus.PLANNED: frozenset({PlanItemStatus.IN_PROGRESS, PlanItemStatus.DONE}),
    # work can be put back to planned when it is postponed
    PlanItemStatus.IN_PROGRESS: frozenset({PlanItemStatus.PLANNED, PlanItemStatus.DONE}),
    # a finished phase is reopened when the plan extends the work
    PlanItemStatus.DONE: frozenset({PlanItemStatus.IN_PROGRESS}),
    PlanItemStatus.RETIRED: frozenset(),
}

CONTENT_FIELDS: tuple[str, ...] = tuple(f.value for f in PlanItemField)


class Kpi(BaseModel):
    """A key performance indicator (重要業績指標) with its target."""

    model_config = ConfigDict(frozen=True)

    indicator: str
    unit: str = ""
    baseline: float | None = None
    target: float
    target_fiscal_year: int | None = None


class PlanItemContent(BaseModel):
    """What a plan item says: everything a revision can change."""

    model_config = ConfigDict(frozen=True)

    title: str
    municipality: str | None = Field(description="Owning town's code; None: the whole region.")
    risk_scenario: str
    policy_area: str
    lead_department: str
    estimated_cost_yen: int | None
    fiscal_year_from: int
    fiscal_year_to: int
    status: PlanItemStatus
    funding_programmes: tuple[UUID, ...]
    kpis: tuple[Kpi, ...]

    @field_validator("funding_programmes")
    @classmethod
    def _as_a_set(cls, value: tuple[UUID, ...]) -> tuple[UUID, ...]:
        # Order carries no meaning; a canonical order keeps revisions from showing false diffs.
        return tuple(sorted(set(value), key=str))


class PlanItem(PlanItemContent):
    """A plan item as it stands at one version."""

    id: UUID
    number: int = Field(ge=1)
    version: int = Field(ge=1)
    derivation: Derivation | None = None
    derived_from: tuple[UUID, ...] = ()
    retirement: RetirementReason | None = None
    superseded_by: tuple[UUID, ...] = ()

    @property
    def label(self) -> str:
        """How messages name the item: 事業番号 and title."""
        return f"plan item No.{self.number} 「{self.title}」"

    @property
    def content(self) -> PlanItemContent:
        return PlanItemContent.model_validate(self.model_dump(include=set(CONTENT_FIELDS)))


@dataclass(frozen=True)
class Change:
    """One revision of an item: its kind, the state after it and the fields it changed."""

    kind: RevisionKind
    item: PlanItem
    changes: dict[str, FieldChange] = field(default_factory=dict)

    @property
    def changed_fields(self) -> list[str]:
        return list(self.changes)

    @property
    def snapshot(self) -> dict[str, Any]:
        return self.item.model_dump(mode="json")


def content_problems(content: PlanItemContent) -> dict[str, str]:
    """Rules across fields, as field-level messages (empty when the content is sound)."""
    problems: dict[str, str] = {}
    if content.fiscal_year_from > content.fiscal_year_to:
        problems["fiscal_year_to"] = (
            f"the last fiscal year ({content.fiscal_year_to}) is before the first "
            f"({content.fiscal_year_from})"
        )
    indicators = [k.indicator for k in content.kpis]
    repeated = sorted({i for i in indicators if indicators.count(i) > 1})
    if repeated:
        problems["kpis"] = f"each indicator once: {'、'.join(repeated)} is listed twice"
    return problems


def _check(content: PlanItemContent, prefix: str = "") -> None:
    problems = content_problems(content)
    if problems:
        raise Unprocessable(
            "; ".join(problems.values()), fields={prefix + k: v for k, v in problems.items()}
        )


def add_item(
    item_id: UUID,
    number: int,
    content: PlanItemContent,
    *,
    derivation: Derivation | None = None,
    derived_from: Sequence[UUID] = (),
    where: str = "",
) -> Change:
    """A new item at version 1. ``where`` prefixes field names in messages (e.g. ``parts.0.``)."""
    if content.status is PlanItemStatus.RETIRED:
        raise Unprocessable(
            "a new plan item cannot be retired already",
            fields={f"{where}status": "use planned, in_progress or done"},
        )
    _check(content, where)
    item = PlanItem(
        **content.model_dump(),
        id=item_id,
        number=number,
        version=1,
        derivation=derivation,
        derived_from=tuple(derived_from),
    )
    return Change(RevisionKind.ADDED, item)


def revise_item(item: PlanItem, *, expected_version: int, changes: Mapping[str, Any]) -> Change:
    """The item with ``changes`` applied, as the next version, with the field diff."""
    ensure_current(item.version, expected_version, item.label)
    if item.status is PlanItemStatus.RETIRED:
        raise InvalidTransition(f"{item.label} is retired; a retired item is not revised")
    unknown = sorted(set(changes) - set(CONTENT_FIELDS))
    if unknown:
        raise Unprocessable(
            f"these fields cannot be revised: {', '.join(unknown)}",
            fields={f: "not a revisable field" for f in unknown},
        )
    revised = build(PlanItem, {**item.model_dump(), **changes, "version": item.version + 1})
    if revised.status is not item.status:
        _check_transition(item, revised.status)
    _check(revised)
    changed = diff(item, revised, CONTENT_FIELDS)
    ensure_changed(changed, changes, item.label)
    return Change(RevisionKind.REVISED, revised, changed)


def _check_transition(item: PlanItem, to: PlanItemStatus) -> None:
    if to is PlanItemStatus.RETIRED:
        raise Unprocessable(
            "an item leaves the plan by retirement, not by a status edit",
            fields={"status": f"retire it with POST /plan-items/{item.id}/retire"},
        )
    if to not in TRANSITIONS[item.status]:
        raise InvalidTransition(
            f"{item.label} cannot go from {STATUS[item.status]} ({item.status}) "
            f"to {STATUS[to]} ({to})"
        )


def retire_item(
    item: PlanItem,
    *,
    expected_version: int,
    reason: RetirementReason,
    superseded_by: Sequence[UUID] = (),
) -> Change:
    """The item retired from the plan: final, and naming the items that carry it on, if any."""
    ensure_current(item.version, expected_version, item.label)
    if item.status is PlanItemStatus.RETIRED:
        raise InvalidTransition(f"{item.label} is retired already")
    retired = item.model_copy(
        update={
            "status": PlanItemStatus.RETIRED,
            "retirement": reason,
            "superseded_by": tuple(superseded_by),
            "version": item.version + 1,
        }
    )
    return Change(
        RevisionKind.RETIRED,
        retired,
        diff(item, retired, ("status", "retirement", "superseded_by")),
    )


@dataclass(frozen=True)
class NewPart:
    """An item to be created: its id and number are given by the caller (the database)."""

    id: UUID
    number: int
    content: PlanItemContent


def split_item(
    item: PlanItem, *, expected_version: int, parts: Sequence[NewPart]
) -> tuple[Change, list[Change]]:
    """One item becomes several: each part says it came from the item, which is retired."""
    if len(parts) < 2:
        raise Unprocessable(
            "a split makes at least two items; to change one item, revise it",
            fields={"parts": "give two or more parts"},
        )
    added = [
        add_item(
            p.id,
            p.number,
            p.content,
            derivation=Derivation.SPLIT,
            derived_from=(item.id,),
            where=f"parts.{i}.",
        )
        for i, p in enumerate(parts)
    ]
    retired = retire_item(
        item,
        expected_version=expected_version,
        reason=RetirementReason.SPLIT,
        superseded_by=[p.id for p in parts],
    )
    return retired, added


def merge_items(
    sources: Sequence[tuple[PlanItem, int]], merged: NewPart
) -> tuple[list[Change], Change]:
    """Several items become one: it names them all, and each is retired pointing at it."""
    ids = [item.id for item, _ in sources]
    repeated = [item for i, (item, _) in enumerate(sources) if item.id in ids[:i]]
    if repeated:
        # Retiring one item twice from the same version would make no sense and cannot be saved.
        named = "、".join(dict.fromkeys(item.label for item in repeated))
        raise Unprocessable(
            f"a merger names each item once: {named} is listed more than once",
            fields={"sources": f"each item once; {named} is listed more than once"},
        )
    if len(ids) < 2:
        raise Unprocessable(
            "a merger joins two or more different items",
            fields={"sources": "give two or more different items"},
        )
    added = add_item(
        merged.id,
        merged.number,
        merged.content,
        derivation=Derivation.MERGED,
        derived_from=ids,
        where="item.",
    )
    retired = [
        retire_item(
            item,
            expected_version=version,
            reason=RetirementReason.MERGED,
            superseded_by=(merged.id,),
        )
        for item, version in sources
    ]
    return retired, added
