"""Retention at the desk: legal holds, erasing a client (early on request, or by the job).

One core, ``erase_client``, does both kinds of erasure: it overwrites the client's personal
columns (and those of every record merged into them), their audit entries and stored command
responses, records the erasure, and announces ``client.erased`` (ids only) so caseflow erases
its notes of the same cases.
"""

from __future__ import annotations

from uuid import UUID, uuid4

from tosei_common.catalogue.caseflow import CaseClosed, CaseState, CaseStateChanged
from tosei_common.catalogue.intake import ClientErased, ErasureBasis
from tosei_common.platform.consumer import HandlerContext
from tosei_common.platform.errors import NotFound
from tosei_common.platform.principal import Principal, Role, ensure_role
from tosei_common.platform.retention import (
    DESK_RECORDS,
    OpenUnitOfWork,
    RetentionReport,
    Say,
    allow_erasure,
    erase_audit_entries,
    erase_stored_responses,
    needles_of,
)
from tosei_common.platform.settings import Settings
from tosei_common.platform.unit_of_work import UnitOfWork, rehearsal
from tosei_intake.db import retention as retention_db
from tosei_intake.domain.reasons import required_reason
from tosei_intake.domain.retention import (
    Verdict,
    decide,
    ensure_hold_can_be_lifted,
    ensure_hold_can_be_placed,
    ensure_not_erased,
    ensure_not_held,
)

#: How often the job says how far it has got.
PROGRESS_EVERY = 50


# what caseflow says about closing ---------------------------------------------------------------


async def on_case_closed(ctx: HandlerContext, event: CaseClosed) -> None:
    await retention_db.case_closed(ctx.conn, event.case_id, event.closed_at)


async def on_case_state_changed(ctx: HandlerContext, event: CaseStateChanged) -> None:
    """A reopened case is open again: its client's period has not started."""
    if event.from_state is CaseState.CLOSED or event.to_state is CaseState.REOPENED:
        await retention_db.case_reopened(ctx.conn, event.case_id, event.changed_at)


# legal holds ------------------------------------------------------------------------------------


async def _locked(uow: UnitOfWork, client_id: UUID) -> tuple[bool, bool, bool]:
    found = await retention_db.lock_client(uow.conn, client_id)
    if found is None:
        raise NotFound(f"相談者（{client_id}）は見つかりません", en=f"no client {client_id}")
    return found


async def place_hold(uow: UnitOfWork, who: Principal, client_id: UUID, reason: str | None) -> UUID:
    """訴訟等による保存: nothing of the client is erased until the hold is lifted."""
    ensure_role(who, Role.COORDINATOR, doing="訴訟等による保存の設定")
    reason = required_reason(reason, "訴訟等による保存")
    _, _, held = await _locked(uow, client_id)
    ensure_hold_can_be_placed(held)
    hold_id = uuid4()
    await retention_db.place_hold(uow.conn, hold_id, client_id, reason, uow.actor, uow.at)
    await uow.audit("client", client_id, "legal_hold.placed", reason=reason, subject=client_id)
    return hold_id


async def lift_hold(uow: UnitOfWork, who: Principal, client_id: UUID, reason: str | None) -> None:
    ensure_role(who, Role.COORDINATOR, doing="訴訟等による保存の解除")
    reason = required_reason(reason, "訴訟等による保存の解除")
    await _locked(uow, client_id)
    lifted = await retention_db.lift_hold(uow.conn, client_id, reason, uow.actor, uow.at)
    ensure_hold_can_be_lifted(lifted is not None)
    await uow.audit("client", client_id, "legal_hold.lifted", reason=reason, subject=client_id)


# erasing ----------------------------------------------------------------------------------------


async def erase_client(
    uow: UnitOfWork, client_id: UUID, *, basis: ErasureBasis, reason: str
) -> ClientErased:
    """Erase everything personal intake holds about the client; caseflow hears of it."""
    merged, erased, held = await _locked(uow, client_id)
    ensure_not_erased(erased)
    ensure_not_held(held)
    if merged:
        raise NotFound(
            f"相談者（{client_id}）は別の相談者に統合されています。統合先の相談者を消去してください",
            en=f"client {client_id} was merged into another; erase that client",
        )
    duplicates = await retention_db.merged_duplicates(uow.conn, client_id)
    everyone = [client_id, *duplicates]
    cases = await retention_db.consultations_of(uow.conn, everyone)
    values = needles_of(await retention_db.personal_values(uow.conn, everyone))
    ids = [str(i) for i in [*everyone, *cases]]
    await allow_erasure(uow.conn)
    await erase_audit_entries(uow.conn, ids, values)
    await erase_stored_responses(uow.conn, [*ids, *values])
    await retention_db.erase_client_rows(uow.conn, everyone, cases)
    await retention_db.record_erasure(
        uow.conn, client_id, cases, basis=basis.value, reason=reason, actor=uow.actor, at=uow.at
    )
    # the erasure's own entry, written after the others were overwritten
    await uow.audit(
        "client",
        client_id,
        "erased",
        changes={"basis": basis.value, "consultation_ids": [str(c) for c in cases]},
        reason=reason,
        subject=client_id,
    )
    event = ClientErased(
        client_id=client_id,
        merged_client_ids=duplicates,
        case_ids=cases,
        basis=basis,
        erased_at=uow.at,
    )
    await uow.emit(event)
    return event


async def erase_on_request(
    uow: UnitOfWork, who: Principal, client_id: UUID, reason: str | None
) -> ClientErased:
    """本人からの消去請求: a coordinator erases the client now, unless a legal hold applies."""
    ensure_role(who, Role.COORDINATOR, doing="相談者の記録の消去")
    said = required_reason(reason, "消去")
    return await erase_client(uow, client_id, basis=ErasureBasis.REQUEST, reason=said)


async def run_retention(
    open_uow: OpenUnitOfWork, settings: Settings, dry_run: bool, say: Say
) -> RetentionReport:
    """The job: every client whose last case closed ``years`` ago or more is erased (in a dry
    run, rehearsed and rolled back); held ones are listed and kept."""
    years = DESK_RECORDS.years_in_force(settings)
    assert years is not None
    async with open_uow("system:retention") as uow:
        today = uow.today
        clients = await retention_db.clients_on_file(uow.conn)
    report = RetentionReport("intake", dry_run, today)
    decisions = [decide(c, today, years) for c in clients]
    due = [d for d in decisions if d.verdict is Verdict.DUE]
    for d in decisions:
        if d.verdict is Verdict.HELD:
            report.add(f"client {d.client_id}", "held", d.why, "clients held")
    reason = f"保存期間の満了（{DESK_RECORDS.counted_from}から{years}年）"
    for done, decision in enumerate(due, start=1):
        opened = open_uow("system:retention")
        async with rehearsal(opened) if dry_run else opened as uow:
            event = await erase_client(
                uow, decision.client_id, basis=ErasureBasis.RETENTION, reason=reason
            )
        report.cases += event.case_ids
        report.add(
            f"client {decision.client_id}",
            "erase" if dry_run else "erased",
            f"{decision.why}（相談{len(event.case_ids)}件）",
            "clients to erase" if dry_run else "clients erased",
        )
        if done % PROGRESS_EVERY == 0 or done == len(due):
            say(f"消去 {done}/{len(due)} 人")
    return report
