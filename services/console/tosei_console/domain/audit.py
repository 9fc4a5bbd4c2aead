"""監査記録: what the auditors' screen shows of a service's audit trail, in Japanese."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tosei_common.platform.audit import ACTION_NAMES, ENTITY_NAMES

#: The services whose trail the screen reads (each mounts ``/audit-log``), in the form's order.
SERVICES: dict[str, str] = {
    "intake": "相談受付",
    "caseflow": "案件管理",
    "seminar": "セミナー",
    "console": "コンソール",
    "resilience": "強靱化計画",
    "requests": "要望",
}

#: The console's own actors that are not a person.
ACTORS: dict[str, str] = {"console:sign-in": "ログイン画面"}

#: What a read entry says was shown.
PARTS: dict[str, str] = {
    "client_record": "相談者の記録",
    "contacts": "連絡先",
    "confidential_notes": "非公開のメモ",
    "search_result": "検索結果",
    "list": "一覧",
    "export": "書き出し",
    "attendee_list": "参加者名簿",
    "entries": "監査記録",
    "csv": "監査記録のCSV",
}

#: Entries on one page of the screen.
PAGE_SIZE = 50


def action_label(action: str) -> str:
    """閲覧 for viewed, 訂正 for corrected, …; an action the console has no word for as it is."""
    return ACTION_NAMES.get(action, action)


def entity_label(entity: str) -> str:
    return ENTITY_NAMES.get(entity, entity)


def _value(value: Any) -> str:
    if value is None or value == "":
        return "（なし）"
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    return str(value)


def changes_text(entry: Mapping[str, Any]) -> str:
    """``phone: 017-… → 017-…; name: … → …`` for a change; what was shown for a read."""
    viewed = entry.get("viewed")
    if viewed:
        parts = []
        if viewed.get("part"):
            parts.append(f"表示: {PARTS.get(viewed['part'], viewed['part'])}")
        if viewed.get("filter"):
            asked = "、".join(f"{k}={v}" for k, v in sorted(viewed["filter"].items()))
            parts.append(f"条件: {asked}")
        if viewed.get("entries") is not None:
            parts.append(f"{viewed['entries']}件")
        return "／".join(parts)
    changes: Mapping[str, Mapping[str, Any]] = entry.get("changes") or {}
    return "; ".join(
        f"{name}: {_value(change.get('old'))} → {_value(change.get('new'))}"
        for name, change in changes.items()
    )


def pages(total: int, offset: int, size: int = PAGE_SIZE) -> dict[str, int | None]:
    """Where the previous and next pages start (None: there is none), and which is shown."""
    return {
        "previous": max(offset - size, 0) if offset > 0 else None,
        "next": offset + size if offset + size < total else None,
        "first": offset + 1 if total else 0,
        "last": min(offset + size, total),
    }
