"""Who may do what in caseflow: the one place its handlers ask.

- The desk and coordinators change any case; the desk reads every case but not the
  confidential notes of sessions.
- An expert (their token's subject is their expert id) reads the cases they have or had and
  changes only the cases they have now. A former expert reads the confidential notes written
  until they handed the case on, not those written after. To an expert, a case they never had
  does not exist (404).
- Auditors read everything and change nothing. Only coordinators keep the expert registries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from uuid import UUID

from tosei_caseflow.domain.cases import Case, Tenure
from tosei_common.platform.errors import Forbidden, NotFound
from tosei_common.platform.principal import (
    Principal,
    Role,
    ensure_role,
    expert_id_of,
    figures_scope,
)

STAFF = frozenset({Role.DESK, Role.COORDINATOR})
#: Who works on cases: sessions, transitions, transfers, referrals, outcomes.
ACTORS = (Role.DESK, Role.COORDINATOR, Role.EXPERT)
READERS = (Role.DESK, Role.COORDINATOR, Role.AUDITOR, Role.EXPERT)
#: Who watches the whole desk: the queue and the KPI reports.
OVERSEERS = (Role.DESK, Role.COORDINATOR, Role.AUDITOR)
#: Who reads session minutes' confidential notes: the case's experts, coordinators, auditors.
CONFIDENTIAL = frozenset({Role.COORDINATOR, Role.AUDITOR, Role.EXPERT})
#: Who reads caseflow's audit trail: the coordinators and auditors, who read everything
#: (the confidential notes too); not the desk, which does not read those notes.
AUDIT_READERS = (Role.COORDINATOR, Role.AUDITOR)


def no_case(case_id: UUID) -> NotFound:
    return NotFound(f"案件が見つかりません（{case_id}）", en=f"no case {case_id}")


def ensure_may_change(who: Principal, case_id: UUID, case: Case | None) -> Case:
    """The case, when ``who`` may change it: staff any case, an expert only their own now."""
    ensure_role(who, *ACTORS, doing="案件の変更")
    if case is None:
        raise no_case(case_id)
    if who.role in STAFF:
        return case
    mine = expert_id_of(who)
    if mine is not None and case.expert_id == mine:
        return case
    if mine is not None and mine in case.experts:
        raise Forbidden(
            "この案件は別の専門家に引き継がれました。閲覧はできますが、変更はできません",
            en="this case was transferred to another expert; you can read it, not change it",
        )
    raise no_case(case_id)


def ensure_may_assign(who: Principal) -> None:
    """Assigning by hand is for the desk and coordinators."""
    ensure_role(who, *STAFF, doing="担当の割り当て")


def may_change(who: Principal, current_expert: UUID | None) -> bool:
    """Whether the case page offers changes: to staff, and to the case's expert now."""
    if who.role in STAFF:
        return True
    mine = expert_id_of(who)
    return mine is not None and current_expert == mine


def readable_cases(who: Principal) -> UUID | None:
    """Which cases ``who`` reads: None for all of them, an expert id for that expert's current
    and former cases."""
    ensure_role(who, *READERS, doing="案件の閲覧")
    return expert_id_of(who)


def ensure_may_read(who: Principal, case_id: UUID, tenures: Sequence[Tenure]) -> None:
    """Refuse a case ``who`` may not read, as if it did not exist."""
    mine = readable_cases(who)
    if mine is not None and all(t.expert_id != mine for t in tenures):
        raise no_case(case_id)


def left_at(tenures: Sequence[Tenure], expert_id: UUID) -> datetime | None:
    """When an expert last handed the case on; None while they have it (or never had it)."""
    theirs = [t for t in tenures if t.expert_id == expert_id]
    if not theirs or any(t.until is None for t in theirs):
        return None
    return max(t.until for t in theirs if t.until is not None)


def confidential_visible(who: Principal, tenures: Sequence[Tenure]) -> Callable[[datetime], bool]:
    """Whether ``who`` reads the confidential note of a timeline entry written at a moment."""
    if who.role not in CONFIDENTIAL:
        return lambda _: False
    mine = expert_id_of(who)
    until = left_at(tenures, mine) if mine is not None else None
    return lambda written: until is None or written <= until


def ensure_may_see_queue(who: Principal) -> None:
    ensure_role(who, *OVERSEERS, doing="割り当て待ちの案件の閲覧")


def follow_ups_of(who: Principal, asked: UUID | None) -> UUID | None:
    """Whose overdue follow-ups ``who`` reads: an expert only their own, others whom they ask
    for (None: everyone's)."""
    ensure_role(who, *READERS, doing="期限切れの次回対応の閲覧")
    mine = expert_id_of(who)
    return mine if mine is not None else asked


def ensure_may_read_experts(who: Principal) -> None:
    ensure_role(who, *READERS, doing="専門家の一覧の閲覧")


def ensure_may_manage_experts(who: Principal) -> None:
    """The registries of experts and external experts are kept by coordinators."""
    ensure_role(who, Role.COORDINATOR, doing="専門家の登録・変更")


def reports_scope(who: Principal) -> str | None:
    """The KPI report ``who`` reads: the region's, or a municipal officer's own town's."""
    return figures_scope(who, None, OVERSEERS, doing="実績報告の閲覧")


def reads_records(who: Principal) -> bool:
    """Whether ``who`` reads the records behind the figures (staff and auditors): a municipal
    officer reads aggregates only, their small cells hidden (``kpi_cells``)."""
    return who.role in OVERSEERS


def ensure_may_answer_requests(who: Principal) -> None:
    """A person's request to see what is held about them is the council's to answer."""
    ensure_role(who, Role.COORDINATOR, doing="本人開示")
