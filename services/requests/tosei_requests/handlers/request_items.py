"""Commands on request items: draft, revise, move (submit, adopt, return, withdraw, rework)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_requests.db import briefings as briefings_db
from tosei_requests.db import request_items as items_db
from tosei_requests.db import years as years_db
from tosei_requests.domain import access, lifecycle
from tosei_requests.domain.lineage import ensure_year_open
from tosei_requests.domain.request_item import RequestContent, RequestItem, draft_item, revise_item
from tosei_requests.domain.status import ItemStatus
from tosei_requests.handlers.loading import item_of_locked_year, keep, references


async def draft(
    uow: UnitOfWork, who: Principal, fiscal_year: int, content: RequestContent, reason: str | None
) -> RequestItem:
    access.ensure_may_draft(who, content.municipalities)
    year = await years_db.get(uow.conn, fiscal_year, for_update=True)
    ensure_year_open(fiscal_year, year is not None)
    [number] = await items_db.next_number(uow.conn, fiscal_year)
    refs = await references(uow.conn, content.plan_item_ids)
    change = draft_item(uuid.uuid4(), fiscal_year, number, content, refs, reason=reason)
    await keep(uow, change)
    return change.item


async def revise(
    uow: UnitOfWork,
    who: Principal,
    item_id: UUID,
    *,
    version: int,
    changes: Mapping[str, Any],
    reason: str | None,
) -> RequestItem:
    item = await item_of_locked_year(uow.conn, item_id)
    access.ensure_may_read_item(who, item)
    briefing = await briefings_db.get(uow.conn, item.fiscal_year)
    fixed = briefing is not None and briefing.agenda_fixed
    towns_after = changes.get("municipalities", item.municipalities)
    access.ensure_may_revise(who, item, agenda_fixed=fixed, towns_after=towns_after)
    refs = await references(uow.conn, changes.get("plan_item_ids", ()))
    change = revise_item(
        item, version=version, changes=changes, refs=refs, agenda_fixed=fixed, reason=reason
    )
    await keep(uow, change)
    return change.item


async def move(
    uow: UnitOfWork, who: Principal, item_id: UUID, to: ItemStatus, reason: str | None
) -> RequestItem:
    item = await item_of_locked_year(uow.conn, item_id)
    access.ensure_may_read_item(who, item)
    access.ensure_may_move(who, item, to)
    briefing = await briefings_db.get(uow.conn, item.fiscal_year)
    change = lifecycle.move(
        item,
        to,
        on_agenda=briefing is not None and item.id in briefing.agenda,
        agenda_fixed=briefing is not None and briefing.agenda_fixed,
        reason=reason,
        at=uow.at,
    )
    await keep(uow, change)
    return change.item
