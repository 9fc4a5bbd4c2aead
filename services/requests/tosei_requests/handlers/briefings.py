"""Commands on the yearly briefing: schedule or reschedule it, set and fix its agenda, record the
minutes, publish the request book."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from uuid import UUID

from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_requests.db import briefings as briefings_db
from tosei_requests.db import departments as departments_db
from tosei_requests.db import request_items as items_db
from tosei_requests.db import years as years_db
from tosei_requests.domain import access, agenda
from tosei_requests.domain.briefing import (
    Briefing,
    BriefingChange,
    Grouping,
    Schedule,
    publish_book,
    record_minutes,
    reschedule_briefing,
    schedule_briefing,
)
from tosei_requests.domain.lineage import ensure_year_open
from tosei_requests.handlers.loading import existing_briefing


async def _keep(uow: UnitOfWork, change: BriefingChange) -> Briefing:
    await briefings_db.save(uow.conn, change.briefing, actor=uow.actor, at=uow.at)
    await uow.emit(*change.events)
    await uow.audit(
        "briefing", change.briefing.id, change.action, changes=change.changes, reason=change.reason
    )
    return change.briefing


async def schedule(
    uow: UnitOfWork, who: Principal, fiscal_year: int, plan: Schedule, reason: str | None
) -> Briefing:
    """The year's briefing: scheduled the first time, rescheduled (with a reason) after."""
    access.ensure_coordinator(who, "説明会の日程の登録")
    year = await years_db.get(uow.conn, fiscal_year, for_update=True)
    ensure_year_open(fiscal_year, year is not None)
    current = await briefings_db.get(uow.conn, fiscal_year, for_update=True)
    departments = await departments_db.by_code(uow.conn)
    if current is None:
        change = schedule_briefing(uuid.uuid4(), fiscal_year, plan, departments, at=uow.at)
    else:
        change = reschedule_briefing(current, plan, departments, reason=reason, at=uow.at)
    return await _keep(uow, change)


async def set_agenda(
    uow: UnitOfWork,
    who: Principal,
    fiscal_year: int,
    order: Sequence[UUID],
    grouping: Grouping,
    reason: str | None,
) -> Briefing:
    access.ensure_coordinator(who, "議題の設定")
    briefing = await existing_briefing(uow.conn, fiscal_year, lock=True)
    items = await items_db.by_ids(uow.conn, order)
    change = agenda.set_agenda(briefing, order, grouping, items, reason=reason, at=uow.at)
    return await _keep(uow, change)


async def fix_agenda(uow: UnitOfWork, who: Principal, fiscal_year: int) -> Briefing:
    access.ensure_coordinator(who, "議題の確定")
    briefing = await existing_briefing(uow.conn, fiscal_year, lock=True)
    items = await items_db.by_ids(uow.conn, briefing.agenda)
    return await _keep(uow, agenda.fix_agenda(briefing, items, at=uow.at))


async def minutes(
    uow: UnitOfWork, who: Principal, fiscal_year: int, text: str, reason: str | None
) -> Briefing:
    access.ensure_coordinator(who, "議事録の記録")
    briefing = await existing_briefing(uow.conn, fiscal_year, lock=True)
    return await _keep(uow, record_minutes(briefing, text, reason=reason, at=uow.at))


async def publish(uow: UnitOfWork, who: Principal, fiscal_year: int) -> Briefing:
    access.ensure_coordinator(who, "要望書の公開")
    briefing = await existing_briefing(uow.conn, fiscal_year, lock=True)
    return await _keep(uow, publish_book(briefing, at=uow.at))
