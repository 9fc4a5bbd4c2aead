"""The joint request book (要望書): what the fixed agenda says, laid out as the towns hand it to
the prefecture. Pure content; ``tosei_requests.book_files`` writes it as PDF and xlsx."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from tosei_common.platform.errors import InvalidTransition
from tosei_common.region.fiscal import fiscal_year_label, japanese_date
from tosei_common.region.municipalities import municipality
from tosei_requests.domain.agenda import arrange
from tosei_requests.domain.briefing import Briefing, Office
from tosei_requests.domain.departments import Department
from tosei_requests.domain.labels import head_title, in_council_order, towns_label
from tosei_requests.domain.plan_items import PlanItemCopy
from tosei_requests.domain.request_item import RequestItem


@dataclass(frozen=True)
class Requester:
    """A requesting town on the cover: its name and its head (named when the head attends)."""

    municipality: str
    name: str
    head: str  # 青森市長
    head_name: str | None


@dataclass(frozen=True)
class BookEntry:
    number: int
    group: str | None
    item: RequestItem
    towns: str  # 青森市・平内町, or 東青圏域5市町村
    departments: tuple[str, ...]  # names
    plan_items: tuple[str, ...]  # labels of the linked plan items, as the copy knows them


@dataclass(frozen=True)
class Book:
    fiscal_year: int
    era_year: str  # 令和2年度
    western_year: str  # 2020年度
    title: str  # 令和2年度 重点事業要望書
    dated: date
    dated_label: str  # 令和2年10月16日
    requesters: tuple[Requester, ...]
    entries: tuple[BookEntry, ...]
    published: bool


def compose_book(
    briefing: Briefing,
    items: Mapping[UUID, RequestItem],
    plan_items: Mapping[UUID, PlanItemCopy],
    departments: Mapping[str, Department],
) -> Book:
    """The book of a fixed agenda: cover, table of contents (the entries) and the items."""
    if not briefing.agenda_fixed:
        raise InvalidTransition(
            f"{briefing.label}の議題が確定していないため、要望書はまだ作れません",
            en="the agenda is not fixed; the request book is made from the fixed agenda",
        )
    entries = tuple(
        BookEntry(
            number=entry.number,
            group=entry.group,
            item=entry.item,
            towns=towns_label(entry.item.municipalities),
            departments=tuple(
                departments[d].name if d in departments else d for d in entry.item.departments
            ),
            plan_items=tuple(
                plan_items[p].label if p in plan_items else f"国土強靱化地域計画 {p}"
                for p in entry.item.plan_item_ids
            ),
        )
        for entry in arrange(briefing, items)
    )
    heads = {a.municipality: a.name for a in briefing.attendees if a.office is Office.HEAD}
    towns = in_council_order(code for e in entries for code in e.item.municipalities)
    requesters = tuple(
        Requester(code, municipality(code).name, head_title(code), heads.get(code))
        for code in towns
    )
    year = briefing.fiscal_year
    return Book(
        fiscal_year=year,
        era_year=fiscal_year_label(year),
        western_year=f"{year}年度",
        title=f"{fiscal_year_label(year)} 重点事業要望書",
        dated=briefing.held_on,
        dated_label=japanese_date(briefing.held_on),
        requesters=requesters,
        entries=entries,
        published=briefing.published,
    )
