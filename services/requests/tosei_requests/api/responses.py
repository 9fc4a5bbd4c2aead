"""Response models: what the API answers, in Japanese labels beside the stable codes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, JsonValue

from tosei_common.catalogue.requests import AnswerStatus, RequestDerivation
from tosei_common.catalogue.resilience import PlanItemStatus
from tosei_common.region.fiscal import fiscal_year_display
from tosei_common.region.municipalities import municipality
from tosei_requests.domain.agenda import AgendaEntry
from tosei_requests.domain.answer import Answer, AnswerSummary, Tally
from tosei_requests.domain.book import Book, BookEntry
from tosei_requests.domain.briefing import Briefing, Grouping, Office
from tosei_requests.domain.departments import Department
from tosei_requests.domain.labels import ANSWER, PLAN_STATUS, STATUS, WHOLE_REGION, towns_label
from tosei_requests.domain.lineage import Lineage
from tosei_requests.domain.plan_items import PlanItemCopy
from tosei_requests.domain.request_item import RequestItem
from tosei_requests.domain.revisions import HistoryEntry
from tosei_requests.domain.status import ItemStatus
from tosei_requests.domain.years import RequestYear
from tosei_requests.handlers.reads import BriefingView, History, Items, YearAnswers


class TownOut(BaseModel):
    code: str
    name: str

    @classmethod
    def of(cls, code: str) -> TownOut:
        return cls(code=code, name=municipality(code).name)


class DepartmentOut(BaseModel):
    code: str
    name: str
    retired: bool

    @classmethod
    def of(cls, code: str, departments: Mapping[str, Department]) -> DepartmentOut:
        known = departments.get(code)
        if known is None:
            return cls(code=code, name=code, retired=False)
        return cls(code=known.code, name=known.name, retired=known.retired)


class DepartmentsOut(BaseModel):
    departments: list[DepartmentOut]


class YearOut(BaseModel):
    fiscal_year: int
    fiscal_year_label: str
    opened_at: datetime
    opened_by: str

    @classmethod
    def of(cls, year: RequestYear) -> YearOut:
        return cls(
            fiscal_year=year.fiscal_year,
            fiscal_year_label=fiscal_year_display(year.fiscal_year),
            opened_at=year.opened_at,
            opened_by=year.opened_by,
        )


class YearsOut(BaseModel):
    years: list[YearOut]


class PlanItemLinkOut(BaseModel):
    """A linked resilience plan item as this service's copy knows it now."""

    item_id: UUID
    known: bool
    number: int | None = None
    municipality: str | None = None
    municipality_name: str | None = None
    status: PlanItemStatus | None = None
    status_label: str | None = None
    retired: bool = False
    version: int | None = None
    label: str | None = None

    @classmethod
    def of(cls, item_id: UUID, copies: Mapping[UUID, PlanItemCopy]) -> PlanItemLinkOut:
        copy = copies.get(item_id)
        if copy is None:
            return cls(item_id=item_id, known=False)
        town = copy.municipality
        return cls(
            item_id=item_id,
            known=True,
            number=copy.number,
            municipality=town,
            municipality_name=WHOLE_REGION if town is None else municipality(town).name,
            status=copy.status,
            status_label=PLAN_STATUS[copy.status],
            retired=copy.retired,
            version=copy.version,
            label=copy.label,
        )


class AnswerOut(BaseModel):
    received_on: date
    text: str
    department: DepartmentOut
    status: AnswerStatus
    status_label: str
    version: int

    @classmethod
    def of(cls, answer: Answer, departments: Mapping[str, Department]) -> AnswerOut:
        return cls(
            received_on=answer.received_on,
            text=answer.text,
            department=DepartmentOut.of(answer.department, departments),
            status=answer.status,
            status_label=ANSWER[answer.status],
            version=answer.version,
        )


class ItemOut(BaseModel):
    id: UUID
    reference: str
    fiscal_year: int
    fiscal_year_label: str
    number: int
    title: str
    body: str
    background: str
    departments: list[DepartmentOut]
    municipalities: list[TownOut]
    towns_label: str
    joint: bool
    town_priority: int | None
    requested_amount_yen: int | None
    plan_items: list[PlanItemLinkOut]
    status: ItemStatus
    status_label: str
    return_reason: str | None
    derivation: RequestDerivation | None
    derived_from: list[UUID]
    version: int
    agenda_fixed: bool
    answer: AnswerOut | None

    @classmethod
    def of(cls, item: RequestItem, context: Items) -> ItemOut:
        answer = context.answers.get(item.id)
        return cls(
            id=item.id,
            reference=item.reference,
            fiscal_year=item.fiscal_year,
            fiscal_year_label=fiscal_year_display(item.fiscal_year),
            number=item.number,
            title=item.title,
            body=item.body,
            background=item.background,
            departments=[DepartmentOut.of(d, context.departments) for d in item.departments],
            municipalities=[TownOut.of(m) for m in item.municipalities],
            towns_label=towns_label(item.municipalities),
            joint=item.joint,
            town_priority=item.town_priority,
            requested_amount_yen=item.requested_amount_yen,
            plan_items=[PlanItemLinkOut.of(p, context.plan_items) for p in item.plan_item_ids],
            status=item.status,
            status_label=STATUS[item.status],
            return_reason=item.return_reason,
            derivation=item.derivation,
            derived_from=list(item.derived_from),
            version=item.version,
            agenda_fixed=item.fiscal_year in context.fixed_years,
            answer=None if answer is None else AnswerOut.of(answer, context.departments),
        )

    @classmethod
    def first(cls, context: Items) -> ItemOut:
        return cls.of(context.items[0], context)


class ItemsOut(BaseModel):
    count: int
    items: list[ItemOut]

    @classmethod
    def of(cls, context: Items) -> ItemsOut:
        return cls(count=len(context.items), items=[ItemOut.of(i, context) for i in context.items])


class FieldChangeOut(BaseModel):
    old: JsonValue
    new: JsonValue


class HistoryEntryOut(BaseModel):
    at: datetime
    actor: str
    record: str  # request_item, answer or briefing
    action: str
    reason: str | None
    changes: dict[str, FieldChangeOut]
    after_agenda_fixed: bool


class HistoryOut(BaseModel):
    entries: list[HistoryEntryOut]

    @classmethod
    def of(cls, history: History) -> HistoryOut:
        fixed = history.agenda_fixed_at
        return cls(entries=[_entry(e, fixed) for e in history.entries])


def _entry(entry: HistoryEntry, fixed: datetime | None) -> HistoryEntryOut:
    return HistoryEntryOut(
        at=entry.at,
        actor=entry.actor,
        record=entry.entity,
        action=entry.action,
        reason=entry.reason,
        changes={k: FieldChangeOut.model_validate(v) for k, v in entry.changes.items()},
        after_agenda_fixed=fixed is not None and entry.at > fixed,
    )


class LineageAnswerOut(BaseModel):
    status: AnswerStatus
    status_label: str
    received_on: date


class LineageNodeOut(BaseModel):
    id: UUID
    reference: str
    fiscal_year: int
    fiscal_year_label: str
    title: str
    towns_label: str
    status: ItemStatus
    status_label: str
    derivation: RequestDerivation | None
    derived_from: list[UUID]
    successors: list[UUID]
    answer: LineageAnswerOut | None


class LineageOut(BaseModel):
    item_id: UUID
    first_requested_fiscal_year: int
    first_requested_label: str
    items: list[LineageNodeOut]

    @classmethod
    def of(cls, chain: Lineage) -> LineageOut:
        nodes = []
        for node in chain.nodes:
            item, answer = node.item, node.answer
            nodes.append(
                LineageNodeOut(
                    id=item.id,
                    reference=item.reference,
                    fiscal_year=item.fiscal_year,
                    fiscal_year_label=fiscal_year_display(item.fiscal_year),
                    title=item.title,
                    towns_label=towns_label(item.municipalities),
                    status=item.status,
                    status_label=STATUS[item.status],
                    derivation=item.derivation,
                    derived_from=list(item.derived_from),
                    successors=list(node.successors),
                    answer=None
                    if answer is None
                    else LineageAnswerOut(
                        status=answer.status,
                        status_label=ANSWER[answer.status],
                        received_on=answer.received_on,
                    ),
                )
            )
        return cls(
            item_id=chain.of,
            first_requested_fiscal_year=chain.first_requested,
            first_requested_label=fiscal_year_display(chain.first_requested),
            items=nodes,
        )


class TownAttendeeOut(BaseModel):
    municipality: TownOut
    office: Office
    title: str  # 青森市長, 平内町副町長
    name: str | None


class PrefecturalAttendeeOut(BaseModel):
    title: str
    name: str | None
    department: DepartmentOut | None


class AgendaEntryOut(BaseModel):
    number: int
    group: str | None
    item_id: UUID
    reference: str
    title: str
    towns_label: str

    @classmethod
    def of(cls, entry: AgendaEntry) -> AgendaEntryOut:
        return cls(
            number=entry.number,
            group=entry.group,
            item_id=entry.item.id,
            reference=entry.item.reference,
            title=entry.item.title,
            towns_label=towns_label(entry.item.municipalities),
        )


class BriefingSummaryOut(BaseModel):
    id: UUID
    fiscal_year: int
    fiscal_year_label: str
    title: str
    held_on: date
    starts_at: datetime
    ends_at: datetime
    agenda_fixed_at: datetime | None
    book_published_at: datetime | None
    version: int

    @classmethod
    def of(cls, briefing: Briefing) -> BriefingSummaryOut:
        return cls(
            id=briefing.id,
            fiscal_year=briefing.fiscal_year,
            fiscal_year_label=fiscal_year_display(briefing.fiscal_year),
            title=briefing.label,
            held_on=briefing.held_on,
            starts_at=briefing.starts_at,
            ends_at=briefing.ends_at,
            agenda_fixed_at=briefing.agenda_fixed_at,
            book_published_at=briefing.book_published_at,
            version=briefing.version,
        )


class BriefingsOut(BaseModel):
    briefings: list[BriefingSummaryOut]


class BriefingOut(BriefingSummaryOut):
    place: str
    attendees: list[TownAttendeeOut]
    prefectural_attendees: list[PrefecturalAttendeeOut]
    minutes: str | None
    minutes_recorded_at: datetime | None
    grouping: Grouping
    agenda_version: int
    agenda: list[AgendaEntryOut]

    @classmethod
    def of_view(cls, view: BriefingView) -> BriefingOut:
        b, departments = view.briefing, view.departments
        return cls(
            **BriefingSummaryOut.of(b).model_dump(),
            place=b.place,
            attendees=[
                TownAttendeeOut(
                    municipality=TownOut.of(a.municipality),
                    office=a.office,
                    title=a.title,
                    name=a.name,
                )
                for a in b.attendees
            ],
            prefectural_attendees=[
                PrefecturalAttendeeOut(
                    title=a.title,
                    name=a.name,
                    department=None
                    if a.department is None
                    else DepartmentOut.of(a.department, departments),
                )
                for a in b.prefectural_attendees
            ],
            minutes=b.minutes,
            minutes_recorded_at=b.minutes_recorded_at,
            grouping=b.grouping,
            agenda_version=b.agenda_version,
            agenda=[AgendaEntryOut.of(e) for e in view.agenda],
        )


class RequesterOut(BaseModel):
    municipality: TownOut
    head: str
    head_name: str | None


class BookEntryOut(BaseModel):
    number: int
    group: str | None
    item_id: UUID
    reference: str
    title: str
    towns: str
    departments: list[str]
    requested_amount_yen: int | None
    background: str
    body: str
    plan_items: list[str]

    @classmethod
    def of(cls, entry: BookEntry) -> BookEntryOut:
        item = entry.item
        return cls(
            number=entry.number,
            group=entry.group,
            item_id=item.id,
            reference=item.reference,
            title=item.title,
            towns=entry.towns,
            departments=list(entry.departments),
            requested_amount_yen=item.requested_amount_yen,
            background=item.background,
            body=item.body,
            plan_items=list(entry.plan_items),
        )


class BookOut(BaseModel):
    fiscal_year: int
    era_year: str
    western_year: str
    title: str
    dated: date
    dated_label: str
    requesters: list[RequesterOut]
    entries: list[BookEntryOut]
    published: bool

    @classmethod
    def of(cls, book: Book) -> BookOut:
        return cls(
            fiscal_year=book.fiscal_year,
            era_year=book.era_year,
            western_year=book.western_year,
            title=book.title,
            dated=book.dated,
            dated_label=book.dated_label,
            requesters=[
                RequesterOut(
                    municipality=TownOut.of(r.municipality), head=r.head, head_name=r.head_name
                )
                for r in book.requesters
            ],
            entries=[BookEntryOut.of(e) for e in book.entries],
            published=book.published,
        )


class StatusCountOut(BaseModel):
    status: AnswerStatus
    label: str
    count: int


class TallyOut(BaseModel):
    items: int
    unanswered: int
    by_status: list[StatusCountOut]

    @classmethod
    def of(cls, tally: Tally) -> TallyOut:
        return cls(
            items=tally.items,
            unanswered=tally.unanswered,
            by_status=[
                StatusCountOut(status=s, label=ANSWER[s], count=n)
                for s, n in tally.by_status.items()
            ],
        )


class TownTallyOut(TallyOut):
    municipality: TownOut


class AnswerSummaryOut(BaseModel):
    whole: TallyOut
    joint: TallyOut
    towns: list[TownTallyOut]

    @classmethod
    def of(cls, summary: AnswerSummary) -> AnswerSummaryOut:
        return cls(
            whole=TallyOut.of(summary.whole),
            joint=TallyOut.of(summary.joint),
            towns=[
                TownTallyOut(
                    **TallyOut.of(t.tally).model_dump(), municipality=TownOut.of(t.municipality)
                )
                for t in summary.towns
            ],
        )


class AnsweredEntryOut(BaseModel):
    number: int
    group: str | None
    item_id: UUID
    reference: str
    title: str
    towns_label: str
    answer: AnswerOut | None


class AnswersOut(BaseModel):
    fiscal_year: int
    fiscal_year_label: str
    entries: list[AnsweredEntryOut]
    summary: AnswerSummaryOut

    @classmethod
    def of(cls, year: YearAnswers) -> AnswersOut:
        entries = []
        for e in year.agenda:
            answer = year.answers.get(e.item.id)
            entries.append(
                AnsweredEntryOut(
                    **AgendaEntryOut.of(e).model_dump(),
                    answer=None if answer is None else AnswerOut.of(answer, year.departments),
                )
            )
        return cls(
            fiscal_year=year.briefing.fiscal_year,
            fiscal_year_label=fiscal_year_display(year.briefing.fiscal_year),
            entries=entries,
            summary=AnswerSummaryOut.of(year.summary),
        )


def departments_out(departments: Sequence[Department]) -> DepartmentsOut:
    return DepartmentsOut(
        departments=[
            DepartmentOut(code=d.code, name=d.name, retired=d.retired) for d in departments
        ]
    )
