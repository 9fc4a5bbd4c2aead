"""Queries: load what is asked and check the caller may read it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from tosei_common.platform.db import Connection
from tosei_common.platform.principal import Principal
from tosei_requests.db import answers as answers_db
from tosei_requests.db import briefings as briefings_db
from tosei_requests.db import departments as departments_db
from tosei_requests.db import history as history_db
from tosei_requests.db import plan_items as plan_items_db
from tosei_requests.db import request_items as items_db
from tosei_requests.db import years as years_db
from tosei_requests.domain import access
from tosei_requests.domain.agenda import AgendaEntry, arrange
from tosei_requests.domain.answer import Answer, AnswerSummary, summarise
from tosei_requests.domain.book import Book, compose_book
from tosei_requests.domain.briefing import Briefing
from tosei_requests.domain.departments import Department
from tosei_requests.domain.lineage import Lineage, lineage
from tosei_requests.domain.plan_items import PlanItemCopy, PlanItemSearch
from tosei_requests.domain.request_item import ItemFilter, RequestItem
from tosei_requests.domain.revisions import HistoryEntry
from tosei_requests.domain.years import RequestYear
from tosei_requests.handlers.loading import existing_briefing, no_item


@dataclass(frozen=True)
class Items:
    """Items with what their answers show beside them."""

    items: Sequence[RequestItem]
    plan_items: Mapping[UUID, PlanItemCopy]
    departments: Mapping[str, Department]
    answers: Mapping[UUID, Answer]
    fixed_years: frozenset[int]


async def _with_context(conn: Connection, items: Sequence[RequestItem]) -> Items:
    return Items(
        items=items,
        plan_items=await plan_items_db.by_ids(conn, [p for i in items for p in i.plan_item_ids]),
        departments=await departments_db.by_code(conn),
        answers=await answers_db.for_items(conn, [i.id for i in items]),
        fixed_years=frozenset(await briefings_db.fixed_years(conn)),
    )


async def items(conn: Connection, who: Principal, which: ItemFilter) -> Items:
    seen = access.ensure_may_read(who)
    scoped = ItemFilter(
        fiscal_year=which.fiscal_year,
        municipality=which.municipality,
        status=which.status,
        drafts_of=seen.town,
        all_drafts=seen.all_items,
    )
    return await _with_context(conn, await items_db.listed(conn, scoped))


async def item(conn: Connection, who: Principal, item_id: UUID) -> Items:
    found = await items_db.get(conn, item_id)
    if found is None:
        raise no_item(item_id)
    access.ensure_may_read_item(who, found)
    return await _with_context(conn, [found])


@dataclass(frozen=True)
class History:
    entries: Sequence[HistoryEntry]
    agenda_fixed_at: datetime | None  # entries after it were made on a fixed agenda


async def item_history(conn: Connection, who: Principal, item_id: UUID) -> History:
    found = await items_db.get(conn, item_id)
    if found is None:
        raise no_item(item_id)
    access.ensure_may_read_item(who, found)
    entries = await history_db.of(conn, [("request_item", str(item_id)), ("answer", str(item_id))])
    briefing = await briefings_db.get(conn, found.fiscal_year)
    return History(entries, None if briefing is None else briefing.agenda_fixed_at)


async def item_lineage(conn: Connection, who: Principal, item_id: UUID) -> Lineage:
    found = await items_db.get(conn, item_id)
    if found is None:
        raise no_item(item_id)
    access.ensure_may_read_item(who, found)
    chain = await items_db.chain(conn, item_id)
    return lineage(item_id, chain, await answers_db.for_items(conn, [i.id for i in chain]))


async def departments(conn: Connection, who: Principal) -> list[Department]:
    access.ensure_may_read(who)
    return await departments_db.listed(conn)


async def years(conn: Connection, who: Principal) -> list[RequestYear]:
    access.ensure_may_read(who)
    return await years_db.listed(conn)


@dataclass(frozen=True)
class BriefingView:
    briefing: Briefing
    agenda: Sequence[AgendaEntry]
    departments: Mapping[str, Department]


async def briefings(conn: Connection, who: Principal) -> list[Briefing]:
    access.ensure_may_read(who)
    return await briefings_db.listed(conn)


async def briefing(conn: Connection, who: Principal, fiscal_year: int) -> BriefingView:
    access.ensure_may_read(who)
    found = await existing_briefing(conn, fiscal_year)
    listed = await items_db.by_ids(conn, found.agenda)
    return BriefingView(found, arrange(found, listed), await departments_db.by_code(conn))


async def briefing_history(conn: Connection, who: Principal, fiscal_year: int) -> History:
    access.ensure_may_read(who)
    found = await existing_briefing(conn, fiscal_year)
    entries = await history_db.of(conn, [("briefing", str(found.id))])
    return History(entries, found.agenda_fixed_at)


async def _published(conn: Connection, who: Principal | None, fiscal_year: int) -> Briefing:
    access.ensure_may_read_published(who, await briefings_db.get(conn, fiscal_year))
    return await existing_briefing(conn, fiscal_year)


async def book(conn: Connection, who: Principal | None, fiscal_year: int) -> Book:
    found = await _published(conn, who, fiscal_year)
    listed = await items_db.by_ids(conn, found.agenda)
    copies = await plan_items_db.by_ids(conn, [p for i in listed.values() for p in i.plan_item_ids])
    return compose_book(found, listed, copies, await departments_db.by_code(conn))


@dataclass(frozen=True)
class YearAnswers:
    briefing: Briefing
    agenda: Sequence[AgendaEntry]
    answers: Mapping[UUID, Answer]
    departments: Mapping[str, Department]
    summary: AnswerSummary


async def answers(conn: Connection, who: Principal | None, fiscal_year: int) -> YearAnswers:
    found = await _published(conn, who, fiscal_year)
    listed = await items_db.by_ids(conn, found.agenda)
    entries = arrange(found, listed)
    given = await answers_db.for_items(conn, list(listed))
    return YearAnswers(
        briefing=found,
        agenda=entries,
        answers=given,
        departments=await departments_db.by_code(conn),
        summary=summarise(fiscal_year, [e.item for e in entries], given),
    )


async def plan_items(conn: Connection, who: Principal, which: PlanItemSearch) -> list[PlanItemCopy]:
    """The plan items of the service's copy a person may link, found by title or id."""
    access.ensure_may_read(who)
    return await plan_items_db.search(conn, which)
