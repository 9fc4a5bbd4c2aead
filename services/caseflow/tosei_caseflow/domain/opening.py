"""Who takes a case intake has just opened: the old staff member of a handed-over case, or
the expert triage chose for a new one. Both are system decisions, dated when the case opened."""

from __future__ import annotations

from tosei_caseflow.domain.changes import Change, Note
from tosei_caseflow.domain.experts import Expert
from tosei_caseflow.domain.triage import Decision
from tosei_common.catalogue.caseflow import AssignmentRule, CaseAssigned
from tosei_common.catalogue.intake import CaseOpened


def assign_to_old_staff(opened: CaseOpened, staff: Expert) -> Change:
    """A handed-over case goes back to its old staff member, who is one of our experts."""
    assigned = CaseAssigned(
        case_id=opened.case_id,
        expert_id=staff.expert_id,
        track=staff.track,
        rule=AssignmentRule.LEGACY_STAFF,
        assigned_at=opened.opened_at,
    )
    return Change.of(assigned, Note(reason="旧窓口の担当者がそのまま引き継ぎ"))


def assign_by_triage(opened: CaseOpened, decision: Decision) -> Change | None:
    """A new-desk case goes to the expert triage chose; None leaves it in the queue."""
    if decision.expert_id is None:
        return None
    assigned = CaseAssigned(
        case_id=opened.case_id,
        expert_id=decision.expert_id,
        track=decision.track,
        rule=AssignmentRule.TRIAGE,
        assigned_at=opened.opened_at,
    )
    return Change.of(assigned, Note(reason=decision.explanation))
