"""caseflow's word on who is on which case, kept so an expert can read their own cases here.

Deterministic from the event (ids and times from the payload), so a replay rebuilds the table.
"""

from __future__ import annotations

from tosei_common.catalogue.caseflow import CaseAssigned, CaseTransferred
from tosei_common.platform.consumer import HandlerContext
from tosei_intake.db import case_experts


async def on_case_assigned(ctx: HandlerContext, event: CaseAssigned) -> None:
    await case_experts.assign(
        ctx.conn,
        event.case_id,
        event.expert_id,
        event.track.value,
        event.assigned_at,
        ctx.envelope.id,
    )


async def on_case_transferred(ctx: HandlerContext, event: CaseTransferred) -> None:
    await case_experts.assign(
        ctx.conn,
        event.case_id,
        event.to_expert_id,
        event.to_track.value,
        event.transferred_at,
        ctx.envelope.id,
    )
