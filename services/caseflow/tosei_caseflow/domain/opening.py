"""Who takes a case intake has just opened: the old staff member of a handed-over case, or
the expert triage chose for a new one. Both are system decisions, dated when they are made: a
case handed over from 2020 was consulted in 2020 and assigned today."""

from __future__ import annotations

from datetime import datetime

from tosei_caseflow.domain.changes import Change, Note
from tosei_caseflow.domain.experts import Expert
from tosei_caseflow.domain.triage import Decision
from tosei_common.catalogue.caseflow import AssignmentRule, CaseAssigned
from tosei_common.catalogue.intake import CaseOpened


def decided_at(opened: CaseOpened, at: datetime) -> datetime:
    """Now, but never before the case itself (a clock behind the one that opened it)."""
    return max(at, opened.opened_at)


def assign_to_old_staff(opened: CaseOpened, staff: Expert, *, at: datetime) -> Change:
    """A handed-over case goes back to its old staff member, who is one of our experts."""
    assigned = CaseAssigned(
        case_id=opened.case_id,
        expert_id=staff.expert_id,
        track=staff.track,
        rule=AssignmentRule.LEGACY_STAFF,
        assigned_at=decided_at(opened, at),
    )
    return Change.of(assigned, Note(reason="旧窓口の担当者がそのまま引き継ぎ"))


def assign_by_triage(opened: CaseOpened, decision: Decision, *, at: datetime) -> Change | None:
    """A new-desk case goes to the expert triage chose; None leaves it in the queue."""
    if decision.expert_id is None:
        return None
    assigned = CaseAssigned(
        case_id=opened.case_id,
        expert_id=decision.expert_id,
        track=decision.track,
        rule=AssignmentRule.TRIAGE,
        assigned_at=decided_at(opened, at),
    )
    return Change.of(assigned, Note(reason=decision.explanation))
