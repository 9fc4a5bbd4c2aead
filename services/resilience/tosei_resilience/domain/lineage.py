"""Where items come from and go: a split makes several items of one, a merger one of several.

The item that is split, and each item merged, is retired naming the items that carry it on;
those name where they came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from tosei_common.catalogue.resilience import Derivation, RetirementReason
from tosei_common.platform.errors import Message, Unprocessable, ensure_current
from tosei_resilience.domain.plan_item import (
    Change,
    PlanItem,
    PlanItemContent,
    add_item,
    retire_item,
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
            "分割では2件以上の事業を作ります。1件の事業を変えるときは変更してください",
            en="a split makes at least two items; to change one item, revise it",
            fields={"parts": Message("2件以上指定してください", "give two or more parts")},
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
        labels = list({item.id: item.label for item in repeated}.values())
        ja, en = "、".join(m.ja for m in labels), "、".join(m.en for m in labels)
        raise Unprocessable(
            f"統合する事業は一度ずつ指定してください（{ja}が重複しています）",
            en=f"a merger names each item once: {en} is listed more than once",
            fields={
                "sources": Message(
                    f"一度ずつ指定してください（{ja}が重複しています）",
                    f"each item once; {en} is listed more than once",
                )
            },
        )
    if len(ids) < 2:
        raise Unprocessable(
            "統合では2件以上の異なる事業をまとめます",
            en="a merger joins two or more different items",
            fields={
                "sources": Message(
                    "異なる事業を2件以上指定してください", "give two or more different items"
                )
            },
        )
    for i, (item, version) in enumerate(sources):
        # Each source is named by its place in the request, so the screen can mark that row.
        ensure_current(item.version, version, item.label, field=f"sources.{i}.version")
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
