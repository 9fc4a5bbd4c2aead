"""Events into the read model. The only code that writes the derived tables.

Live, commands call ``apply`` in their own transaction; ``tosei replay caseflow`` calls the same
functions from the events on the topics, so the rebuilt read model equals the live one. Each
function takes everything it writes from the event (ids, times), never from the clock.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar
from uuid import UUID

from tosei_caseflow.db import cases, merges, outcomes, referrals, sessions, timeline
from tosei_caseflow.domain.triage import choose_track
from tosei_common.catalogue.caseflow import (
    CaseAssigned,
    CaseClosed,
    CaseOutcomeRecorded,
    CaseOutcomeVoided,
    CaseReferred,
    CaseSessionRecorded,
    CaseSessionVoided,
    CaseState,
    CaseStateChanged,
    CaseTransferred,
)
from tosei_common.catalogue.intake import (
    CaseOpened,
    ConsentChanged,
    ConsultationCorrected,
    LegacyStatus,
)
from tosei_common.platform.consumer import HandlerContext
from tosei_common.platform.db import Connection
from tosei_common.platform.events import Event

E = TypeVar("E", bound=Event)


async def project_case_opened(conn: Connection, event: CaseOpened, event_id: UUID) -> bool:
    """Register the case; False when it was registered already."""
    return bool(await project_cases_opened(conn, [(event, event_id)]))


async def project_cases_opened(
    conn: Connection, opened: Sequence[tuple[CaseOpened, UUID]]
) -> set[UUID]:
    """Register many cases in two statements (however many there are); return the ids of the
    events that registered one (not those of cases registered already, nor a case's repeat)."""
    # replay may meet a merge of this client before the case that it merged
    survivors = await merges.surviving_clients(conn, [event.client_id for event, _ in opened])
    first: dict[UUID, tuple[CaseOpened, UUID]] = {}
    for event, event_id in opened:
        first.setdefault(event.case_id, (event, event_id))
    return await cases.insert_opened(
        conn,
        [
            (event_id, _new_case(event, survivors[event.client_id]))
            for event, event_id in first.values()
        ],
    )


def _new_case(event: CaseOpened, client_id: UUID) -> cases.NewCase:
    closed = event.legacy_status is LegacyStatus.CLOSED
    return cases.NewCase(
        case_id=event.case_id,
        client_id=client_id,
        municipality=event.municipality,
        stage=event.stage.value,
        categories=[c.value for c in event.categories],
        channel=event.channel.value,
        origin=event.origin.value,
        consent_to_share=event.consent_to_share,
        opened_at=event.opened_at,
        legacy_status=event.legacy_status.value if event.legacy_status else None,
        legacy_staff=event.legacy_staff,
        track=choose_track(event.stage, event.categories).value,
        state=(CaseState.CLOSED if closed else CaseState.OPEN).value,
        closed_at=event.opened_at if closed else None,
    )


async def project_assigned(conn: Connection, event: CaseAssigned, event_id: UUID) -> None:
    case = await cases.lock(conn, event.case_id)
    if case is None:
        raise LookupError(f"case {event.case_id} is not registered")
    state = CaseState.ASSIGNED if case.state is CaseState.OPEN else case.state
    await cases.set_expert(
        conn, event.case_id, event.expert_id, event.track.value, state.value, event.assigned_at
    )
    await timeline.add(
        conn,
        event_id,
        event.case_id,
        "assigned",
        event.assigned_at,
        {
            "expert_id": str(event.expert_id),
            "previous_expert_id": str(case.expert_id) if case.expert_id else None,
            "track": event.track.value,
            "rule": event.rule.value,
        },
    )


async def project_transferred(conn: Connection, event: CaseTransferred, event_id: UUID) -> None:
    case = await cases.lock(conn, event.case_id)
    if case is None:
        raise LookupError(f"case {event.case_id} is not registered")
    await cases.set_expert(
        conn,
        event.case_id,
        event.to_expert_id,
        event.to_track.value,
        case.state.value,
        event.transferred_at,
    )
    await timeline.add(
        conn,
        event_id,
        event.case_id,
        "transferred",
        event.transferred_at,
        {
            "from_expert_id": str(event.from_expert_id),
            "to_expert_id": str(event.to_expert_id),
            "from_track": event.from_track.value,
            "to_track": event.to_track.value,
            "reason": event.reason.value,
        },
    )


async def project_state_changed(conn: Connection, event: CaseStateChanged, event_id: UUID) -> None:
    await cases.set_state(
        conn,
        event.case_id,
        event.to_state.value,
        event.changed_at,
        resolved=event.to_state is CaseState.RESOLVED,
        reopened=event.to_state is CaseState.REOPENED,
    )
    await timeline.add(
        conn,
        event_id,
        event.case_id,
        "state_changed",
        event.changed_at,
        {"from": event.from_state.value, "to": event.to_state.value},
    )


async def project_closed(conn: Connection, event: CaseClosed, event_id: UUID) -> None:
    await cases.set_state(
        conn,
        event.case_id,
        CaseState.CLOSED.value,
        event.closed_at,
        closed=True,
        satisfaction=event.satisfaction,
    )
    await timeline.add(
        conn,
        event_id,
        event.case_id,
        "closed",
        event.closed_at,
        {
            "satisfaction": event.satisfaction,
            "track": event.track.value,
            "expert_id": str(event.expert_id) if event.expert_id else None,
        },
    )


async def project_session(conn: Connection, event: CaseSessionRecorded, event_id: UUID) -> None:
    await sessions.insert(
        conn,
        session_id=event.session_id,
        case_id=event.case_id,
        expert_id=event.expert_id,
        held_on=event.held_on,
        mode=event.mode.value,
        duration_minutes=event.duration_minutes,
        next_action_on=event.next_action_on,
        recorded_at=event.recorded_at,
    )
    await timeline.add(
        conn,
        event_id,
        event.case_id,
        "session",
        event.recorded_at,
        {
            "session_id": str(event.session_id),
            "expert_id": str(event.expert_id),
            "held_on": event.held_on.isoformat(),
            "mode": event.mode.value,
            "duration_minutes": event.duration_minutes,
            "next_action_on": event.next_action_on.isoformat() if event.next_action_on else None,
        },
    )


async def project_referred(conn: Connection, event: CaseReferred, event_id: UUID) -> None:
    await referrals.upsert(
        conn,
        referral_id=event.referral_id,
        case_id=event.case_id,
        external_expert_id=event.external_expert_id,
        status=event.status.value,
        visits=event.visits,
        at=event.changed_at,
    )
    await timeline.add(
        conn,
        event_id,
        event.case_id,
        "referral",
        event.changed_at,
        {
            "referral_id": str(event.referral_id),
            "external_expert_id": str(event.external_expert_id),
            "status": event.status.value,
            "visits": event.visits,
        },
    )


async def project_outcome(conn: Connection, event: CaseOutcomeRecorded, event_id: UUID) -> None:
    await outcomes.insert(
        conn,
        outcome_id=event.outcome_id,
        case_id=event.case_id,
        type_=event.type.value,
        achieved_on=event.achieved_on,
        jobs=event.jobs,
        track=event.track.value,
        municipality=event.municipality,
        recorded_at=event.recorded_at,
    )
    await timeline.add(
        conn,
        event_id,
        event.case_id,
        "outcome",
        event.recorded_at,
        {
            "outcome_id": str(event.outcome_id),
            "type": event.type.value,
            "achieved_on": event.achieved_on.isoformat(),
            "jobs": event.jobs,
        },
    )


async def project_session_voided(
    conn: Connection, event: CaseSessionVoided, event_id: UUID
) -> None:
    await sessions.void(conn, event.case_id, event.session_id, event.voided_at)
    await timeline.add(
        conn,
        event_id,
        event.case_id,
        "session_voided",
        event.voided_at,
        {"session_id": str(event.session_id)},
    )


async def project_outcome_voided(
    conn: Connection, event: CaseOutcomeVoided, event_id: UUID
) -> None:
    await outcomes.void(conn, event.case_id, event.outcome_id, event.voided_at)
    await timeline.add(
        conn,
        event_id,
        event.case_id,
        "outcome_voided",
        event.voided_at,
        {"outcome_id": str(event.outcome_id)},
    )


async def project_consent_changed(conn: Connection, event: ConsentChanged, event_id: UUID) -> None:
    """intake recorded the client's consent (or its withdrawal) after the consultation."""
    if await cases.set_consent(conn, event.case_id, event.consent_to_share, event.changed_at):
        await timeline.add(
            conn,
            event_id,
            event.case_id,
            "consent_changed",
            event.changed_at,
            {"consent_to_share": event.consent_to_share, "given_on": event.given_on.isoformat()},
        )


async def project_corrected(conn: Connection, event: ConsultationCorrected, event_id: UUID) -> None:
    """intake corrected the case's town, categories or stage: the case and its figures follow
    (the track triage chose stays: moving the case is a transfer)."""
    categories = [c.value for c in event.categories]
    if await cases.correct(
        conn,
        event.case_id,
        municipality=event.municipality,
        stage=event.stage.value,
        categories=categories,
        at=event.corrected_at,
    ):
        await timeline.add(
            conn,
            event_id,
            event.case_id,
            "corrected",
            event.corrected_at,
            {
                "municipality": event.municipality,
                "stage": event.stage.value,
                "categories": categories,
            },
        )


Projector = Callable[[Connection, Any, UUID], Awaitable[None]]

#: caseflow's own events and how each changes the read model.
PROJECTIONS: dict[type[Event], Projector] = {
    CaseAssigned: project_assigned,
    CaseTransferred: project_transferred,
    CaseStateChanged: project_state_changed,
    CaseClosed: project_closed,
    CaseSessionRecorded: project_session,
    CaseReferred: project_referred,
    CaseOutcomeRecorded: project_outcome,
    CaseSessionVoided: project_session_voided,
    CaseOutcomeVoided: project_outcome_voided,
}


async def apply(conn: Connection, event: Event, event_id: UUID) -> None:
    """Apply one of caseflow's own events to the read model."""
    await PROJECTIONS[type(event)](conn, event, event_id)


def replay_handler(projector: Projector) -> Callable[[HandlerContext, Any], Awaitable[None]]:
    """An event handler that re-applies a caseflow event during replay."""

    async def handle(ctx: HandlerContext, event: Any) -> None:
        await projector(ctx.conn, event, ctx.envelope.id)

    return handle


REPLAY_HANDLERS = {event: replay_handler(projector) for event, projector in PROJECTIONS.items()}
