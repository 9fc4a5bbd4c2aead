"""What every answer shares: how an owner and a field's change are shown, items named in passing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict
from uuid import UUID

from pydantic import BaseModel

from tosei_resilience.domain import labels
from tosei_resilience.domain.plan_item import PlanItem
from tosei_resilience.domain.revisions import FieldChange


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
    """One field's change: its JSON value before and after."""

    old: Any
    new: Any


def changes(changes: Mapping[str, FieldChange]) -> dict[str, Change]:
    return {f: Change(old=c["old"], new=c["new"]) for f, c in changes.items()}


class ItemRef(Owned):
    """An item named in passing: id, number, title and owner."""

    id: UUID
    number: int
    title: str


def item_ref(i: PlanItem) -> ItemRef:
    return ItemRef(id=i.id, number=i.number, title=i.title, **owner(i.municipality))
