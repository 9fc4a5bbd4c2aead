"""The case lifecycle: open → assigned → in progress → resolved → closed, and reopened."""

from __future__ import annotations

import itertools

import pytest

from tosei_caseflow.domain.lifecycle import TRANSITIONS, check_transition
from tosei_common.catalogue.caseflow import CaseState
from tosei_common.platform.errors import InvalidTransition

S = CaseState
VALID = {
    (S.OPEN, S.ASSIGNED),
    (S.ASSIGNED, S.IN_PROGRESS),
    (S.IN_PROGRESS, S.RESOLVED),
    (S.RESOLVED, S.CLOSED),
    (S.RESOLVED, S.IN_PROGRESS),
    (S.CLOSED, S.REOPENED),
    (S.REOPENED, S.IN_PROGRESS),
    (S.REOPENED, S.RESOLVED),
}


def test_the_lifecycle_allows_exactly_these_moves() -> None:
    allowed = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert allowed == VALID


@pytest.mark.parametrize(("current", "target"), sorted(VALID))
def test_valid_moves_pass(current: CaseState, target: CaseState) -> None:
    check_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    sorted(p for p in itertools.product(CaseState, CaseState) if p not in VALID),
)
def test_every_other_move_is_refused_saying_what_is_allowed(
    current: CaseState, target: CaseState
) -> None:
    with pytest.raises(InvalidTransition) as refused:
        check_transition(current, target)
    assert f"cannot become {target.value}" in refused.value.message.en
    assert refused.value.extra["allowed"] == sorted(s.value for s in TRANSITIONS[current])
