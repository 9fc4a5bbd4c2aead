"""Coordinators' commands on a seminar's budget lines."""

from __future__ import annotations

import uuid
from uuid import UUID

from tosei_common.platform.audit import removed
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_seminar.db import budget as budget_db
from tosei_seminar.domain import access
from tosei_seminar.domain.budget import (
    BudgetCategory,
    BudgetEntry,
    BudgetPatch,
    no_such_line,
    revise_entry,
)
from tosei_seminar.domain.history import SEMINAR
from tosei_seminar.handlers import loading


async def add(
    uow: UnitOfWork,
    who: Principal,
    seminar_id: UUID,
    *,
    category: BudgetCategory,
    item: str,
    planned: int,
    actual: int | None,
) -> UUID:
    access.ensure_may_manage(who)
    await loading.seminar(uow.conn, seminar_id, lock=True)
    line = BudgetEntry(uuid.uuid4(), category, item, planned, actual, uow.actor, uow.at)
    await _save(uow, seminar_id, line)
    return line.id


async def change(
    uow: UnitOfWork, who: Principal, seminar_id: UUID, line_id: UUID, patch: BudgetPatch
) -> None:
    access.ensure_may_manage(who)
    await loading.seminar(uow.conn, seminar_id, lock=True)
    old = await budget_db.lock(uow.conn, seminar_id, line_id)
    await _save(uow, seminar_id, revise_entry(old, line_id, patch, actor=uow.actor, at=uow.at))


async def remove(uow: UnitOfWork, who: Principal, seminar_id: UUID, line_id: UUID) -> None:
    access.ensure_may_manage(who)
    await loading.seminar(uow.conn, seminar_id, lock=True)
    if not await budget_db.delete(uow.conn, seminar_id, line_id):
        raise no_such_line(line_id)
    await uow.audit(SEMINAR, seminar_id, "budget.removed", changes=removed({"line_id": line_id}))


async def _save(uow: UnitOfWork, seminar_id: UUID, line: BudgetEntry) -> None:
    await budget_db.save(uow.conn, seminar_id, line)
    recorded = {"line_id": line.id, "planned": line.planned, "actual": line.actual}
    await uow.audit(SEMINAR, seminar_id, "budget.saved", changes=recorded)
