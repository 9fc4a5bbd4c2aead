"""Who changed what: the entries of a seminar's audit trail, as the history shows them, each
with a sentence in Japanese saying what happened (names and seats, not ids)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tosei_common.region.fiscal import fiscal_year_label
from tosei_common.region.municipalities import municipality
from tosei_seminar.domain.seminar import SeminarState


@dataclass(frozen=True)
class Entry:
    at: datetime
    actor: str  # role:subject, or registrant:<registration id>
    action: str  # seminar.created, venue.chosen, registration.accepted, …
    changes: dict[str, Any]
    reason: str | None


#: How the audit trail names a seminar (and everything about it: its places, registrations…).
SEMINAR = "seminar"
#: ... and a year of the host rotation (its id is the fiscal year).
ROTATION = "rotation"


#: Fields whose change the sentences show as before → after (the rest: what was set).
_COMPARED = frozenset({"name", "municipality", "capacity", "stream_url"})


def _as_recorded_before(changes: Mapping[str, Any]) -> dict[str, Any]:
    """An entry in the platform's one shape (``{field: {"old", "new"}}``) as the sentences read
    it: a compared field as ``{"from", "to"}``, any other as its new value (a removed one's
    as it was). Entries written before the shape was shared (``{"from", "to"}`` and plain
    values) read as they are."""
    plain: dict[str, Any] = {}
    for key, value in changes.items():
        if isinstance(value, Mapping) and set(value) == {"old", "new"}:
            if key in _COMPARED:
                plain[key] = {"from": value["old"], "to": value["new"]}
            else:
                plain[key] = value["old"] if value["new"] is None else value["new"]
        else:
            plain[key] = value
    return plain


def summary(entry: Entry) -> str:
    """What the entry did, in a sentence; entries recorded before places were named (ids only)
    still read, with what they carry."""
    c = _as_recorded_before(entry.changes)
    if entry.action.startswith("seminar.") and entry.action != "seminar.created":
        state = entry.action.removeprefix("seminar.")
        if state in {s.value for s in SeminarState} and "from" in c:
            before = SeminarState(c["from"]).label
            return f"状態を「{before}」から「{SeminarState(state).label}」にしました"
    describe = _SENTENCES.get(entry.action)
    sentence = describe(c) if describe else _FIXED.get(entry.action, entry.action)
    return sentence + _promotions(c)


def _name(c: Mapping[str, Any]) -> str:
    """The place as it is called now."""
    return str(_to(c.get("name")) or c.get("place") or c.get("venue") or "")


def _details(c: Mapping[str, Any], *, renamed: bool = True) -> str:
    """What changed about a place besides its name: （平内町→今別町、40席→60席）."""
    details = []
    if renamed and _from(c.get("name")):
        details.append(f"名称を「{_to(c['name'])}」に")
    if isinstance(c.get("municipality"), dict) and _to(c["municipality"]):
        details.append(_change(c["municipality"], lambda code: municipality(code).name))
    if isinstance(c.get("capacity"), dict):
        details.append(_change(c["capacity"], lambda n: f"{n}席"))
    return f"（{'、'.join(details)}）" if details else ""


def _venue_chosen(c: Mapping[str, Any]) -> str:
    before = _from(c.get("name"))
    if before:
        return f"会場を「{before}」から「{_name(c)}」に変更しました{_details(c, renamed=False)}"
    return f"会場を「{_name(c)}」に決めました{_details(c)}"


def _site_changed(c: Mapping[str, Any]) -> str:
    return f"サテライト会場「{_from(c.get('name')) or _name(c)}」を変更しました{_details(c)}"


def _change(value: Mapping[str, Any], shown: Callable[[Any], str]) -> str:
    if value.get("from") is None:
        return shown(value["to"])
    return f"{shown(value['from'])}→{shown(value['to'])}"


def _from(value: Any) -> Any:
    return value.get("from") if isinstance(value, dict) else None


def _to(value: Any) -> Any:
    return value.get("to") if isinstance(value, dict) else None


def _promotions(c: Mapping[str, Any]) -> str:
    promoted = c.get("promoted") or []
    return f"。キャンセル待ちの{len(promoted)}人が参加確定になりました" if promoted else ""


def _online(c: Mapping[str, Any]) -> str:
    parts = []
    if isinstance(c.get("capacity"), dict):
        before, after = _from(c["capacity"]), _to(c["capacity"])
        seats = f"{before}席から{after}席に変更" if before is not None else f"{after}席に設定"
        parts.append("席数を" + seats)
    if isinstance(c.get("stream_url"), dict):
        parts.append("配信URLを" + ("設定" if _from(c["stream_url"]) is None else "変更"))
    return "オンライン配信の" + ("、".join(parts) or "設定を保存") + "しました"


_SENTENCES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "seminar.created": lambda c: (
        f"{fiscal_year_label(c['fiscal_year'])}の研修会を作成しました"
        if "fiscal_year" in c
        else "研修会を作成しました"
    ),
    "seminar.updated": lambda c: (
        "研修会の"
        + "・".join(
            label for key, label in (("title", "名称"), ("starts_at", "開催日時")) if key in c
        )
        + "を変更しました"
    ),
    "venue.added": lambda c: f"候補会場「{_name(c)}」を追加しました{_details(c)}",
    "venue.removed": lambda c: f"候補会場「{_name(c)}」を削除しました",
    "venue.chosen": _venue_chosen,
    "online.set": _online,
    "site.added": lambda c: f"サテライト会場「{_name(c)}」を追加しました{_details(c)}",
    "site.changed": _site_changed,
    "site.removed": lambda c: f"サテライト会場「{_name(c)}」を削除しました",
    "attendance.corrected": lambda c: (
        "欠席を出席に訂正しました" if c.get("attended") else "出席を欠席に訂正しました"
    ),
    "rotation.override_set": lambda c: f"当番を{municipality(c['host']).name}に変更しました",
}

_FIXED: dict[str, str] = {
    "registration.accepted": "参加申込を受け付けました（参加確定）",
    "registration.waitlisted": "参加申込を受け付けました（キャンセル待ち）",
    "registration.cancelled": "参加申込が取り消されました",
    "registration.checked_in": "参加者を受付（チェックイン）しました",
    "feedback.given": "アンケートの回答がありました",
    "budget.saved": "予算の項目を保存しました",
    "budget.removed": "予算の項目を削除しました",
    "speaker.added": "講師を追加しました",
    "speaker.removed": "講師を削除しました",
    "rotation.override_removed": "当番を輪番どおりに戻しました",
}
