"""Queries: the plan now or as of a moment, an item's history, the annual summary, the lists."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from tosei_common.platform.db import Connection
from tosei_common.platform.errors import NotFound
from tosei_common.region.fiscal import TOKYO, fiscal_year_bounds
from tosei_resilience.db import funding_programmes as funding_db
from tosei_resilience.db import plan_items as plan_items_db
from tosei_resilience.db import reference_lists
from tosei_resilience.db import review_flags as review_flags_db
from tosei_resilience.domain.funding import FundingProgramme, ProgrammeRevision
from tosei_resilience.domain.plan import ItemFilter, Lists, PlanView
from tosei_resilience.domain.plan_item import PlanItem
from tosei_resilience.domain.review import ReviewFlag
from tosei_resilience.domain.revisions import RevisionRecord
from tosei_resilience.domain.summary import AnnualSummary, summarise_year
from tosei_resilience.handlers.context import Deps


async def load_lists(conn: Connection) -> Lists:
    return Lists(
        goals={g.number: g for g in await reference_lists.goals(conn)},
        scenarios={s.code: s for s in await reference_lists.scenarios(conn)},
        areas={a.code: a for a in await reference_lists.policy_areas(conn)},
        programmes={p.id: p for p in await funding_db.programmes(conn)},
    )


async def plan(
    deps: Deps,
    which: ItemFilter,
    *,
    as_of: datetime | None = None,
    needs_review: bool | None = None,
) -> PlanView:
    async with deps.pool.acquire() as conn:
        if as_of is None:
            items = await plan_items_db.items(conn, which, needs_review=needs_review)
        else:
            items = await plan_items_db.items_as_of(conn, as_of, which)
        return await _view(conn, items, current=as_of is None)


async def item(deps: Deps, item_id: UUID, *, as_of: datetime | None = None) -> PlanView:
    async with deps.pool.acquire() as conn:
        if as_of is None:
            found = await plan_items_db.item(conn, item_id)
        else:
            found = await plan_items_db.item_as_of(conn, item_id, as_of)
        if found is None:
            when = "" if as_of is None else f" on {as_of.astimezone(TOKYO):%Y-%m-%d %H:%M} (JST)"
            raise NotFound(f"no plan item {item_id}{when}")
        return await _view(conn, [found], current=as_of is None)


async def _view(conn: Connection, items: list[PlanItem], *, current: bool) -> PlanView:
    flags: dict[UUID, list[ReviewFlag]] = {}
    if current and items:
        for flag in await review_flags_db.review_flags(
            conn,
            any_municipality=True,
            municipality=None,
            open_only=True,
            item_ids=[i.id for i in items],
        ):
            flags.setdefault(flag.item_id, []).append(flag)
    related = {r for i in items for r in (*i.derived_from, *i.superseded_by)}
    numbers = await plan_items_db.numbers_of(conn, related) if related else {}
    return PlanView(items, await load_lists(conn), flags, numbers)


async def history(deps: Deps, item_id: UUID) -> list[RevisionRecord]:
    async with deps.pool.acquire() as conn:
        revisions = await plan_items_db.history(conn, item_id)
    if not revisions:
        raise NotFound(f"no plan item {item_id}")
    return revisions


async def annual_summary(deps: Deps, fy: int) -> AnnualSummary:
    """The fiscal year's changes, and the plan's statuses at its end (or now, if it runs)."""
    _, last_day = fiscal_year_bounds(fy)
    year_end = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), TOKYO)
    moment = min(year_end - timedelta(microseconds=1), deps.clock())
    async with deps.pool.acquire() as conn:
        records = await plan_items_db.revisions_in_fiscal_year(conn, fy)
        at_end = await plan_items_db.items_as_of(conn, moment, ItemFilter())
    snapshots = [i.model_dump(mode="json") for i in at_end]
    return summarise_year(fy, records, snapshots)


async def programmes(deps: Deps) -> list[FundingProgramme]:
    async with deps.pool.acquire() as conn:
        return await funding_db.programmes(conn)


async def programme(
    deps: Deps, programme_id: UUID
) -> tuple[FundingProgramme, list[ProgrammeRevision], list[PlanItem]]:
    """A programme, its history and the items relying on it now."""
    async with deps.pool.acquire() as conn:
        found = await funding_db.programme(conn, programme_id)
        if found is None:
            raise NotFound(f"no funding programme {programme_id}")
        relying = await plan_items_db.items_relying_on(conn, programme_id)
        return (
            found,
            await funding_db.history(conn, programme_id),
            await plan_items_db.items_with_ids(conn, relying),
        )


async def items_with_ids(deps: Deps, item_ids: list[UUID]) -> list[PlanItem]:
    async with deps.pool.acquire() as conn:
        return await plan_items_db.items_with_ids(conn, item_ids)


async def review_flags(
    deps: Deps, *, any_municipality: bool, municipality: str | None, open_only: bool
) -> list[ReviewFlag]:
    async with deps.pool.acquire() as conn:
        return await review_flags_db.review_flags(
            conn, any_municipality=any_municipality, municipality=municipality, open_only=open_only
        )


async def lists(deps: Deps) -> Lists:
    async with deps.pool.acquire() as conn:
        return await load_lists(conn)
