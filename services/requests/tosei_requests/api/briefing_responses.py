"""Response models of the briefing, its agenda, the request book and a year's answers."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel

from tosei_common.catalogue.requests import AnswerStatus
from tosei_common.region.fiscal import fiscal_year_display
from tosei_requests.api.responses import AnswerOut, DepartmentOut, TownOut
from tosei_requests.domain.agenda import AgendaEntry
from tosei_requests.domain.answer import AnswerSummary, Tally
from tosei_requests.domain.book import Book, BookEntry
from tosei_requests.domain.briefing import Briefing, Grouping, Office
from tosei_requests.domain.labels import ANSWER, towns_label
from tosei_requests.handlers.reads import BriefingView, YearAnswers


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
