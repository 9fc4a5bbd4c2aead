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
from tosei_common.platform.errors import (
    InvalidTransition,
    Message,
    NotFound,
    Unprocessable,
    ensure_current,
)
from tosei_common.region.fiscal import fiscal_year_label
from tosei_resilience.domain.labels import STATUS, field_names
from tosei_resilience.domain.revisions import (
    FieldChange,
    RevisionKind,
    build,
    diff,
    ensure_changed,
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
#: What every item says; a revision cannot empty it. (No cost: not estimated yet; no
#: municipality: an item of the whole region.)
REQUIRED_FIELDS: tuple[str, ...] = tuple(
    f for f in CONTENT_FIELDS if f not in ("estimated_cost_yen", "municipality")
)


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
    def label(self) -> Message:
        """How messages name the item: 事業番号 and title."""
        return Message(
            f"計画事業 No.{self.number}「{self.title}」",
            f"plan item No.{self.number} 「{self.title}」",
        )

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


def no_such_item(item_id: UUID) -> NotFound:
    return NotFound(f"計画事業（ID: {item_id}）が見つかりません", en=f"no plan item {item_id}")


def content_problems(content: PlanItemContent) -> dict[str, Message]:
    """Rules across fields, as field-level messages (empty when the content is sound)."""
    problems: dict[str, Message] = {}
    first, last = content.fiscal_year_from, content.fiscal_year_to
    if first > last:
        problems["fiscal_year_to"] = Message(
            f"終了年度（{fiscal_year_label(last)}）が開始年度（{fiscal_year_label(first)}）より前です",
            f"the last fiscal year ({last}) is before the first ({first})",
        )
    indicators = [k.indicator for k in content.kpis]
    repeated = "、".join(sorted({i for i in indicators if indicators.count(i) > 1}))
    if repeated:
        problems["kpis"] = Message(
            f"指標は一度ずつ入力してください（{repeated}が重複しています）",
            f"each indicator once: {repeated} is listed twice",
        )
    return problems


def _check(content: PlanItemContent, prefix: str = "") -> None:
    problems = content_problems(content)
    if problems:
        raise Unprocessable(
            "、".join(p.ja for p in problems.values()),
            en="; ".join(p.en for p in problems.values()),
            fields={prefix + k: v for k, v in problems.items()},
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
            "新しい計画事業を廃止の状態で追加することはできません",
            en="a new plan item cannot be retired already",
            fields={
                f"{where}status": Message(
                    "計画・実施中・完了（planned, in_progress, done）のいずれかにしてください",
                    "use planned, in_progress or done",
                )
            },
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
        raise InvalidTransition(
            f"{item.label.ja}は廃止済みのため変更できません",
            en=f"{item.label.en} is retired; a retired item is not revised",
        )
    _ensure_revisable(changes)
    revised = build(PlanItem, {**item.model_dump(), **changes, "version": item.version + 1})
    if revised.status is not item.status:
        _check_transition(item, revised.status)
    _check(revised)
    changed = diff(item, revised, CONTENT_FIELDS)
    ensure_changed(changed, changes, item.label)
    return Change(RevisionKind.REVISED, revised, changed)


def _ensure_revisable(changes: Mapping[str, Any]) -> None:
    """Only what an item says changes, and what every item must say cannot be emptied."""
    unknown = sorted(set(changes) - set(CONTENT_FIELDS))
    if unknown:
        raise Unprocessable(
            f"変更できない項目があります（{'、'.join(unknown)}）",
            en=f"these fields cannot be revised: {', '.join(unknown)}",
            fields={
                f: Message("変更できる項目ではありません", "not a revisable field") for f in unknown
            },
        )
    emptied = [f for f in REQUIRED_FIELDS if f in changes and changes[f] is None]
    if emptied:
        raise Unprocessable(
            f"空にできない項目があります（{'、'.join(field_names(emptied))}）",
            en=f"these fields cannot be emptied: {', '.join(emptied)}",
            fields={f: Message("空にはできません", "cannot be emptied") for f in emptied},
        )


def _check_transition(item: PlanItem, to: PlanItemStatus) -> None:
    if to is PlanItemStatus.RETIRED:
        raise Unprocessable(
            "計画事業は進捗状況の変更ではなく、廃止の手続きで計画から外します",
            en="an item leaves the plan by retirement, not by a status edit",
            fields={
                "status": Message(
                    f"POST /plan-items/{item.id}/retire で廃止してください",
                    f"retire it with POST /plan-items/{item.id}/retire",
                )
            },
        )
    if to not in TRANSITIONS[item.status]:
        raise InvalidTransition(
            f"{item.label.ja}の進捗状況は{STATUS[item.status]}（{item.status}）から"
            f"{STATUS[to]}（{to}）には変えられません",
            en=f"{item.label.en} cannot go from {STATUS[item.status]} ({item.status}) "
            f"to {STATUS[to]} ({to})",
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
        raise InvalidTransition(
            f"{item.label.ja}はすでに廃止されています", en=f"{item.label.en} is retired already"
        )
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


#: Retirements that only a split or a merger records.
BY_LINEAGE = frozenset({RetirementReason.SPLIT, RetirementReason.MERGED})


def retire_by_decision(
    item: PlanItem, *, expected_version: int, reason: RetirementReason
) -> Change:
    """The item retired because its owner decided so (completed, abolished, other)."""
    if reason in BY_LINEAGE:
        raise Unprocessable(
            "分割・統合による廃止は、分割または統合の手続きで記録されます",
            en="split and merged items are retired by the split or the merger itself",
            fields={
                "retirement": Message(
                    "POST /plan-items/{id}/split または POST /plan-items/merge を使ってください",
                    "use POST /plan-items/{id}/split or POST /plan-items/merge",
                )
            },
        )
    return retire_item(item, expected_version=expected_version, reason=reason)
