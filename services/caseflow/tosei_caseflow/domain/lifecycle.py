"""The case lifecycle: which state may follow which, and what a person calls each state."""

from __future__ import annotations

from tosei_common.catalogue.caseflow import CaseState
from tosei_common.platform.errors import InvalidTransition

STATE_LABELS: dict[CaseState, str] = {
    CaseState.OPEN: "未割当",
    CaseState.ASSIGNED: "担当決定",
    CaseState.IN_PROGRESS: "対応中",
    CaseState.RESOLVED: "解決",
    CaseState.CLOSED: "終了",
    CaseState.REOPENED: "再開",
}

#: States a person can ask for with a transition; assignment has commands of its own.
TRANSITIONS: dict[CaseState, frozenset[CaseState]] = {
    CaseState.OPEN: frozenset({CaseState.ASSIGNED}),
    CaseState.ASSIGNED: frozenset({CaseState.IN_PROGRESS}),
    CaseState.IN_PROGRESS: frozenset({CaseState.RESOLVED}),
    CaseState.RESOLVED: frozenset({CaseState.CLOSED, CaseState.IN_PROGRESS}),
    CaseState.CLOSED: frozenset({CaseState.REOPENED}),
    CaseState.REOPENED: frozenset({CaseState.IN_PROGRESS, CaseState.RESOLVED}),
}

#: An expert works on the case in these states: sessions, transfers and referrals are allowed.
WORKING = frozenset({CaseState.ASSIGNED, CaseState.IN_PROGRESS, CaseState.REOPENED})
#: These count towards an expert's open load.
OPEN_LOAD = WORKING


def check_transition(current: CaseState, target: CaseState) -> None:
    """Refuse a transition the lifecycle does not allow, saying what is allowed instead."""
    allowed = TRANSITIONS[current]
    if target in allowed:
        return
    choices = ", ".join(sorted(s.value for s in allowed)) or "none"
    raise InvalidTransition(
        f"a case that is {current.value} ({STATE_LABELS[current]}) cannot become "
        f"{target.value} ({STATE_LABELS[target]}); from {current.value} it can become: {choices}",
        current=current.value,
        allowed=sorted(s.value for s in allowed),
    )


def check_working(current: CaseState, doing: str) -> None:
    """Refuse work on a case that is not being worked on."""
    if current not in WORKING:
        states = ", ".join(sorted(s.value for s in WORKING))
        raise InvalidTransition(
            f"cannot {doing} on a case that is {current.value} ({STATE_LABELS[current]}); "
            f"only when it is {states}",
            current=current.value,
        )
