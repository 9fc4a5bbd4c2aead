"""The pages of one seminar each role is offered (the seminar service still decides access)."""

from __future__ import annotations

from dataclasses import dataclass

from tosei_common.platform.principal import Role


@dataclass(frozen=True)
class Tab:
    name: str
    label: str
    path: str


_TABS = (
    ("overview", "概要", ""),
    ("venues", "会場と席", "/venues"),
    ("budget", "予算", "/budget"),
    ("registrations", "申込者", "/registrations"),
    ("check-in", "当日の受付", "/check-in"),
    ("report", "出席の報告", "/report"),
)
#: Coordinators run everything; auditors read all but the door (checking in is a change);
#: municipal officers read the published seminar and the attendance figures.
_OFFERED: dict[Role, frozenset[str]] = {
    Role.COORDINATOR: frozenset(name for name, _, _ in _TABS),
    Role.AUDITOR: frozenset({"overview", "venues", "budget", "registrations", "report"}),
    Role.MUNICIPALITY: frozenset({"overview", "report"}),
}


def tabs_for(role: Role, seminar_id: str) -> list[Tab]:
    offered = _OFFERED.get(role, frozenset())
    return [
        Tab(name, label, f"/seminars/{seminar_id}{path}")
        for name, label, path in _TABS
        if name in offered
    ]


#: What the button of each move says (the service's labels name the states, not the act).
_MOVES = {
    "scheduled": "開催決定にする（公開する）",
    "registration_open": "申込受付を始める",
    "registration_closed": "申込を締め切る",
    "held": "開催済みにする",
    "cancelled": "中止する",
}


def move_words(current: str, target: str) -> str:
    """The button that moves a seminar from ``current`` to ``target``."""
    if current == "registration_closed" and target == "registration_open":
        return "申込受付を再開する"
    return _MOVES.get(target, f"{target}にする")
