"""Every change is a revision: who, when, why and the fields it changed, old and new.

The diff is what the history shows (it is stored as the change's audit entry); the version
numbers keep two people from overwriting each other's change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from tosei_common.platform.errors import Message, Unprocessable

#: One field's change as stored and shown: {"old": ..., "new": ...} in JSON values.
FieldChange = dict[str, Any]


def diff(old: BaseModel, new: BaseModel, fields: Iterable[str]) -> dict[str, FieldChange]:
    """The fields whose JSON value differs between two states, with the old and new values."""
    before = old.model_dump(mode="json")
    after = new.model_dump(mode="json")
    return {f: {"old": before[f], "new": after[f]} for f in fields if before[f] != after[f]}


def created(new: BaseModel, fields: Iterable[str]) -> dict[str, FieldChange]:
    """A new record's fields as a diff from nothing."""
    after = new.model_dump(mode="json")
    return {f: {"old": None, "new": after[f]} for f in fields}


def ensure_changed(changed: Mapping[str, FieldChange], asked: Iterable[str], what: str) -> None:
    """A revision must change something; one that repeats the current values is refused."""
    if changed:
        return
    same = Message("今の内容と同じです", "same as the current value")
    raise Unprocessable(
        f"変更がありません: {what}はすでにこの内容です",
        en=f"the change changes nothing: {what} already says this",
        fields={f: same for f in asked} or {"body": Message("項目がありません", "no fields")},
    )


def ensure_reason(reason: str | None, why: Message) -> None:
    """Some changes must say why (a return, a withdrawal, a change after the agenda was fixed)."""
    if reason is None:
        raise Unprocessable(
            f"理由を入力してください（{why.ja}）",
            en=f"give a reason: {why.en}",
            fields={"reason": Message(f"{why.ja}ので、理由が必要です", f"required: {why.en}")},
        )


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change: who, when, what was done, why, and the field diff."""

    at: datetime
    actor: str
    entity: str
    action: str
    reason: str | None
    changes: dict[str, Any]
