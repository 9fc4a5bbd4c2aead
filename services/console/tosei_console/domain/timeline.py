"""How a case's timeline reads in Japanese: the words for each kind of entry, and who did it."""

from __future__ import annotations

from collections.abc import Mapping

from tosei_common.platform.principal import ROLE_NAMES, Role

KIND: dict[str, str] = {
    "opened": "相談を受付（案件を作成）",
    "assigned": "支援人材を割り当て",
    "transferred": "担当を引き継ぎ",
    "state_changed": "状態を変更",
    "closed": "案件を終了",
    "session": "相談を実施",
    "referral": "外部専門家へ依頼",
    "outcome": "成果を記録",
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
