"""Commands on funding programmes and on the reviews their changes ask for."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from tosei_common.catalogue.resilience import FundingProgrammeChanged
from tosei_common.platform.db import Connection
from tosei_common.platform.errors import Conflict, InvalidTransition, NotFound
from tosei_resilience.db import funding_programmes as funding_db
from tosei_resilience.db import plan_items as plan_items_db
from tosei_resilience.db import review_flags as review_flags_db
from tosei_resilience.domain.access import Editor, ensure_may_edit
from tosei_resilience.domain.funding import (
    FundingProgramme,
    ProgrammeChange,
    ProgrammeContent,
    add_programme,
    revise_programme,
)
from tosei_resilience.domain.review import ReviewFlag
from tosei_resilience.handlers.context import Deps


async def add(
    deps: Deps, editor: Editor, content: ProgrammeContent, reason: str
) -> FundingProgramme:
    async with deps.pool.acquire() as conn, conn.transaction():
        await plan_items_db.lock_plan(conn)
        await _ensure_name_free(conn, content.name, None)
        change = add_programme(uuid.uuid4(), content)
        await _record(deps, conn, change, editor=editor, reason=reason, flagged=[], at=deps.clock())
    return change.programme


async def revise(
    deps: Deps,
    editor: Editor,
    programme_id: UUID,
    *,
    expected_version: int,
    changes: Mapping[str, Any],
    reason: str,
) -> tuple[FundingProgramme, list[UUID]]:
    """Revise a programme; when its conditions changed, flag every item relying on it."""
    async with deps.pool.acquire() as conn, conn.transaction():
        # The plan's lock too: an item added or retired meanwhile must be flagged or not, not lost.
        await plan_items_db.lock_plan(conn)
        programme = await funding_db.programme(conn, programme_id, for_update=True)
        if programme is None:
            raise NotFound(f"no funding programme {programme_id}")
        change = revise_programme(programme, expected_version=expected_version, changes=changes)
        await _ensure_name_free(conn, change.programme.name, programme_id)
        at = deps.clock()
        flagged: list[UUID] = []
        if change.conditions_changed:
            flagged = await plan_items_db.items_relying_on(conn, programme_id)
            await review_flags_db.flag_for_review(
                conn, flagged, change.programme, change.changed_fields, at
            )
        await _record(deps, conn, change, editor=editor, reason=reason, flagged=flagged, at=at)
    return change.programme, flagged


async def resolve_review(deps: Deps, editor: Editor, flag_id: UUID, note: str) -> ReviewFlag:
    """The item's owner (or a coordinator) confirms they reviewed the item after the change."""
    async with deps.pool.acquire() as conn, conn.transaction():
        flag = await review_flags_db.review_flag(conn, flag_id)
        if flag is None:
            raise NotFound(f"no review flag {flag_id}")
        ensure_may_edit(editor, flag.municipality, f"plan item No.{flag.item_number}")
        if flag.resolved_at is not None:
            raise InvalidTransition(
                f"the review of plan item No.{flag.item_number} was confirmed already "
                f"by {flag.resolved_by}"
            )
        await review_flags_db.resolve(
            conn, flag_id=flag_id, actor=editor.actor, at=deps.clock(), note=note
        )
        resolved = await review_flags_db.review_flag(conn, flag_id)
    assert resolved is not None
    return resolved


async def _ensure_name_free(conn: Connection, name: str, other_than: UUID | None) -> None:
    if await funding_db.name_taken(conn, name, other_than):
        raise Conflict(f"a funding programme named 「{name}」 exists already")


async def _record(
    deps: Deps,
    conn: Connection,
    change: ProgrammeChange,
    *,
    editor: Editor,
    reason: str,
    flagged: list[UUID],
    at: datetime,
) -> None:
    await funding_db.save(conn, change, reason, editor.actor, at)
    programme = change.programme
    await deps.outbox.add(
        conn,
        FundingProgrammeChanged(
            programme_id=programme.id,
            change=change.kind,
            changed_fields=change.changed_fields,
            condition=programme.condition,
            effective_from_fiscal_year=programme.effective_from_fiscal_year,
            conditions_changed=change.conditions_changed,
            flagged_item_ids=flagged,
            version=programme.version,
            changed_at=at,
        ),
    )
