"""Commands on cases: load the case (locked), check who may change it, let the domain decide,
record the events.

Every command runs in one unit of work whose transaction locks the case row, so two people
acting on one case queue up instead of overwriting each other.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from uuid import UUID

from tosei_caseflow.db import cases as cases_db
from tosei_caseflow.db import experts as experts_db
from tosei_caseflow.db import outcomes as outcomes_db
from tosei_caseflow.db import sessions as sessions_db
from tosei_caseflow.domain import access
from tosei_caseflow.domain import cases as decide
from tosei_caseflow.domain.cases import (
    Case,
    OutcomeInput,
    Recorded,
    RecordedOutcome,
    Satisfaction,
    SessionInput,
)
from tosei_caseflow.handlers.record import record
from tosei_common.catalogue.caseflow import CaseState, TransferReason
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork


async def case_to_change(uow: UnitOfWork, who: Principal, case_id: UUID) -> Case:
    """The case, locked, once ``who`` may change it."""
    return access.ensure_may_change(who, case_id, await cases_db.lock(uow.conn, case_id))


async def assign(
    uow: UnitOfWork, who: Principal, case_id: UUID, expert_id: UUID, reason: str | None
) -> None:
    """The desk or a coordinator gives the case to an expert by hand."""
    access.ensure_may_assign(who)
    case = await case_to_change(uow, who, case_id)
    expert = await experts_db.get(uow.conn, expert_id)
    await record(uow, decide.assign(case, expert, expert_id, reason=reason, at=uow.at))


async def change_state(
    uow: UnitOfWork,
    who: Principal,
    case_id: UUID,
    target: CaseState,
    reason: str | None,
    satisfaction: Satisfaction | None,
) -> None:
    """Move the case through its lifecycle; closing says the client's satisfaction."""
    case = await case_to_change(uow, who, case_id)
    change = decide.change_state(case, target, reason=reason, satisfaction=satisfaction, at=uow.at)
    await record(uow, change)


async def record_session(
    uow: UnitOfWork, who: Principal, case_id: UUID, session: SessionInput
) -> UUID:
    """Record a meeting; a case that was only assigned (or reopened) is now in progress."""
    case = await case_to_change(uow, who, case_id)
    session_id = uuid.uuid4()
    change = decide.record_session(case, session, session_id=session_id, at=uow.at, today=uow.today)
    await record(uow, change)
    return session_id


async def transfer(
    uow: UnitOfWork,
    who: Principal,
    case_id: UUID,
    to_expert_id: UUID,
    reason: TransferReason,
    handover_note: str,
) -> None:
    """Hand the case to another expert (perhaps of the other track) with a hand-over note."""
    case = await case_to_change(uow, who, case_id)
    receiver = await experts_db.get(uow.conn, to_expert_id)
    change = decide.transfer(
        case, receiver, to_expert_id, reason=reason, handover_note=handover_note, at=uow.at
    )
    await record(uow, change)


async def record_outcome(
    uow: UnitOfWork, who: Principal, case_id: UUID, outcome: OutcomeInput
) -> UUID:
    """Record what the support achieved (also after the case closed: founding takes time)."""
    case = await case_to_change(uow, who, case_id)
    outcome_id = uuid.uuid4()
    recorded = [
        RecordedOutcome(o.outcome_id, o.type, o.achieved_on)
        for o in await outcomes_db.of_case(uow.conn, case_id)
        if o.voided_at is None
    ]
    change = decide.record_outcome(
        case, outcome, outcome_id=outcome_id, recorded=recorded, at=uow.at, today=uow.today
    )
    await record(uow, change)
    return outcome_id


async def void_session(
    uow: UnitOfWork, who: Principal, case_id: UUID, session_id: UUID, reason: str | None
) -> None:
    """Take back a session recorded by mistake; it stays on the timeline, voided."""
    case = await case_to_change(uow, who, case_id)
    rows = await sessions_db.of_case(uow.conn, case_id)
    found = _recorded({s.session_id: s.voided_at for s in rows}, session_id)
    await record(uow, decide.void_session(case, found, session_id, reason=reason, at=uow.at))


async def void_outcome(
    uow: UnitOfWork, who: Principal, case_id: UUID, outcome_id: UUID, reason: str | None
) -> None:
    """Take back an outcome recorded by mistake; the case may record that kind again."""
    case = await case_to_change(uow, who, case_id)
    rows = await outcomes_db.of_case(uow.conn, case_id)
    found = _recorded({o.outcome_id: o.voided_at for o in rows}, outcome_id)
    await record(uow, decide.void_outcome(case, found, outcome_id, reason=reason, at=uow.at))


def _recorded(voided_at: dict[UUID, datetime | None], entry_id: UUID) -> Recorded | None:
    if entry_id not in voided_at:
        return None
    return Recorded(entry_id, voided_at[entry_id] is not None)
