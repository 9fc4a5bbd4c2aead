"""Commands on the prefecture's answers: record one, or correct it."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from tosei_common.catalogue.requests import AnswerStatus
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_requests.db import answers as answers_db
from tosei_requests.db import briefings as briefings_db
from tosei_requests.db import departments as departments_db
from tosei_requests.domain import access
from tosei_requests.domain.answer import Answer, record_answer
from tosei_requests.handlers.loading import item_of_locked_year


async def record(
    uow: UnitOfWork,
    who: Principal,
    item_id: UUID,
    *,
    received_on: date,
    text: str,
    department: str,
    status: AnswerStatus,
    reason: str | None,
) -> Answer:
    access.ensure_coordinator(who, "県の回答の記録")
    item = await item_of_locked_year(uow.conn, item_id)
    change = record_answer(
        item,
        await briefings_db.get(uow.conn, item.fiscal_year),
        await answers_db.get(uow.conn, item_id, for_update=True),
        received_on=received_on,
        text=text,
        department=department,
        status=status,
        departments=await departments_db.by_code(uow.conn),
        reason=reason,
        today=uow.today,
        at=uow.at,
    )
    await answers_db.save(uow.conn, change.answer, actor=uow.actor, at=uow.at)
    await uow.emit(change.event)
    await uow.audit("answer", item_id, change.action, changes=change.changes, reason=reason)
    return change.answer
