"""Queries: the plan now or as of a moment, an item's history, the annual summary, the lists,
funding programmes, review flags and the change feed. Each checks who may read first."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from tosei_common.platform.db import Connection
from tosei_common.platform.errors import Message, NotFound, Unprocessable
from tosei_common.platform.principal import Principal
from tosei_common.region.fiscal import TOKYO, fiscal_year_bounds
from tosei_resilience.db import funding_programmes as funding_db
from tosei_resilience.db import plan_items as plan_items_db
from tosei_resilience.db import reference_lists
from tosei_resilience.db import review_flags as review_flags_db
from tosei_resilience.domain import access
from tosei_resilience.domain.feed import FeedPage, reader_of
from tosei_resilience.domain.funding import FundingProgramme, no_such_programme
from tosei_resilience.domain.plan import (
    PAST_PLAN,
    HistoryView,
    ItemFilter,
    Lists,
    PlanView,
    ProgrammeDetail,
)
from tosei_resilience.domain.plan_item import PlanItem, no_such_item
from tosei_resilience.domain.review import ReviewFlag
from tosei_resilience.domain.summary import AnnualSummary, summarise_year
from tosei_resilience.handlers.feed_bookmarks import current_bookmark


async def plan(
    conn: Connection,
    who: Principal,
    which: ItemFilter,
    *,
    as_of: datetime | None = None,
    needs_review: bool | None = None,
) -> PlanView:
    access.ensure_may_read(who)
    if as_of is None:
        items = await plan_items_db.items(conn, which, needs_review=needs_review)
    elif needs_review is not None:
        raise Unprocessable(
            "確認依頼は今の計画のものです。as_of か needs_review のどちらかを外してください",
            en="review flags belong to the plan as it is now; leave out as_of or needs_review",
            fields={"needs_review": Message("as_of と一緒には使えません", "not with as_of")},
        )
    else:
        items = await plan_items_db.items_as_of(conn, as_of, which)
    return await _view(conn, who, items, current=as_of is None)


async def item(
    conn: Connection, who: Principal, item_id: UUID, *, as_of: datetime | None = None
) -> PlanView:
    access.ensure_may_read(who)
    if as_of is None:
        found = await plan_items_db.item(conn, item_id)
    else:
        found = await plan_items_db.item_as_of(conn, item_id, as_of)
    if found is None:
        raise _no_item(item_id, as_of)
    return await _view(conn, who, [found], current=as_of is None)


def _no_item(item_id: UUID, as_of: datetime | None) -> NotFound:
    if as_of is None:
        return no_such_item(item_id)
    when = f"{as_of.astimezone(TOKYO):%Y-%m-%d %H:%M}"
    return NotFound(
        f"{when}（日本時間）の時点では計画事業（ID: {item_id}）はまだありません",
        en=f"no plan item {item_id} on {when} (JST)",
    )


async def _view(
    conn: Connection, who: Principal, items: list[PlanItem], *, current: bool
) -> PlanView:
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
    refusals = {
        i.id: refused
        for i in items
        if (refused := access.change_refusal(who, i) if current else PAST_PLAN) is not None
    }
    return PlanView(items, await _lists(conn), flags, numbers, refusals)


async def history(conn: Connection, who: Principal, item_id: UUID) -> HistoryView:
    access.ensure_may_read(who)
    revisions = await plan_items_db.history(conn, item_id)
    if not revisions:
        raise _no_item(item_id, None)
    return HistoryView(revisions, await _lists(conn))


async def annual_summary(
    conn: Connection, who: Principal, fy: int, *, now: datetime
) -> AnnualSummary:
    """The fiscal year's changes, and the plan's statuses at its end (or ``now``, if it runs)."""
    access.ensure_may_read(who)
    _, last_day = fiscal_year_bounds(fy)
    year_end = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), TOKYO)
    moment = min(year_end - timedelta(microseconds=1), now)
    records = await plan_items_db.revisions_in_fiscal_year(conn, fy)
    at_end = await plan_items_db.items_as_of(conn, moment, ItemFilter())
    snapshots = [i.model_dump(mode="json") for i in at_end]
    return summarise_year(fy, records, snapshots)


async def programmes(conn: Connection, who: Principal) -> list[FundingProgramme]:
    access.ensure_may_read(who)
    return await funding_db.programmes(conn)


async def programme(conn: Connection, who: Principal, programme_id: UUID) -> ProgrammeDetail:
    """A programme, its history and the items relying on it now."""
    access.ensure_may_read(who)
    found = await funding_db.programme(conn, programme_id)
    if found is None:
        raise no_such_programme(programme_id)
    relying = await plan_items_db.items_relying_on(conn, programme_id)
    return ProgrammeDetail(
        found,
        await funding_db.history(conn, programme_id),
        await plan_items_db.items_with_ids(conn, relying),
    )


async def review_flags(
    conn: Connection,
    who: Principal,
    *,
    any_municipality: bool,
    municipality: str | None,
    open_only: bool,
) -> list[ReviewFlag]:
    access.ensure_may_read(who)
    return await review_flags_db.review_flags(
        conn, any_municipality=any_municipality, municipality=municipality, open_only=open_only
    )


async def lists(conn: Connection, who: Principal) -> Lists:
    access.ensure_may_read(who)
    return await _lists(conn)


async def _lists(conn: Connection) -> Lists:
    return Lists(
        goals={g.number: g for g in await reference_lists.goals(conn)},
        scenarios={s.code: s for s in await reference_lists.scenarios(conn)},
        areas={a.code: a for a in await reference_lists.policy_areas(conn)},
        programmes={p.id: p for p in await funding_db.programmes(conn)},
    )


async def feed(
    conn: Connection,
    who: Principal,
    *,
    since: int | None,
    any_municipality: bool,
    municipality: str | None,
    limit: int,
) -> FeedPage:
    """What changed since ``since``, or since the reader's bookmark (reading never moves it)."""
    access.ensure_may_read(who)
    bookmark = await current_bookmark(conn, who)
    start = since if since is not None else (bookmark.seen_up_to or 0)
    entries = await plan_items_db.revisions_since(
        conn, start, any_municipality=any_municipality, municipality=municipality, limit=limit
    )
    return FeedPage(
        reader=reader_of(who),
        since=start,
        entries=entries,
        last_seq=await plan_items_db.last_seq(conn),
        bookmark=bookmark,
        limit=limit,
        lists=await _lists(conn),
    )
