"""A seminar's budget: lines with planned and actual amounts, their totals, and warnings where
the plan does not cover the chosen venue's fee or the speakers' fees."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from tosei_common.platform.errors import NotFound


class BudgetCategory(StrEnum):
    VENUE = "venue"  # 会場使用料
    KEYNOTE = "keynote"  # 講師謝金
    TRAVEL = "travel"  # 講師旅費
    OTHER = "other"  # その他

    @property
    def label(self) -> str:
        return BUDGET_LABELS[self]


BUDGET_LABELS: dict[BudgetCategory, str] = {
    BudgetCategory.VENUE: "会場使用料",
    BudgetCategory.KEYNOTE: "講師謝金",
    BudgetCategory.TRAVEL: "講師旅費",
    BudgetCategory.OTHER: "その他",
}


@dataclass(frozen=True)
class BudgetLine:
    """The amounts of a line, as the summary counts them."""

    category: BudgetCategory
    planned: int
    actual: int | None


@dataclass(frozen=True)
class BudgetEntry:
    """A line of a seminar's budget as recorded."""

    id: UUID
    category: BudgetCategory
    item: str
    planned: int
    actual: int | None
    updated_by: str
    updated_at: datetime

    @property
    def amounts(self) -> BudgetLine:
        return BudgetLine(self.category, self.planned, self.actual)


@dataclass(frozen=True)
class BudgetSummary:
    planned_total: int
    actual_total: int
    unsettled_lines: int  # lines without an actual amount yet
    warnings: list[str]


def summarise_budget(
    lines: Sequence[BudgetLine], *, venue_fee: int | None, speaker_fees: int
) -> BudgetSummary:
    """Totals, and where the plan does not cover the chosen venue's fee or the speakers' fees."""
    planned = {c: sum(line.planned for line in lines if line.category is c) for c in BudgetCategory}
    warnings: list[str] = []
    if venue_fee is not None and planned[BudgetCategory.VENUE] < venue_fee:
        warnings.append(
            f"会場使用料の予算{planned[BudgetCategory.VENUE]:,}円が選定会場の使用料"
            f"{venue_fee:,}円に足りません"
        )
    if planned[BudgetCategory.KEYNOTE] < speaker_fees:
        warnings.append(
            f"講師謝金の予算{planned[BudgetCategory.KEYNOTE]:,}円が講師謝金の合計"
            f"{speaker_fees:,}円に足りません"
        )
    return BudgetSummary(
        planned_total=sum(line.planned for line in lines),
        actual_total=sum(line.actual or 0 for line in lines),
        unsettled_lines=sum(1 for line in lines if line.actual is None),
        warnings=warnings,
    )


@dataclass(frozen=True)
class BudgetPatch:
    """What a change to a line gives: None keeps the field; ``clear_actual`` removes the actual
    amount (it was given as null)."""

    category: BudgetCategory | None = None
    item: str | None = None
    planned: int | None = None
    actual: int | None = None
    clear_actual: bool = False


def revise_entry(
    old: BudgetEntry | None, line_id: UUID, patch: BudgetPatch, *, actor: str, at: datetime
) -> BudgetEntry:
    """The line with the fields the patch gives."""
    if old is None:
        raise no_such_line(line_id)
    return BudgetEntry(
        old.id,
        patch.category or old.category,
        patch.item or old.item,
        old.planned if patch.planned is None else patch.planned,
        None if patch.clear_actual else (old.actual if patch.actual is None else patch.actual),
        actor,
        at,
    )


def no_such_line(line_id: UUID) -> NotFound:
    return NotFound(
        "この研修会にその予算項目はありません", en=f"the seminar has no budget line {line_id}"
    )
