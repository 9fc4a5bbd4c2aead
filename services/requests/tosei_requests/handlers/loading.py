"""What several commands load the same way: an item with its year's lock, the lists an item may
name, and how a change is kept (state, events, history entry) in the unit of work."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from tosei_common.platform.db import Connection
from tosei_common.platform.errors import Message, NotFound
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_common.region.fiscal import fiscal_year_label
from tosei_requests.db import briefings as briefings_db
from tosei_requests.db import departments as departments_db
from tosei_requests.db import plan_items as plan_items_db
from tosei_requests.db import request_items as items_db
from tosei_requests.db import years as years_db
from tosei_requests.domain.briefing import Briefing
from tosei_requests.domain.request_item import ItemChange, References, RequestItem


def no_item(item_id: UUID, field: str = "item_id") -> NotFound:
    return NotFound(
        f"要望 {item_id} はありません",
        en=f"no request item {item_id}",
        fields={field: Message("ありません", "unknown")},
    )


async def item_of_locked_year(
    conn: Connection, item_id: UUID, field: str = "item_id"
) -> RequestItem:
    """The item, locked, after its year's lock: every change to a year's items, its agenda and
    its answers takes the year's lock first, so an item cannot leave the adopted state while an
    agenda naming it is being set."""
    found = await items_db.get(conn, item_id)
    if found is None:
        raise no_item(item_id, field)
    await years_db.get(conn, found.fiscal_year, for_update=True)
    item = await items_db.get(conn, item_id, for_update=True)
    assert item is not None  # items are never deleted
    return item


async def existing_briefing(conn: Connection, fiscal_year: int, *, lock: bool = False) -> Briefing:
    if lock:
        await years_db.get(conn, fiscal_year, for_update=True)
    briefing = await briefings_db.get(conn, fiscal_year, for_update=lock)
    if briefing is None:
        raise NotFound(
            f"{fiscal_year_label(fiscal_year)}の説明会は登録されていません",
            en=f"no briefing is scheduled for fiscal year {fiscal_year}",
            fields={"fiscal_year": Message("説明会がありません", "no briefing")},
        )
    return briefing


async def references(conn: Connection, plan_item_ids: Iterable[UUID]) -> References:
    return References(
        departments=await departments_db.by_code(conn),
        plan_items=await plan_items_db.by_ids(conn, list(plan_item_ids)),
    )


async def keep(uow: UnitOfWork, change: ItemChange) -> None:
    """Save the item's new state, announce it, and record the revision."""
    if change.created:
        await items_db.insert(uow.conn, change.item, actor=uow.actor, at=uow.at)
    else:
        await items_db.update(uow.conn, change.item, actor=uow.actor, at=uow.at)
    await uow.emit(*change.events)
    await uow.audit(
        "request_item", change.item.id, change.action, changes=change.changes, reason=change.reason
    )
