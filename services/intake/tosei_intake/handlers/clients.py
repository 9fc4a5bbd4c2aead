"""Merging two client records that turned out to be one person; correcting a client's details."""

from __future__ import annotations

from uuid import UUID

from tosei_common.platform.errors import Conflict, NotFound
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_intake.db import clients as clients_db
from tosei_intake.db import retention as retention_db
from tosei_intake.domain import access
from tosei_intake.domain.client_corrections import ClientCorrection, correct_client
from tosei_intake.domain.clients import ClientState, Merge, merge, unmerge
from tosei_intake.domain.retention import ensure_none_erased


async def merge_clients(
    uow: UnitOfWork, who: Principal, survivor_id: UUID, duplicate_id: UUID
) -> Merge:
    """Move the duplicate's consultations, names and contacts to the survivor, and say so."""
    access.ensure_may_merge(who)
    # names first, then rows: the order registrations take them in
    await clients_db.lock_names_of(uow.conn, [survivor_id, duplicate_id])
    states: dict[UUID, ClientState] = {}
    for client_id in sorted({survivor_id, duplicate_id}, key=str):  # one lock order
        state = await clients_db.lock_state(uow.conn, client_id)
        if state is None:
            raise NotFound(f"相談者（{client_id}）は見つかりません", en=f"no client {client_id}")
        states[client_id] = state
    ensure_none_erased(await retention_db.erased_among(uow.conn, [survivor_id, duplicate_id]))
    moving = await clients_db.consultation_ids(uow.conn, duplicate_id)
    merged = merge(states[survivor_id], states[duplicate_id], moving, at=uow.at)
    await clients_db.save_merge(uow.conn, merged, uow.actor)
    await uow.emit(*merged.events)
    moved = [str(c) for c in merged.moved_consultations]
    await uow.audit(
        "client",
        survivor_id,
        "merged",
        changes={"merged_client_id": duplicate_id, "consultation_ids": moved},
        subject=survivor_id,
    )
    await uow.audit(
        "client",
        duplicate_id,
        "merged_into",
        changes={"merged_into": {"old": None, "new": survivor_id}, "consultation_ids": moved},
        subject=duplicate_id,
    )
    return merged


async def correct(uow: UnitOfWork, who: Principal, client_id: UUID, fix: ClientCorrection) -> None:
    """A client's name, furigana, phones and e-mails corrected, old → new and why audited."""
    access.ensure_may_correct(who)
    await clients_db.lock_names_of(uow.conn, [client_id])
    state = await clients_db.lock_state(uow.conn, client_id)
    client = await clients_db.one(uow.conn, client_id)
    if state is None or client is None:
        raise NotFound(f"相談者（{client_id}）は見つかりません", en=f"no client {client_id}")
    if state.merged_into is not None:
        raise Conflict(
            "この記録は別の相談者に統合されています。統合先の相談者の情報を訂正してください",
            en=f"the record was merged into {state.merged_into}; correct that client",
            merged_into=str(state.merged_into),
        )
    done = correct_client(client, await clients_db.keys_of(uow.conn, client_id), fix)
    await clients_db.save_correction(uow.conn, client_id, done, uow.actor, uow.at)
    await uow.audit(
        "client", client_id, "corrected", changes=done.changes, reason=fix.reason, subject=client_id
    )


async def unmerge_clients(
    uow: UnitOfWork, who: Principal, duplicate_id: UUID, reason: str | None
) -> UUID:
    """Undo a mistaken merge: the duplicate gets back exactly its own names, contacts and
    consultations; caseflow hears it (client.unmerged). Returns the client it was merged into."""
    access.ensure_may_merge(who)
    standing = await clients_db.standing_merge(uow.conn, duplicate_id)
    ids = [duplicate_id] + ([standing.client_id] if standing else [])
    await clients_db.lock_names_of(uow.conn, ids)
    states = {i: await clients_db.lock_state(uow.conn, i) for i in sorted(ids, key=str)}
    if states[duplicate_id] is None:
        raise NotFound(f"相談者（{duplicate_id}）は見つかりません", en=f"no client {duplicate_id}")
    survivor = states.get(standing.client_id) if standing else None
    event = unmerge(standing, duplicate_id, survivor, reason=reason, at=uow.at)
    assert standing is not None  # unmerge refused otherwise
    await clients_db.save_unmerge(uow.conn, standing, uow.actor, uow.at, reason or "")
    await uow.emit(event)
    await uow.audit(
        "client",
        standing.client_id,
        "unmerged",
        changes={"unmerged_client_id": {"old": duplicate_id, "new": None}},
        reason=reason,
        subject=standing.client_id,
    )
    await uow.audit(
        "client",
        duplicate_id,
        "unmerged",
        changes={
            "merged_into": {"old": standing.client_id, "new": None},
            "consultation_ids": event.case_ids,
        },
        reason=reason,
        subject=duplicate_id,
    )
    return standing.client_id
