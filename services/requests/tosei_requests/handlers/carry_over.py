"""Commands that take requests into the next fiscal year: carry over, merge, split."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from uuid import UUID

from tosei_common.platform.db import Connection
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_requests.db import answers as answers_db
from tosei_requests.db import briefings as briefings_db
from tosei_requests.db import request_items as items_db
from tosei_requests.db import years as years_db
from tosei_requests.domain import access
from tosei_requests.domain.lineage import (
    NewDraft,
    Predecessor,
    carry_over,
    ensure_year_open,
    merge_over,
    split_over,
)
from tosei_requests.domain.request_item import RequestContent, RequestItem
from tosei_requests.handlers.loading import keep, no_item, references


async def _open_next_year(conn: Connection, item_id: UUID, field: str) -> RequestItem:
    """The item of the year before, after the lock of the year it goes into (so two carry-overs
    of one item cannot both find it not carried yet)."""
    found = await items_db.get(conn, item_id)
    if found is None:
        raise no_item(item_id, field)
    target = found.fiscal_year + 1
    ensure_year_open(target, await years_db.get(conn, target, for_update=True) is not None)
    return found


async def _predecessor(conn: Connection, item: RequestItem) -> Predecessor:
    briefing = await briefings_db.get(conn, item.fiscal_year)
    return Predecessor(
        item=item,
        answer=await answers_db.get(conn, item.id),
        on_agenda=briefing is not None and briefing.agenda_fixed and item.id in briefing.agenda,
        successors=await items_db.successors(conn, item.id),
    )


async def _new_drafts(
    conn: Connection, fiscal_year: int, contents: Sequence[RequestContent]
) -> list[NewDraft]:
    numbers = await items_db.next_number(conn, fiscal_year, len(contents))
    return [NewDraft(uuid.uuid4(), n, c) for n, c in zip(numbers, contents, strict=True)]


async def carry(uow: UnitOfWork, who: Principal, item_id: UUID, reason: str | None) -> RequestItem:
    item = await _open_next_year(uow.conn, item_id, "item_id")
    access.ensure_may_read_item(who, item)
    access.ensure_may_draft(who, item.municipalities)
    source = await _predecessor(uow.conn, item)
    [new] = await _new_drafts(uow.conn, item.fiscal_year + 1, [item.content])
    refs = await references(uow.conn, item.plan_item_ids)
    change = carry_over(source, new, refs, reason=reason, at=uow.at)
    await keep(uow, change)
    return change.item


async def merge(
    uow: UnitOfWork,
    who: Principal,
    source_ids: Sequence[UUID],
    content: RequestContent,
    reason: str | None,
) -> RequestItem:
    items = [
        await _open_next_year(uow.conn, item_id, f"sources.{i}")
        for i, item_id in enumerate(source_ids)
    ]
    for item in items:
        access.ensure_may_read_item(who, item)
        access.ensure_may_draft(who, item.municipalities)
    access.ensure_may_draft(who, content.municipalities)
    sources = [await _predecessor(uow.conn, item) for item in items]
    [new] = await _new_drafts(uow.conn, items[0].fiscal_year + 1, [content])
    refs = await references(uow.conn, content.plan_item_ids)
    change = merge_over(sources, new, refs, reason=reason, at=uow.at)
    await keep(uow, change)
    return change.item


async def split(
    uow: UnitOfWork,
    who: Principal,
    item_id: UUID,
    parts: Sequence[RequestContent],
    reason: str | None,
) -> list[RequestItem]:
    item = await _open_next_year(uow.conn, item_id, "item_id")
    access.ensure_may_read_item(who, item)
    access.ensure_may_draft(who, item.municipalities)
    for part in parts:
        access.ensure_may_draft(who, part.municipalities)
    source = await _predecessor(uow.conn, item)
    drafts = await _new_drafts(uow.conn, item.fiscal_year + 1, parts)
    refs = await references(uow.conn, [p for part in parts for p in part.plan_item_ids])
    changes = split_over(source, drafts, refs, reason=reason, at=uow.at)
    for change in changes:
        await keep(uow, change)
    return [c.item for c in changes]
