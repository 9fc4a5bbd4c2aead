"""Recording a change: its events go to the outbox and into the read model, its personal half
(who, why, notes) into the journal, and an entry per event into the audit trail (the fields it
changed old → new, about the case's client) — all in the unit of work's transaction.

Caseflow's journal stays the case's own history (the timeline reads it); the audit trail is
the platform's one shape, which the auditors query across services (``GET /audit-log``).

The read model is written by the same projection functions that ``tosei replay`` runs, so a
replay rebuilds exactly what live commands wrote.
"""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from tosei_caseflow.db import timeline
from tosei_caseflow.domain.changes import (
    Change,
    audit_action,
    audit_changes,
    audit_reason,
)
from tosei_caseflow.handlers.projection import apply
from tosei_common.platform.unit_of_work import UnitOfWork


async def record(uow: UnitOfWork, change: Change, *, actor: str | None = None) -> None:
    """Emit, project and journal each event of ``change`` in order; the journal names
    ``actor`` (a system decision's own name) or the unit of work's actor."""
    audited = replace(uow, actor=actor) if actor else uow
    for entry in change.entries:
        (event_id,) = await uow.emit(entry.event)
        case_id = UUID(entry.event.subject)
        before = await timeline.audited_state(uow.conn, case_id)
        await apply(uow.conn, entry.event, event_id)
        after = await timeline.audited_state(uow.conn, case_id)
        await timeline.add_journal(
            uow.conn,
            event_id,
            UUID(entry.event.subject),  # the subject of every caseflow event is its case
            actor or uow.actor,
            entry.note,
            uow.at,
        )
        await audited.audit(
            "case",
            case_id,
            audit_action(entry.event),
            changes=audit_changes(entry.event, entry.note, event_id, before, after),
            reason=audit_reason(entry.event, entry.note),
            subject=after.get("client_id") or before.get("client_id"),
        )
