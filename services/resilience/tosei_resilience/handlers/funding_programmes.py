"""Commands on funding programmes: a change of what one asks flags the items relying on it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_resilience.db import funding_programmes as funding_db
from tosei_resilience.db import plan_items as plan_items_db
from tosei_resilience.db import review_flags as review_flags_db
from tosei_resilience.domain import access
from tosei_resilience.domain.events import programme_event
from tosei_resilience.domain.funding import (
    FundingProgramme,
    ProgrammeChange,
    ProgrammeContent,
    add_programme,
    ensure_name_free,
    no_such_programme,
    revise_programme,
)
from tosei_resilience.domain.plan_item import PlanItem


async def add(
    uow: UnitOfWork, who: Principal, content: ProgrammeContent, reason: str
) -> FundingProgramme:
    access.ensure_may_keep_lists(who, doing="交付金・補助金の登録")
    await plan_items_db.lock_plan(uow.conn)
    ensure_name_free(content.name, await funding_db.programmes(uow.conn))
    change = add_programme(uuid.uuid4(), content)
    await _record(uow, change, reason, flagged=[])
    return change.programme


async def revise(
    uow: UnitOfWork,
    who: Principal,
    programme_id: UUID,
    *,
    expected_version: int,
    changes: Mapping[str, Any],
    reason: str,
) -> tuple[FundingProgramme, list[PlanItem]]:
    """Revise a programme; when its conditions changed, flag every item relying on it (and
    answer with those items)."""
    access.ensure_may_keep_lists(who, doing="交付金・補助金の変更")
    # The plan's lock too: an item added or retired meanwhile must be flagged or not, not lost.
    await plan_items_db.lock_plan(uow.conn)
    programme = await funding_db.programme(uow.conn, programme_id, for_update=True)
    if programme is None:
        raise no_such_programme(programme_id)
    change = revise_programme(programme, expected_version=expected_version, changes=changes)
    ensure_name_free(change.programme.name, await funding_db.programmes(uow.conn), programme_id)
    flagged: list[UUID] = []
    if change.conditions_changed:
        flagged = await plan_items_db.items_relying_on(uow.conn, programme_id)
        await review_flags_db.flag_for_review(
            uow.conn, flagged, change.programme, change.changed_fields, uow.at
        )
    await _record(uow, change, reason, flagged=flagged)
    return change.programme, await plan_items_db.items_with_ids(uow.conn, flagged)


async def _record(
    uow: UnitOfWork, change: ProgrammeChange, reason: str, *, flagged: list[UUID]
) -> None:
    await funding_db.save(uow.conn, change, reason, uow.actor, uow.at)
    await uow.audit(
        "funding_programme",
        change.programme.id,
        change.kind.value,
        changes=change.changes,
        reason=reason,
    )
    await uow.emit(programme_event(change, flagged, uow.at))
