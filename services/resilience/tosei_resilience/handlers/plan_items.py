"""Commands on plan items: add, revise, retire, split, merge.

Each runs in the caller's unit of work: take the plan's write lock, load, check who may change
it, let the domain decide, save the state and its revision, and emit the event.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from tosei_common.catalogue.resilience import RetirementReason
from tosei_common.platform.db import Connection
from tosei_common.platform.errors import Message
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_common.region.fiscal import fiscal_year
from tosei_resilience.db import funding_programmes as funding_db
from tosei_resilience.db import plan_items as plan_items_db
from tosei_resilience.db import reference_lists
from tosei_resilience.db import review_flags as review_flags_db
from tosei_resilience.domain import access
from tosei_resilience.domain.events import plan_item_event
from tosei_resilience.domain.lineage import NewPart, merge_items, split_item
from tosei_resilience.domain.plan_item import (
    Change,
    PlanItem,
    PlanItemContent,
    add_item,
    no_such_item,
    retire_by_decision,
    revise_item,
)
from tosei_resilience.domain.reference import Known, ensure_known
from tosei_resilience.domain.review import RETIRED_NOTE
from tosei_resilience.domain.revisions import Imported, RevisionKind

NEW_ITEM = Message("新しい計画事業", "the new plan item")
MERGED_ITEM = Message("統合後の計画事業", "the merged plan item")


async def add(uow: UnitOfWork, who: Principal, content: PlanItemContent, reason: str) -> PlanItem:
    access.ensure_may_edit(who, content.municipality, NEW_ITEM)
    await plan_items_db.lock_plan(uow.conn)
    ensure_known(content, await _known(uow.conn))
    [number] = await plan_items_db.next_item_numbers(uow.conn)
    change = add_item(uuid.uuid4(), number, content)
    await _record(uow, [change], reason)
    return change.item


async def revise(
    uow: UnitOfWork,
    who: Principal,
    item_id: UUID,
    *,
    expected_version: int,
    changes: Mapping[str, Any],
    reason: str,
) -> PlanItem:
    access.ensure_may_change(who)
    await plan_items_db.lock_plan(uow.conn)
    item = await _load(uow.conn, item_id)
    access.ensure_may_edit(who, item.municipality, item.label)
    change = revise_item(item, expected_version=expected_version, changes=changes)
    access.ensure_may_move(who, item.municipality, change.item.municipality)
    ensure_known(change.item, await _known(uow.conn))
    await _record(uow, [change], reason)
    return change.item


async def retire(
    uow: UnitOfWork,
    who: Principal,
    item_id: UUID,
    *,
    expected_version: int,
    retirement: RetirementReason,
    reason: str,
) -> PlanItem:
    access.ensure_may_change(who)
    await plan_items_db.lock_plan(uow.conn)
    item = await _load(uow.conn, item_id)
    access.ensure_may_edit(who, item.municipality, item.label)
    change = retire_by_decision(item, expected_version=expected_version, reason=retirement)
    await _record(uow, [change], reason)
    return change.item


async def split(
    uow: UnitOfWork,
    who: Principal,
    item_id: UUID,
    *,
    expected_version: int,
    parts: Sequence[PlanItemContent],
    reason: str,
) -> tuple[PlanItem, list[PlanItem]]:
    access.ensure_may_change(who)
    await plan_items_db.lock_plan(uow.conn)
    item = await _load(uow.conn, item_id)
    access.ensure_may_edit(who, item.municipality, item.label)
    known = await _known(uow.conn)
    for i, part in enumerate(parts):
        access.ensure_may_edit(who, part.municipality, _part(i))
        ensure_known(part, known, f"parts.{i}.")
    numbers = await plan_items_db.next_item_numbers(uow.conn, len(parts))
    new_parts = [
        NewPart(uuid.uuid4(), number, part) for number, part in zip(numbers, parts, strict=True)
    ]
    retired, added = split_item(item, expected_version=expected_version, parts=new_parts)
    await _record(uow, [*added, retired], reason)
    return retired.item, [c.item for c in added]


async def merge(
    uow: UnitOfWork,
    who: Principal,
    sources: Sequence[tuple[UUID, int]],
    *,
    content: PlanItemContent,
    reason: str,
) -> tuple[list[PlanItem], PlanItem]:
    access.ensure_may_edit(who, content.municipality, MERGED_ITEM)
    await plan_items_db.lock_plan(uow.conn)
    loaded: list[tuple[PlanItem, int]] = []
    for source_id, version in sources:
        item = await _load(uow.conn, source_id)
        access.ensure_may_edit(who, item.municipality, item.label)
        loaded.append((item, version))
    ensure_known(content, await _known(uow.conn), "item.")
    [number] = await plan_items_db.next_item_numbers(uow.conn)
    retired, added = merge_items(loaded, NewPart(uuid.uuid4(), number, content))
    await _record(uow, [added, *retired], reason)
    return [c.item for c in retired], added.item


def _part(i: int) -> Message:
    return Message(f"分割後の{i + 1}件目の事業", f"part {i + 1} of the split")


async def _load(conn: Connection, item_id: UUID) -> PlanItem:
    item = await plan_items_db.item(conn, item_id, for_update=True)
    if item is None:
        raise no_such_item(item_id)
    return item


async def _known(conn: Connection) -> Known:
    return Known(
        scenarios=frozenset(s.code for s in await reference_lists.scenarios(conn)),
        areas=frozenset(a.code for a in await reference_lists.policy_areas(conn)),
        programmes=frozenset(p.id for p in await funding_db.programmes(conn)),
    )


async def _record(uow: UnitOfWork, changes: Sequence[Change], reason: str) -> None:
    await record(uow, changes, reason)


async def record(
    uow: UnitOfWork,
    changes: Sequence[Change],
    reason: str,
    *,
    at: datetime | None = None,
    imported: Imported | None = None,
) -> None:
    """Save each change as a revision with its event, taking effect at the command's moment
    (or at ``at``: an imported decision's day); an imported one is marked with its import."""
    moment = at or uow.at
    for change in changes:
        await plan_items_db.save_change(
            uow.conn,
            change,
            reason=reason,
            actor=uow.actor,
            at=moment,
            fiscal_year=fiscal_year(moment),
            imported=imported,
        )
        if change.kind is RevisionKind.RETIRED:
            await review_flags_db.resolve(
                uow.conn, item_id=change.item.id, actor=uow.actor, at=uow.at, note=RETIRED_NOTE
            )
        action = change.kind.value if imported is None else f"{change.kind.value}:imported"
        await uow.audit("plan_item", change.item.id, action, changes=change.changes, reason=reason)
    await uow.emit(*(plan_item_event(change, moment) for change in changes))
