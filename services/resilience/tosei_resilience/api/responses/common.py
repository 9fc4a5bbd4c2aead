"""What every answer shares: how an owner and a field's change are shown, items named in passing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict
from uuid import UUID

from pydantic import BaseModel, Field

from tosei_resilience.domain import labels
from tosei_resilience.domain.change_labels import LabelledChange
from tosei_resilience.domain.plan_item import PlanItem


class Owned(BaseModel):
    """A record's owning municipality: its code (None: 圏域全体) and its name."""

    municipality: str | None
    municipality_name: str


class OwnerFields(TypedDict):
    municipality: str | None
    municipality_name: str


def owner(code: str | None) -> OwnerFields:
    """The fields of ``Owned`` for a municipality's code (None: the whole region)."""
    return {"municipality": code, "municipality_name": labels.owner_name(code)}


class Change(BaseModel):
    """One field's change: its JSON value before and after, and for a coded field (status,
    scenario, policy area, owner, programmes, fiscal years…) the words people read for them."""

    old: Any
    new: Any
    old_label: str | None = Field(description="e.g. 計画 for planned; None: not a coded field.")
    new_label: str | None = Field(description="e.g. 実施中 for in_progress.")


def changes(changes: Mapping[str, LabelledChange]) -> dict[str, Change]:
    return {
        f: Change(old=c.old, new=c.new, old_label=c.old_label, new_label=c.new_label)
        for f, c in changes.items()
    }


class ItemRef(Owned):
    """An item named in passing: id, number, title and owner."""

    id: UUID
    number: int
    title: str


def item_ref(i: PlanItem) -> ItemRef:
    return ItemRef(id=i.id, number=i.number, title=i.title, **owner(i.municipality))
