"""What caseflow does when intake opens a case or merges two clients."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from tosei_caseflow.db import erasure, merges
from tosei_caseflow.db import experts as experts_db
from tosei_caseflow.domain.opening import assign_by_triage, assign_to_old_staff
from tosei_caseflow.domain.triage import triage
from tosei_caseflow.handlers.projection import (
    project_cases_opened,
    project_consent_changed,
    project_corrected,
)
from tosei_caseflow.handlers.record import record
from tosei_common.catalogue.intake import (
    CaseOpened,
    ClientErased,
    ClientsMerged,
    ClientsUnmerged,
    ClientUseResumed,
    ClientUseStopped,
    ConsentChanged,
    ConsultationCorrected,
    LegacyStatus,
    Origin,
)
from tosei_common.platform.consumer import BatchContext, BatchHandler, Delivery, HandlerContext
from tosei_common.platform.retention import (
    allow_erasure,
    erase_audit_entries,
    erase_stored_responses,
    needles_of,
)


async def on_clients_merged(ctx: HandlerContext, event: ClientsMerged) -> None:
    """Intake found two clients to be one person: count their cases as one client's."""
    survivor = await merges.surviving_client(ctx.conn, event.client_id)
    await merges.merge_clients(
        ctx.conn, survivor, event.merged_client_id, event.case_ids, event.merged_at
    )


async def on_clients_unmerged(ctx: HandlerContext, event: ClientsUnmerged) -> None:
    """intake undid a mistaken merge: those cases count as their own client's again."""
    await merges.unmerge_clients(
        ctx.conn, event.client_id, event.unmerged_client_id, event.case_ids
    )


async def on_client_use_stopped(ctx: HandlerContext, event: ClientUseStopped) -> None:
    """The person asked that their records' use be stopped: no referral of their cases."""
    await merges.stop_use(ctx.conn, event.client_id, event.stopped_at)


async def on_client_use_resumed(ctx: HandlerContext, event: ClientUseResumed) -> None:
    await merges.resume_use(ctx.conn, event.client_id)


async def on_consent_changed(ctx: HandlerContext, event: ConsentChanged) -> None:
    """The client's consent to share, recorded at intake after the consultation."""
    await project_consent_changed(ctx.conn, event, ctx.envelope.id)


async def on_consultation_corrected(ctx: HandlerContext, event: ConsultationCorrected) -> None:
    """The desk corrected the case's town, categories or stage at intake."""
    await project_corrected(ctx.conn, event, ctx.envelope.id)


async def on_cases_opened(ctx: BatchContext, deliveries: Sequence[Delivery]) -> None:
    """Register the cases, then give each to an expert.

    The cases of a whole batch are registered in a few statements; the assignments follow one
    case after the other, in order (each triage sees the loads the previous one left). New-desk
    cases are triaged. Handed-over cases keep their old status and go to their old staff member
    when that person is one of our experts; otherwise (or when closed) they are not triaged and
    wait, unassigned, in the queue. While replaying, the assignment made live comes back as its
    own event, so nothing is decided here again.
    """
    opened: list[tuple[CaseOpened, UUID]] = [(d.event, d.envelope.id) for d in deliveries]
    created = await project_cases_opened(ctx.conn, opened)
    if ctx.replaying:
        return
    for event, event_id in opened:
        if event_id in created and event.legacy_status is not LegacyStatus.CLOSED:
            await _assign(ctx, event)


async def _assign(ctx: BatchContext, event: CaseOpened) -> None:
    if event.origin is not Origin.NEW_DESK:
        staff = (
            await experts_db.by_staff_key(ctx.conn, event.legacy_staff)
            if event.legacy_staff
            else None
        )
        if staff is not None:
            await record(ctx, assign_to_old_staff(event, staff, at=ctx.at), actor="system:handover")
        return
    decision = triage(event.stage, event.categories, await experts_db.candidates(ctx.conn))
    change = assign_by_triage(event, decision, at=ctx.at)
    if change is not None:
        await record(ctx, change, actor="system:triage")


#: case.opened is handled a batch at a time (a replay of years of cases in seconds).
on_case_opened = BatchHandler(on_cases_opened)


async def on_client_erased(ctx: HandlerContext, event: ClientErased) -> None:
    """intake erased a client: erase the free text caseflow holds about their cases (journal,
    audit entries, stored responses). Cases, sessions, referrals and outcomes stay."""
    cases = list(event.case_ids)
    texts = needles_of(await erasure.journal_texts(ctx.conn, cases))
    ids = [str(c) for c in cases]
    await allow_erasure(ctx.conn)
    await erase_audit_entries(ctx.conn, ids, texts)
    await erase_stored_responses(ctx.conn, [*ids, *texts])
    await erasure.erase_journal(ctx.conn, cases)
    await erasure.record_erased(ctx.conn, cases, event.client_id, event.erased_at, ctx.envelope.id)
