"""A person's requests about their own records: what is held (開示, recorded as a disclosure in
the audit trail), and stopping (and resuming) its use (利用停止)."""

from __future__ import annotations

from uuid import UUID

from tosei_common.platform.errors import Conflict, NotFound
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_intake.db import clients as clients_db
from tosei_intake.db import use_stops as use_stops_db
from tosei_intake.domain import access, use_stops
from tosei_intake.domain.disclosure import IntakeDisclosure
from tosei_intake.handlers import reads


async def _live_client(uow: UnitOfWork, client_id: UUID) -> None:
    state = await clients_db.lock_state(uow.conn, client_id)
    if state is None:
        raise NotFound(f"相談者（{client_id}）は見つかりません", en=f"no client {client_id}")
    if state.merged_into is not None:
        raise Conflict(
            "この記録は別の相談者に統合されています。統合先の相談者について手続きしてください",
            en=f"the record was merged into {state.merged_into}; act on that client",
            merged_into=str(state.merged_into),
        )


async def stop_use(uow: UnitOfWork, who: Principal, client_id: UUID, reason: str | None) -> None:
    """Stop the use of the client's records, with the reason; caseflow hears it."""
    access.ensure_may_answer_requests(who, doing="記録の利用停止")
    await _live_client(uow, client_id)
    case_ids = await clients_db.consultation_ids(uow.conn, client_id)
    stop, event = use_stops.stop(
        client_id,
        await use_stops_db.standing(uow.conn, client_id),
        sorted(case_ids, key=str),
        reason=reason,
        actor=uow.actor,
        at=uow.at,
    )
    await use_stops_db.save(uow.conn, stop)
    await uow.emit(event)
    await uow.audit("client", client_id, "use_stopped", reason=stop.reason, subject=client_id)


async def resume_use(uow: UnitOfWork, who: Principal, client_id: UUID, reason: str | None) -> None:
    """Lift the standing stop, with the reason; caseflow hears it."""
    access.ensure_may_answer_requests(who, doing="記録の利用停止の解除")
    await _live_client(uow, client_id)
    case_ids = await clients_db.consultation_ids(uow.conn, client_id)
    lifted, event = use_stops.resume(
        client_id,
        await use_stops_db.standing(uow.conn, client_id),
        sorted(case_ids, key=str),
        reason=reason,
        actor=uow.actor,
        at=uow.at,
    )
    await use_stops_db.save(uow.conn, lifted)
    await uow.emit(event)
    await uow.audit(
        "client", client_id, "use_resumed", reason=lifted.resume_reason, subject=client_id
    )


async def disclose(uow: UnitOfWork, who: Principal, client_id: UUID) -> IntakeDisclosure:
    """Everything intake holds about the person; that it was disclosed, by whom, is audited."""
    found = await reads.disclosure(uow, who, client_id)
    await uow.audit("client", found.client.id, "disclosed", subject=found.client.id)
    return found
