"""Queries: load what is asked for and check who may read it (``domain/access.py``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from tosei_caseflow.db import cases as cases_db
from tosei_caseflow.db import experts as experts_db
from tosei_caseflow.db import outcomes as outcomes_db
from tosei_caseflow.db import referrals as referrals_db
from tosei_caseflow.db import reports as reports_db
from tosei_caseflow.db import sessions as sessions_db
from tosei_caseflow.db import timeline as timeline_db
from tosei_caseflow.domain import access, kpi, kpi_cells
from tosei_caseflow.domain.experts import ExternalExpert
from tosei_caseflow.domain.lifecycle import next_states
from tosei_caseflow.domain.views import (
    CaseFilter,
    CaseRow,
    ExpertLoad,
    FollowUpRow,
    OutcomeRow,
    ReferralRow,
    SessionRow,
    TimelineRow,
)
from tosei_common.catalogue.caseflow import CaseState
from tosei_common.platform.audit import Viewed
from tosei_common.platform.db import Connection
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class TimelineEntry:
    row: TimelineRow
    shows_confidential: bool  # whether this reader may read the entry's confidential note


@dataclass(frozen=True)
class CaseFile:
    """A case with its whole history across experts, as one reader may see it."""

    case: CaseRow
    can_change: bool
    #: The states this reader may move the case to now (none when they may not change it).
    next_states: list[CaseState]
    timeline: list[TimelineEntry]
    sessions: list[SessionRow]
    referrals: list[ReferralRow]
    outcomes: list[OutcomeRow]
    expert_names: dict[UUID, str]


async def cases(conn: Connection, who: Principal, where: CaseFilter) -> list[CaseRow]:
    """Cases newest first; an expert's list holds only their current and former cases."""
    readable_by = access.readable_cases(who)
    return await cases_db.listing(conn, replace(where, readable_by=readable_by))


async def case_file(uow: UnitOfWork, who: Principal, case_id: UUID) -> CaseFile:
    """The case page, recorded as read (閲覧記録): the case file, and separately the sessions'
    confidential notes when any is shown to this reader."""
    conn = uow.conn
    access.readable_cases(who)
    case = await cases_db.row(conn, case_id)
    if case is None:
        raise access.no_case(case_id)
    tenures = await cases_db.tenures(conn, case_id)
    access.ensure_may_read(who, case_id, tenures)
    # a former expert reads the case, but no confidential notes written after they left
    visible = access.confidential_visible(who, tenures)
    can_change = access.may_change(who, case.expert_id)
    timeline = [
        TimelineEntry(row, visible(row.at)) for row in await timeline_db.of_case(conn, case_id)
    ]
    seen = [Viewed("case", case_id, case.client_id, "case_file")]
    if any(e.shows_confidential and e.row.confidential for e in timeline):
        seen.append(Viewed("case", case_id, case.client_id, "confidential_notes"))
    await uow.viewed(*seen)
    return CaseFile(
        case=case,
        can_change=can_change,
        next_states=next_states(case.state) if can_change else [],
        timeline=timeline,
        sessions=await sessions_db.of_case(conn, case_id),
        referrals=await referrals_db.of_case(conn, case_id),
        outcomes=await outcomes_db.of_case(conn, case_id),
        expert_names=await experts_db.names(conn),
    )


async def queue(conn: Connection, who: Principal) -> list[CaseRow]:
    """Cases waiting for an expert, oldest first."""
    access.ensure_may_see_queue(who)
    return await cases_db.queue(conn)


async def overdue_follow_ups(
    conn: Connection, who: Principal, today: date, expert_id: UUID | None
) -> list[FollowUpRow]:
    """Cases being worked on whose next-action date is before ``today``."""
    whose = access.follow_ups_of(who, expert_id)
    return await cases_db.overdue_follow_ups(conn, today, whose)


async def experts(conn: Connection, who: Principal) -> list[ExpertLoad]:
    access.ensure_may_read_experts(who)
    return await experts_db.with_load(conn)


async def external_experts(conn: Connection, who: Principal) -> list[ExternalExpert]:
    access.ensure_may_read_experts(who)
    return await experts_db.externals(conn)


async def kpi_report(
    conn: Connection,
    who: Principal,
    fiscal_year: int,
    *,
    small_cells: int,
    monthly: bool = False,
) -> kpi.Report:
    """The report ``who`` may read (``monthly``: each breakdown month by month too); a reader
    without access to the records gets cells of fewer than ``small_cells`` people hidden."""
    town = access.reports_scope(who)
    facts = await reports_db.facts(conn)
    if access.reads_records(who):
        return kpi.report(facts, fiscal_year, municipality=town, monthly=monthly)
    # Decided with the monthly breakdowns whether they are shown or not: the JSON and the CSV
    # then hide the same cells, and neither fills in what the other hides.
    whole = kpi_cells.suppress(
        kpi.report(facts, fiscal_year, municipality=town, monthly=True), small_cells
    )
    return whole if monthly else replace(whole, monthly={})
