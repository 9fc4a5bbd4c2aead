"""Merging two client records that turned out to be one person."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from tosei_common.catalogue.intake import ClientsMerged
from tosei_common.platform.errors import NotFound
from tosei_intake.db import queries
from tosei_intake.domain.clients import check_merge
from tosei_intake.handlers.context import Intake


@dataclass(frozen=True)
class Merged:
    client_id: UUID
    merged_client_id: UUID
    moved_consultations: list[UUID]


async def merge_clients(
    intake: Intake, survivor_id: UUID, duplicate_id: UUID, *, actor: str
) -> Merged:
    """Move the duplicate's consultations, names and contacts to the survivor, and say so."""
    async with intake.pool.acquire() as conn, conn.transaction():
        # names first, then rows: the order registrations take them in
        await queries.lock_names_of(conn, [survivor_id, duplicate_id])
        states = {}
        for client_id in sorted({survivor_id, duplicate_id}, key=str):  # one lock order
            state = await queries.client_state_for_update(conn, client_id)
            if state is None:
                raise NotFound(f"no client {client_id}")
            states[client_id] = state
        check_merge(states[survivor_id], states[duplicate_id])
        now = intake.clock.now()
        moved = await queries.merge_clients(conn, survivor_id, duplicate_id, actor, now)
        await intake.outbox.add(
            conn,
            ClientsMerged(
                client_id=survivor_id, merged_client_id=duplicate_id, case_ids=moved, merged_at=now
            ),
        )
    return Merged(survivor_id, duplicate_id, moved)
