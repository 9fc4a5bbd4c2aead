"""How a case's timeline reads in Japanese: the words for each kind of entry."""

from __future__ import annotations

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


def kind_label(kind: str) -> str:
    return KIND.get(kind, kind)
