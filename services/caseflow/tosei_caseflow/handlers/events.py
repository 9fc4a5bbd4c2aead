"""What caseflow does when intake opens a case."""

from __future__ import annotations

from tosei_caseflow.db import queries
from tosei_caseflow.domain.triage import choose_track, triage
from tosei_caseflow.handlers.projection import project_case_opened
from tosei_caseflow.handlers.record import Note, record
from tosei_common.catalogue.caseflow import AssignmentRule, CaseAssigned
from tosei_common.catalogue.intake import CaseOpened, ClientsMerged, LegacyStatus, Origin
from tosei_common.platform.consumer import HandlerContext


async def on_clients_merged(ctx: HandlerContext, event: ClientsMerged) -> None:
    """Intake found two clients to be one person: count their cases as one client's."""
    survivor = await queries.surviving_client(ctx.conn, event.client_id)
    await queries.merge_clients(
        ctx.conn, survivor, event.merged_client_id, event.case_ids, event.merged_at
    )


async def on_case_opened(ctx: HandlerContext, event: CaseOpened) -> None:
    """Register the case, then give it to an expert.

    New-desk cases are triaged. Handed-over cases keep their old status and go to their old
    staff member when that person is one of our experts; otherwise (or when closed) they are not
    triaged and wait, unassigned, in the queue. While replaying, the assignment made live comes
    back as its own event, so nothing is decided here again.
    """
    created = await project_case_opened(ctx.conn, event, ctx.envelope.id)
    if not created or ctx.replaying or event.legacy_status is LegacyStatus.CLOSED:
        return
    if event.origin is not Origin.NEW_DESK:
        staff = (
            await queries.expert_by_staff_key(ctx.conn, event.legacy_staff)
            if event.legacy_staff
            else None
        )
        if staff is None:
            return
        assigned = CaseAssigned(
            case_id=event.case_id,
            expert_id=staff.expert_id,
            track=staff.track,
            rule=AssignmentRule.LEGACY_STAFF,
            assigned_at=event.opened_at,
        )
        why = "handed over from the old desk to the same staff member"
        await record(ctx.conn, ctx.outbox, assigned, Note(actor="system:handover", reason=why))
        return
    decision = triage(event.stage, event.categories, await queries.candidates(ctx.conn))
    if decision.expert_id is None:
        return
    assigned = CaseAssigned(
        case_id=event.case_id,
        expert_id=decision.expert_id,
        track=choose_track(event.stage, event.categories),
        rule=AssignmentRule.TRIAGE,
        assigned_at=event.opened_at,
    )
    await record(
        ctx.conn, ctx.outbox, assigned, Note(actor="system:triage", reason=decision.explanation)
    )
