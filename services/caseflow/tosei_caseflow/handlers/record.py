"""Recording a decision: its events go to the outbox and into the read model, its personal half
(who, why, notes) into the journal — all in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from tosei_caseflow.db import queries
from tosei_caseflow.handlers.projection import apply
from tosei_common.platform.db import Connection
from tosei_common.platform.events import Event
from tosei_common.platform.outbox import Outbox


@dataclass(frozen=True)
class Note:
    """What a person said about a change; never leaves caseflow."""

    actor: str
    reason: str | None = None
    note: str | None = None
    minutes: str | None = None
    confidential: str | None = None


async def record(conn: Connection, outbox: Outbox, event: Event, note: Note) -> None:
    (event_id,) = await outbox.add(conn, event)
    await apply(conn, event, event_id)
    await queries.add_journal(
        conn,
        event_id,
        UUID(event.subject),  # the subject of every caseflow event is its case
        note.actor,
        reason=note.reason,
        note=note.note,
        minutes=note.minutes,
        confidential=note.confidential,
    )
