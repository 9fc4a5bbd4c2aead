"""What every service's part of a disclosure (本人開示) shares: the history of a record as the
audit trail holds it, told in Japanese words, and the answer's common header.

A person asking what is held about them is also told what was corrected, when and why; each
service reads its own ``audit_log`` (never another's) and shows each change as the field's
Japanese name with the old and the new value (the entries themselves are read by
``tosei_common.platform.audit_log.history``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from tosei_common.platform.audit import AuditRow

__all__ = [
    "AuditRow",
    "FieldChangeOut",
    "HistoryEntryOut",
    "history",
]


class FieldChangeOut(BaseModel):
    field: str = Field(examples=["description"])
    label: str = Field(description="The field's Japanese name.", examples=["相談内容"])
    old: str | None = Field(examples=["資金繰りの相談"])
    new: str | None = Field(examples=["資金繰りと販路の相談"])


class HistoryEntryOut(BaseModel):
    """Something done to the record: a correction (old → new), a merge, a stop of its use…"""

    at: datetime
    actor: str = Field(examples=["desk:sato"])
    action: str = Field(examples=["corrected"])
    action_label: str = Field(examples=["訂正"])
    reason: str | None = Field(examples=["市町村の入力誤り"])
    changes: list[FieldChangeOut]


#: A field's value as a person reads it (a municipality's name for its code, a label for a
#: category code).
Shown = Callable[[Any], str]


def _plain(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or None
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    return str(value)


def _field_changes(
    changes: Mapping[str, Any], labels: Mapping[str, str], shown: Mapping[str, Shown]
) -> list[FieldChangeOut]:
    found: list[FieldChangeOut] = []
    for name, change in changes.items():
        if name not in labels or not isinstance(change, dict):
            continue  # ids and counts the audit keeps for its own sake
        show = shown.get(name)

        def told(value: Any, show: Shown | None = show) -> str | None:
            if value is None or value == []:
                return None
            if show is None:
                return _plain(value)
            if isinstance(value, list):
                return "、".join(show(v) for v in value)
            return show(value)

        if "old" in change or "new" in change:
            old, new = told(change.get("old")), told(change.get("new"))
        else:  # a set of contacts: the ones taken away and the ones added
            old, new = told(change.get("removed")), told(change.get("added"))
        found.append(FieldChangeOut(field=name, label=labels[name], old=old, new=new))
    return found


def history(
    rows: Iterable[AuditRow],
    *,
    actions: Mapping[str, str],
    fields: Mapping[str, str],
    shown: Mapping[str, Shown] | None = None,
) -> list[HistoryEntryOut]:
    """The entries whose action has a Japanese name in ``actions`` (others are left out), each
    change shown with its field's name from ``fields``."""
    return [
        HistoryEntryOut(
            at=row.at,
            actor=row.actor,
            action=row.action,
            action_label=actions[row.action],
            reason=row.reason,
            changes=_field_changes(row.changes, fields, shown or {}),
        )
        for row in rows
        if row.action in actions
    ]
