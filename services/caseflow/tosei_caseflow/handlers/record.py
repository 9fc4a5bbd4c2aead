"""Recording a change: its events go to the outbox and into the read model, its personal half
(who, why, notes) into the journal — all in the unit of work's transaction.

The read model is written by the same projection functions that ``tosei replay`` runs, so a
replay rebuilds exactly what live commands wrote.
"""

from __future__ import annotations

from uuid import UUID

from tosei_caseflow.db import timeline
from tosei_caseflow.domain.changes import Change
from tosei_caseflow.handlers.projection import apply
from tosei_common.platform.unit_of_work import UnitOfWork


async def record(uow: UnitOfWork, change: Change, *, actor: str | None = None) -> None:
    """Emit, project and journal each event of ``change`` in order; the journal names
    ``actor`` (a system decision's own name) or the unit of work's actor."""
    for entry in change.entries:
        (event_id,) = await uow.emit(entry.event)
        await apply(uow.conn, entry.event, event_id)
        await timeline.add_journal(
            uow.conn,
            event_id,
            UUID(entry.event.subject),  # the subject of every caseflow event is its case
            actor or uow.actor,
            entry.note,
            uow.at,
        )
