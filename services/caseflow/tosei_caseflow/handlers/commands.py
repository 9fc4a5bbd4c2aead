"""Commands on cases: each checks who may do it and what the rules allow, then records events.

Every command runs in one transaction that locks the case row, so two people acting on one case
queue up instead of overwriting each other.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from tosei_caseflow.db import queries
from tosei_caseflow.domain import referrals as referral_rules
from tosei_caseflow.domain.lifecycle import WORKING, check_transition, check_working
from tosei_caseflow.domain.model import Case, Expert
from tosei_caseflow.handlers.record import Note, record
from tosei_common.catalogue.caseflow import (
    AssignmentRule,
    CaseAssigned,
    CaseClosed,
    CaseOutcomeRecorded,
    CaseReferred,
    CaseSessionRecorded,
    CaseState,
    CaseStateChanged,
    CaseTransferred,
    OutcomeType,
    ReferralStatus,
    SessionMode,
    TransferReason,
)
from tosei_common.platform.auth import Principal, Role
from tosei_common.platform.db import Connection
from tosei_common.platform.errors import Conflict, Forbidden, NotFound, Unprocessable
from tosei_common.platform.service import Runtime

STAFF = frozenset({Role.DESK, Role.COORDINATOR})


def expert_id_of(who: Principal) -> UUID | None:
    """An expert's token names the expert by id."""
    if who.role is not Role.EXPERT:
        return None
    try:
        return UUID(who.subject)
    except ValueError:
        raise Forbidden("an expert token's subject must be the expert id") from None


async def _case_to_change(conn: Connection, who: Principal, case_id: UUID) -> Case:
    case = await queries.lock_case(conn, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}")
    if who.role in STAFF:
        return case
    mine = expert_id_of(who)
    if mine is not None and case.expert_id == mine:
        return case
    if mine is not None and await queries.has_had_case(conn, case_id, mine):
        raise Forbidden(
            "this case was transferred to another expert; you can read it, not change it"
        )
    if mine is not None:
        raise NotFound(f"no case {case_id}")
    raise Forbidden(f"the {who.role.value} role cannot change cases")


async def _active_expert(conn: Connection, expert_id: UUID, field: str) -> Expert:
    expert = await queries.expert(conn, expert_id)
    if expert is None:
        raise Unprocessable(f"no expert {expert_id}", fields={field: "unknown expert"})
    if not expert.active:
        raise Unprocessable(f"{expert.name} is not active", fields={field: "inactive expert"})
    return expert


def _moment(case: Case, now: datetime) -> datetime:
    """When a change to ``case`` happens: read after its lock is held, and always after the
    case's previous event (so readers that keep "the newest word" per case, such as intake,
    never see an older one win, even across replicas whose clocks differ)."""
    return max(now, case.updated_at + timedelta(microseconds=1))


def _not_after_today(day: date, today: date, field: str) -> None:
    if day > today:
        raise Unprocessable(f"{field} {day} is in the future", fields={field: "in the future"})


async def assign(
    rt: Runtime,
    who: Principal,
    case_id: UUID,
    expert_id: UUID,
    reason: str | None,
) -> None:
    """A coordinator (or the desk) gives the case to an expert by hand."""
    if who.role not in STAFF:
        raise Forbidden("only the desk and coordinators assign cases by hand")
    async with rt.pool.acquire() as conn, conn.transaction():
        case = await _case_to_change(conn, who, case_id)
        at = _moment(case, rt.clock.now())
        if case.state not in WORKING | {CaseState.OPEN}:
            raise Conflict(f"a {case.state.value} case cannot be assigned; reopen it first")
        expert = await _active_expert(conn, expert_id, "expert_id")
        if case.expert_id == expert.expert_id:
            raise Conflict(f"the case is already with {expert.name}")
        event = CaseAssigned(
            case_id=case_id,
            expert_id=expert.expert_id,
            track=expert.track,
            rule=AssignmentRule.MANUAL,
            assigned_at=at,
        )
        await record(conn, rt.outbox, event, Note(actor=who.actor, reason=reason))


async def change_state(
    rt: Runtime,
    who: Principal,
    case_id: UUID,
    target: CaseState,
    reason: str | None,
    satisfaction: int | None,
) -> None:
    """Move the case through its lifecycle; closing may carry the client's satisfaction."""
    if target is CaseState.ASSIGNED or target is CaseState.OPEN:
        raise Unprocessable(
            "assignment has its own command (POST /cases/{id}/assign)",
            fields={"to": "use assign"},
        )
    if satisfaction is not None and target is not CaseState.CLOSED:
        raise Unprocessable(
            "satisfaction is given when a case closes", fields={"satisfaction": "only when closing"}
        )
    async with rt.pool.acquire() as conn, conn.transaction():
        case = await _case_to_change(conn, who, case_id)
        at = _moment(case, rt.clock.now())
        check_transition(case.state, target)
        event: CaseClosed | CaseStateChanged
        if target is CaseState.CLOSED:
            event = CaseClosed(
                case_id=case_id,
                expert_id=case.expert_id,
                track=case.track,
                satisfaction=satisfaction,
                closed_at=at,
            )
        else:
            event = CaseStateChanged(
                case_id=case_id, from_state=case.state, to_state=target, changed_at=at
            )
        await record(conn, rt.outbox, event, Note(actor=who.actor, reason=reason))


@dataclass(frozen=True)
class SessionInput:
    held_on: date
    mode: SessionMode
    duration_minutes: int
    minutes: str | None
    confidential_notes: str | None
    next_action_on: date | None


async def record_session(rt: Runtime, who: Principal, case_id: UUID, session: SessionInput) -> UUID:
    """Record a meeting. A case that was only assigned (or reopened) is now in progress."""
    _not_after_today(session.held_on, rt.clock.today(), "held_on")
    if session.next_action_on is not None and session.next_action_on < session.held_on:
        raise Unprocessable(
            "the next action cannot come before the session",
            fields={"next_action_on": "before held_on"},
        )
    async with rt.pool.acquire() as conn, conn.transaction():
        case = await _case_to_change(conn, who, case_id)
        at = _moment(case, rt.clock.now())
        check_working(case.state, "record a session")
        if case.expert_id is None:
            raise Conflict("the case has no expert yet; assign it first")
        if case.state is not CaseState.IN_PROGRESS:
            started = CaseStateChanged(
                case_id=case_id,
                from_state=case.state,
                to_state=CaseState.IN_PROGRESS,
                changed_at=at,
            )
            await record(conn, rt.outbox, started, Note(actor=who.actor, reason="session held"))
        session_id = uuid.uuid4()
        event = CaseSessionRecorded(
            case_id=case_id,
            session_id=session_id,
            expert_id=expert_id_of(who) or case.expert_id,
            held_on=session.held_on,
            mode=session.mode,
            duration_minutes=session.duration_minutes,
            next_action_on=session.next_action_on,
            recorded_at=at,
        )
        note = Note(
            actor=who.actor, minutes=session.minutes, confidential=session.confidential_notes
        )
        await record(conn, rt.outbox, event, note)
    return session_id


async def transfer(
    rt: Runtime,
    who: Principal,
    case_id: UUID,
    to_expert_id: UUID,
    reason: TransferReason,
    handover_note: str,
) -> None:
    """Hand the case to another expert (perhaps of the other track) with a hand-over note."""
    async with rt.pool.acquire() as conn, conn.transaction():
        case = await _case_to_change(conn, who, case_id)
        at = _moment(case, rt.clock.now())
        check_working(case.state, "transfer the case")
        if case.expert_id is None:
            raise Conflict("the case has no expert to transfer from; assign it instead")
        receiver = await _active_expert(conn, to_expert_id, "to_expert_id")
        if receiver.expert_id == case.expert_id:
            raise Unprocessable(
                "the case is already with this expert", fields={"to_expert_id": "same expert"}
            )
        event = CaseTransferred(
            case_id=case_id,
            from_expert_id=case.expert_id,
            to_expert_id=receiver.expert_id,
            from_track=case.track,
            to_track=receiver.track,
            reason=reason,
            transferred_at=at,
        )
        await record(conn, rt.outbox, event, Note(actor=who.actor, note=handover_note))


async def refer(
    rt: Runtime,
    who: Principal,
    case_id: UUID,
    external_expert_id: UUID,
    note: str | None,
) -> UUID:
    """Ask an external expert of the nationwide network to help; needs the client's consent."""
    async with rt.pool.acquire() as conn, conn.transaction():
        case = await _case_to_change(conn, who, case_id)
        at = _moment(case, rt.clock.now())
        referral_rules.check_consent(case.consent_to_share)
        check_working(case.state, "refer the case")
        external = await queries.external_expert(conn, external_expert_id)
        if external is None or not external["active"]:
            raise Unprocessable(
                f"no active external expert {external_expert_id}",
                fields={"external_expert_id": "unknown or inactive"},
            )
        referral_id = uuid.uuid4()
        event = CaseReferred(
            case_id=case_id,
            referral_id=referral_id,
            external_expert_id=external_expert_id,
            status=ReferralStatus.REQUESTED,
            visits=0,
            changed_at=at,
        )
        await record(conn, rt.outbox, event, Note(actor=who.actor, note=note))
    return referral_id


async def update_referral(
    rt: Runtime,
    who: Principal,
    case_id: UUID,
    referral_id: UUID,
    *,
    status: ReferralStatus | None,
    visit: bool,
    note: str | None,
) -> None:
    """Move a referral on (accepted, completed with what came of it, declined) or count a visit."""
    async with rt.pool.acquire() as conn, conn.transaction():
        case = await _case_to_change(conn, who, case_id)
        at = _moment(case, rt.clock.now())
        row = await queries.referral(conn, case_id, referral_id)
        if row is None:
            raise NotFound(f"no referral {referral_id} on case {case_id}")
        current = ReferralStatus(row["status"])
        visits = row["visits"]
        if visit:
            referral_rules.check_visit(current)
            visits += 1
            target = current
        else:
            assert status is not None
            referral_rules.check_status_change(current, status)
            if status is ReferralStatus.COMPLETED and not note:
                raise Unprocessable(
                    "say what came of the referral when completing it",
                    fields={"note": "required when completing"},
                )
            target = status
        event = CaseReferred(
            case_id=case_id,
            referral_id=referral_id,
            external_expert_id=row["external_expert_id"],
            status=target,
            visits=visits,
            changed_at=at,
        )
        await record(conn, rt.outbox, event, Note(actor=who.actor, note=note))


async def record_outcome(
    rt: Runtime,
    who: Principal,
    case_id: UUID,
    outcome: OutcomeType,
    achieved_on: date,
    jobs: int | None,
    note: str | None,
) -> UUID:
    """Record what the support achieved (also after the case closed: founding takes time)."""
    _not_after_today(achieved_on, rt.clock.today(), "achieved_on")
    if outcome is OutcomeType.JOBS_CREATED and not jobs:
        raise Unprocessable("how many jobs were created?", fields={"jobs": "required, at least 1"})
    if outcome is not OutcomeType.JOBS_CREATED and jobs is not None:
        raise Unprocessable("jobs go with jobs_created", fields={"jobs": "only for jobs_created"})
    async with rt.pool.acquire() as conn, conn.transaction():
        case = await _case_to_change(conn, who, case_id)
        at = _moment(case, rt.clock.now())
        if case.state is CaseState.OPEN:
            raise Conflict("an unassigned case has no outcome yet; assign it first")
        outcome_id = uuid.uuid4()
        event = CaseOutcomeRecorded(
            case_id=case_id,
            outcome_id=outcome_id,
            type=outcome,
            achieved_on=achieved_on,
            jobs=jobs,
            track=case.track,
            municipality=case.municipality,
            recorded_at=at,
        )
        await record(conn, rt.outbox, event, Note(actor=who.actor, note=note))
    return outcome_id
