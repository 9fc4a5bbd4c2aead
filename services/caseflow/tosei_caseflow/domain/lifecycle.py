"""The case lifecycle: which state may follow which, and what a person calls each state."""

from __future__ import annotations

from collections.abc import Iterable

from tosei_common.catalogue.caseflow import CaseState
from tosei_common.catalogue.labels import CASE_STATE
from tosei_common.platform.errors import InvalidTransition, Message

#: What a person calls each state.
STATE_LABELS = CASE_STATE

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


def next_states(state: CaseState) -> list[CaseState]:
    """The states a person may move a case to from ``state`` (assignment has its own command),
    in the lifecycle's order: what a screen offers, and nothing else."""
    order = list(CaseState)
    return sorted(TRANSITIONS[state] - {CaseState.ASSIGNED}, key=order.index)


def state_name(state: CaseState) -> str:
    """How a message names a state: 対応中（in_progress）."""
    return f"{STATE_LABELS[state]}（{state.value}）"


def _names(states: Iterable[CaseState]) -> str:
    return "・".join(state_name(s) for s in sorted(states, key=lambda s: s.value))


def check_transition(current: CaseState, target: CaseState) -> None:
    """Refuse a transition the lifecycle does not allow, saying what is allowed instead."""
    allowed = TRANSITIONS[current]
    if target in allowed:
        return
    choices = ", ".join(sorted(s.value for s in allowed)) or "none"
    raise InvalidTransition(
        f"{state_name(current)}の案件は{state_name(target)}にできません。"
        f"{STATE_LABELS[current]}からは{_names(allowed)}にできます",
        en=f"a case that is {current.value} ({STATE_LABELS[current]}) cannot become "
        f"{target.value} ({STATE_LABELS[target]}); from {current.value} it can become: {choices}",
        fields={
            "to": Message(
                f"{STATE_LABELS[current]}の案件には指定できません",
                f"not allowed from {current.value}",
            )
        },
        current=current.value,
        allowed=sorted(s.value for s in allowed),
    )


def check_working(current: CaseState, doing: Message) -> None:
    """Refuse work on a case that is not being worked on; ``doing`` says what was tried."""
    if current in WORKING:
        return
    states = ", ".join(sorted(s.value for s in WORKING))
    raise InvalidTransition(
        f"{state_name(current)}の案件では{doing.ja}はできません（{_names(WORKING)}のときだけです）",
        en=f"cannot {doing.en} on a case that is {current.value} ({STATE_LABELS[current]}); "
        f"only when it is {states}",
        current=current.value,
    )
