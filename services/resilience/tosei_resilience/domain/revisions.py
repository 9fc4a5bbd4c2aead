"""Versioned records: every change is a revision with the fields it changed, old and new.

A revision keeps the full state after the change (its snapshot) beside the field diff, so the plan
as it stood at any moment is the latest snapshot of each item recorded by then, and the diffs
are what people read in an item's history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar
from uuid import UUID

from pydantic import BaseModel, ValidationError

from tosei_common.platform.errors import Message, Unprocessable


class RevisionKind(StrEnum):
    ADDED = "added"
    REVISED = "revised"
    RETIRED = "retired"


class RevisionSource(StrEnum):
    """Where a revision came from: made through the API as it happened, or taken from a history
    import (the plan's past, dated when it was decided)."""

    LIVE = "live"
    IMPORT = "import"


@dataclass(frozen=True)
class Imported:
    """Marks the revisions a history import writes: which import, and when it wrote them."""

    import_id: UUID
    imported_at: datetime


#: One field's change as stored and shown: {"old": ..., "new": ...} in JSON values.
FieldChange = dict[str, Any]


@dataclass(frozen=True)
class RevisionRecord:
    """A stored revision of a plan item: what changed, the state after it, who, when and why."""

    seq: int
    item_id: UUID
    version: int
    kind: RevisionKind
    changed_fields: tuple[str, ...]
    changes: Mapping[str, FieldChange]
    snapshot: Mapping[str, Any]
    reason: str
    actor: str
    recorded_at: datetime  # when it took effect: for an imported revision, the decision day
    source: RevisionSource = RevisionSource.LIVE
    imported_at: datetime | None = None  # when the import wrote it


def diff(old: BaseModel, new: BaseModel, fields: Iterable[str]) -> dict[str, FieldChange]:
    """The fields whose JSON value differs between two states, with the old and new values."""
    before = old.model_dump(mode="json")
    after = new.model_dump(mode="json")
    return {f: {"old": before[f], "new": after[f]} for f in fields if before[f] != after[f]}


def ensure_changed(changed: Mapping[str, FieldChange], asked: Iterable[str], what: Message) -> None:
    """A revision must change something; one that repeats the current values is refused."""
    if not changed:
        same = Message("今の内容と同じです", "same as the current value")
        raise Unprocessable(
            f"変更する内容がありません（{what.ja}はすでにこの内容です）",
            en=f"the revision changes nothing: {what.en} already says this",
            fields={f: same for f in asked}
            or {"body": Message("変更する項目がありません", "no fields given")},
        )


Model = TypeVar("Model", bound=BaseModel)


def build(model: type[Model], data: Mapping[str, Any], *, prefix: str = "") -> Model:
    """Validate a state; a value that does not fit is a 422 naming the field, not a crash."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fields = {
            prefix + ".".join(str(p) for p in error["loc"]): Message(
                "この値は使えません", error["msg"]
            )
            for error in exc.errors()
        }
        named = list(fields)[:3]
        summary = "; ".join(f"{k}: {fields[k].en}" for k in named)
        raise Unprocessable(
            f"使えない値があります（{'、'.join(named)}）",
            en=f"invalid value: {summary}",
            fields=fields,
        ) from exc
