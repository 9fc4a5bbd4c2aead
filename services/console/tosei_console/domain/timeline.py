"""How a case's timeline reads in Japanese: the words for each kind of entry, and who did it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from tosei_common.catalogue import labels
from tosei_common.platform.principal import ROLE_NAMES, Role
from tosei_common.region.fiscal import japanese_date
from tosei_common.region.municipalities import municipality

KIND: dict[str, str] = {
    "opened": "相談を受付（案件を作成）",
    "assigned": "支援人材を割り当て",
    "transferred": "担当を引き継ぎ",
    "state_changed": "状態を変更",
    "closed": "案件を終了",
    "session": "相談を実施",
    "referral": "外部専門家へ依頼",
    "outcome": "成果を記録",
    "session_voided": "相談の記録を取り消し",
    "outcome_voided": "成果の記録を取り消し",
    "consent_changed": "外部への共有の同意を変更",
    "corrected": "受付の内容を訂正",
}

#: The services' own decisions, named as the desk knows them.
SYSTEM_ACTORS: dict[str, str] = {
    "intake": "相談受付",
    "system:intake": "相談受付",
    "system:triage": "自動割当（得意分野と担当件数から）",
    "system:handover": "旧窓口からの引継ぎ",
    "system:caseflow": "案件管理（自動）",
}


def kind_label(kind: str) -> str:
    return KIND.get(kind, kind)


def actor_label(actor: str, names: Mapping[str, str]) -> str:
    """``expert:<id>`` or ``desk:<login>`` as the person's name; a system decision as what it
    is. Someone the console no longer knows (an account removed, an expert from before) is
    still shown by role, never as a raw id."""
    if actor in names:
        return names[actor]
    if actor in SYSTEM_ACTORS:
        return SYSTEM_ACTORS[actor]
    role, _, _ = actor.partition(":")
    if role == "system":
        return "システム"
    try:
        return ROLE_NAMES[Role(role)]
    except ValueError:
        return actor


Facts = Mapping[str, Any]
Names = Mapping[str, str]


def _word(table: Mapping[Any, str], code: Any) -> str:
    return table.get(code, str(code)) if code is not None else ""


def _day(iso: Any) -> str:
    return japanese_date(date.fromisoformat(iso)) if iso else ""


def _expert(names: Names, expert_id: Any) -> str:
    return names.get(f"expert:{expert_id}", "登録外の支援人材")


def _state_changed(facts: Facts, _: Names) -> str:
    before, after = facts.get("from"), facts.get("to")
    return f"{_word(labels.CASE_STATE, before)} → {_word(labels.CASE_STATE, after)}"


def _assigned(facts: Facts, names: Names) -> str:
    return _expert(names, facts.get("expert_id"))


def _transferred(facts: Facts, names: Names) -> str:
    why = _word(labels.TRANSFER_REASON, facts.get("reason"))
    if facts.get("from_track") != facts.get("to_track"):
        tracks = facts.get("from_track"), facts.get("to_track")
        why += f"、{_word(labels.TRACK, tracks[0])} → {_word(labels.TRACK, tracks[1])}"
    before = _expert(names, facts.get("from_expert_id"))
    after = _expert(names, facts.get("to_expert_id"))
    return f"{before} → {after}（{why}）"


def _session(facts: Facts, _: Names) -> str:
    parts = [
        _day(facts.get("held_on")),
        _word(labels.SESSION_MODE, facts.get("mode")),
        f"{facts.get('duration_minutes')}分",
    ]
    return "・".join(p for p in parts if p)


def _outcome(facts: Facts, _: Names) -> str:
    jobs = f"（{facts['jobs']}人）" if facts.get("jobs") else ""
    parts = [_word(labels.OUTCOME_TYPE, facts.get("type")) + jobs, _day(facts.get("achieved_on"))]
    return "・".join(p for p in parts if p)


def _closed(facts: Facts, _: Names) -> str:
    rating = facts.get("satisfaction")
    return f"満足度 {rating}（5段階）" if rating else "満足度 回答なし"


def _consent(facts: Facts, _: Names) -> str:
    given = "同意あり" if facts.get("consent_to_share") else "同意の撤回"
    return f"{given}・{_day(facts.get('given_on'))}"


def _corrected(facts: Facts, _: Names) -> str:
    town = facts.get("municipality")
    named = municipality(town).name if town else ""
    topics = "、".join(_word(labels.CATEGORY, c) for c in facts.get("categories") or [])
    return "・".join(p for p in (named, _word(labels.STAGE, facts.get("stage")), topics) if p)


def _referral(facts: Facts, _: Names) -> str:
    return _word(labels.REFERRAL_STATUS, facts.get("status"))


def _opened(facts: Facts, _: Names) -> str:
    return _word(labels.CHANNEL, facts.get("channel"))


DETAILS: dict[str, Callable[[Facts, Names], str]] = {
    "state_changed": _state_changed,
    "assigned": _assigned,
    "transferred": _transferred,
    "session": _session,
    "outcome": _outcome,
    "closed": _closed,
    "referral": _referral,
    "consent_changed": _consent,
    "corrected": _corrected,
    "opened": _opened,
}


def detail(kind: str, facts: Facts, names: Names) -> str:
    """What changed, in words: 担当決定 → 対応中, 佐々木 健 → 工藤 真理, 対面・90分, …"""
    said = DETAILS.get(kind)
    return said(facts, names) if said else ""
