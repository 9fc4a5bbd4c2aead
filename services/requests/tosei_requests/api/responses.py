"""Response models: what the API answers, in Japanese labels beside the stable codes (the
briefing's, the book's and a year's answers are in ``briefing_responses``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, JsonValue

from tosei_common.catalogue.requests import AnswerStatus, RequestDerivation
from tosei_common.catalogue.resilience import PlanItemStatus
from tosei_common.region.fiscal import fiscal_year_display
from tosei_common.region.municipalities import municipality
from tosei_requests.domain.answer import Answer
from tosei_requests.domain.departments import Department
from tosei_requests.domain.labels import ANSWER, PLAN_STATUS, STATUS, WHOLE_REGION, towns_label
from tosei_requests.domain.lineage import Lineage
from tosei_requests.domain.plan_items import PlanItemCopy
from tosei_requests.domain.request_item import RequestItem
from tosei_requests.domain.revisions import HistoryEntry
from tosei_requests.domain.status import ItemStatus
from tosei_requests.domain.years import RequestYear
from tosei_requests.handlers.reads import History, Items


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
    title: str | None = None
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
            title=copy.title,
            municipality=town,
            municipality_name=WHOLE_REGION if town is None else municipality(town).name,
            status=copy.status,
            status_label=PLAN_STATUS[copy.status],
            retired=copy.retired,
            version=copy.version,
            label=copy.label,
        )


class PlanItemsOut(BaseModel):
    count: int
    items: list[PlanItemLinkOut]


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


def departments_out(departments: Sequence[Department]) -> DepartmentsOut:
    return DepartmentsOut(
        departments=[
            DepartmentOut(code=d.code, name=d.name, retired=d.retired) for d in departments
        ]
    )
