"""Handlers of the events the service consumes: the resilience plan's items, kept as a copy."""

from __future__ import annotations

from tosei_common.platform.consumer import HandlerContext
from tosei_requests.db import plan_items as plan_items_db
from tosei_requests.domain.plan_items import PlanItemEvent, apply


async def on_plan_item(ctx: HandlerContext, event: PlanItemEvent) -> None:
    """Keep the copy at the item's latest version (everything is taken from the event, so a
    replay rebuilds the same copy)."""
    current = await plan_items_db.get(ctx.conn, event.item_id, for_update=True)
    updated = apply(current, event)
    if updated is not None:
        await plan_items_db.save(ctx.conn, updated)
