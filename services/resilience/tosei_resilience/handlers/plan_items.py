"""Commands on plan items: add, revise, retire, split, merge.

Each runs in one transaction: take the plan's write lock, load, check who may change it, let the
domain decide, save the state and its revision, and add the event to the outbox.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from tosei_common.catalogue.resilience import (
    PlanItemAdded,
    PlanItemField,
    PlanItemRetired,
    PlanItemRevised,
    RetirementReason,
)
from tosei_common.platform.db import Connection
from tosei_common.platform.errors import NotFound, Unprocessable
from tosei_common.platform.events import Event
from tosei_common.region.fiscal import fiscal_year
from tosei_resilience.db import funding_programmes as funding_db
from tosei_resilience.db import plan_items as plan_items_db
from tosei_resilience.db import reference_lists
from tosei_resilience.db import review_flags as review_flags_db
from tosei_resilience.domain.access import Editor, ensure_may_edit, ensure_may_move
from tosei_resilience.domain.plan_item import (
    Change,
    NewPart,
    PlanItem,
    PlanItemContent,
    add_item,
    merge_items,
    retire_item,
    revise_item,
    split_item,
)
from tosei_resilience.domain.revisions import RevisionKind
from tosei_resilience.handlers.context import Deps

RETIRED_NOTE = "事業の廃止により確認不要"  # closes an open review flag of a retired item


async def add(deps: Deps, editor: Editor, content: PlanItemContent, reason: str) -> PlanItem:
    ensure_may_edit(editor, content.municipality, "the new plan item")
    async with deps.pool.acquire() as conn, conn.transaction():
        await plan_items_db.lock_plan(conn)
        await ensure_known(conn, content)
        [number] = await plan_items_db.next_item_numbers(conn)
        change = add_item(uuid.uuid4(), number, content)
        await _record(deps, conn, [change], editor=editor, reason=reason)
    return change.item


async def revise(
    deps: Deps,
    editor: Editor,
    item_id: UUID,
    *,
    expected_version: int,
    changes: Mapping[str, Any],
    reason: str,
) -> PlanItem:
    async with deps.pool.acquire() as conn, conn.transaction():
        await plan_items_db.lock_plan(conn)
        item = await _load(conn, item_id)
        ensure_may_edit(editor, item.municipality, item.label)
        change = revise_item(item, expected_version=expected_version, changes=changes)
        ensure_may_move(editor, item.municipality, change.item.municipality)
        await ensure_known(conn, change.item)
        await _record(deps, conn, [change], editor=editor, reason=reason)
    return change.item


async def retire(
    deps: Deps,
    editor: Editor,
    item_id: UUID,
    *,
    expected_version: int,
    retirement: RetirementReason,
    reason: str,
) -> PlanItem:
    if retirement in (RetirementReason.SPLIT, RetirementReason.MERGED):
        raise Unprocessable(
            "split and merged items are retired by the split or the merger itself",
            fields={"retirement": "use POST /plan-items/{id}/split or POST /plan-items/merge"},
        )
    async with deps.pool.acquire() as conn, conn.transaction():
        await plan_items_db.lock_plan(conn)
        item = await _load(conn, item_id)
        ensure_may_edit(editor, item.municipality, item.label)
        change = retire_item(item, expected_version=expected_version, reason=retirement)
        await _record(deps, conn, [change], editor=editor, reason=reason)
    return change.item


async def split(
    deps: Deps,
    editor: Editor,
    item_id: UUID,
    *,
    expected_version: int,
    parts: Sequence[PlanItemContent],
    reason: str,
) -> tuple[PlanItem, list[PlanItem]]:
    async with deps.pool.acquire() as conn, conn.transaction():
        await plan_items_db.lock_plan(conn)
        item = await _load(conn, item_id)
        ensure_may_edit(editor, item.municipality, item.label)
        for i, part in enumerate(parts):
            ensure_may_edit(editor, part.municipality, f"part {i + 1} of the split")
            await ensure_known(conn, part, f"parts.{i}.")
        numbers = await plan_items_db.next_item_numbers(conn, len(parts))
        new_parts = [
            NewPart(uuid.uuid4(), number, part) for number, part in zip(numbers, parts, strict=True)
        ]
        retired, added = split_item(item, expected_version=expected_version, parts=new_parts)
        await _record(deps, conn, [*added, retired], editor=editor, reason=reason)
    return retired.item, [c.item for c in added]


async def merge(
    deps: Deps,
    editor: Editor,
    sources: Sequence[tuple[UUID, int]],
    *,
    content: PlanItemContent,
    reason: str,
) -> tuple[list[PlanItem], PlanItem]:
    ensure_may_edit(editor, content.municipality, "the merged plan item")
    async with deps.pool.acquire() as conn, conn.transaction():
        await plan_items_db.lock_plan(conn)
        loaded: list[tuple[PlanItem, int]] = []
        for source_id, version in sources:
            item = await _load(conn, source_id)
            ensure_may_edit(editor, item.municipality, item.label)
            loaded.append((item, version))
        await ensure_known(conn, content, "item.")
        [number] = await plan_items_db.next_item_numbers(conn)
        merged = NewPart(uuid.uuid4(), number, content)
        retired, added = merge_items(loaded, merged)
        await _record(deps, conn, [added, *retired], editor=editor, reason=reason)
    return [c.item for c in retired], added.item


async def _load(conn: Connection, item_id: UUID) -> PlanItem:
    item = await plan_items_db.item(conn, item_id, for_update=True)
    if item is None:
        raise NotFound(f"no plan item {item_id}")
    return item


async def ensure_known(conn: Connection, content: PlanItemContent, where: str = "") -> None:
    """The item names a scenario, a policy area and funding programmes the plan knows."""
    problems: dict[str, str] = {}
    if content.risk_scenario not in {s.code for s in await reference_lists.scenarios(conn)}:
        problems[f"{where}risk_scenario"] = (
            f"the plan has no risk scenario {content.risk_scenario}; "
            "GET /risk-scenarios lists them, a coordinator adds new ones"
        )
    if content.policy_area not in {a.code for a in await reference_lists.policy_areas(conn)}:
        problems[f"{where}policy_area"] = (
            f"the plan has no policy area {content.policy_area!r}; GET /policy-areas lists them"
        )
    known = {p.id for p in await funding_db.programmes(conn)}
    for programme_id in content.funding_programmes:
        if programme_id not in known:
            problems[f"{where}funding_programmes"] = (
                f"no funding programme {programme_id}; GET /funding-programmes lists them"
            )
    if problems:
        raise Unprocessable("; ".join(problems.values()), fields=problems)


async def _record(
    deps: Deps, conn: Connection, changes: Sequence[Change], *, editor: Editor, reason: str
) -> None:
    """Save each change as a revision at one moment, with its event, in the open transaction."""
    at = deps.clock()
    events: list[Event] = []
    for change in changes:
        await plan_items_db.save_change(
            conn, change, reason=reason, actor=editor.actor, at=at, fiscal_year=fiscal_year(at)
        )
        if change.kind is RevisionKind.RETIRED:
            await review_flags_db.resolve(
                conn, item_id=change.item.id, actor=editor.actor, at=at, note=RETIRED_NOTE
            )
        events.append(_event(change, at))
    await deps.outbox.add(conn, *events)


def _event(change: Change, at: datetime) -> Event:
    item = change.item
    if change.kind is RevisionKind.ADDED:
        return PlanItemAdded(
            item_id=item.id,
            number=item.number,
            municipality=item.municipality,
            risk_scenario=item.risk_scenario,
            policy_area=item.policy_area,
            status=item.status,
            fiscal_year_from=item.fiscal_year_from,
            fiscal_year_to=item.fiscal_year_to,
            estimated_cost_yen=item.estimated_cost_yen,
            funding_programme_ids=list(item.funding_programmes),
            derivation=item.derivation,
            derived_from=list(item.derived_from),
            version=item.version,
            added_at=at,
        )
    if change.kind is RevisionKind.REVISED:
        return PlanItemRevised(
            item_id=item.id,
            number=item.number,
            municipality=item.municipality,
            changed_fields=[PlanItemField(f) for f in change.changed_fields],
            status=item.status,
            version=item.version,
            revised_at=at,
        )
    assert item.retirement is not None
    return PlanItemRetired(
        item_id=item.id,
        number=item.number,
        municipality=item.municipality,
        reason=item.retirement,
        superseded_by=list(item.superseded_by),
        version=item.version,
        retired_at=at,
    )
