"""The prefecture's answers (県の回答): one per item on the agenda, correctable with history,
and the summaries the council reads (per fiscal year and per town)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from tosei_common.catalogue.requests import AnswerStatus, RequestAnswered
from tosei_common.platform.errors import InvalidTransition, Message, Unprocessable
from tosei_common.region.fiscal import japanese_date
from tosei_requests.domain.briefing import Briefing
from tosei_requests.domain.departments import Department, ensure_departments
from tosei_requests.domain.labels import REGION_CODES
from tosei_requests.domain.request_item import RequestItem
from tosei_requests.domain.revisions import (
    FieldChange,
    created,
    diff,
    ensure_changed,
    ensure_reason,
)

ANSWER_FIELDS: tuple[str, ...] = ("received_on", "text", "department", "status")


class Answer(BaseModel):
    model_config = ConfigDict(frozen=True)

    item_id: UUID
    received_on: date
    text: str
    department: str
    status: AnswerStatus
    version: int = 1


@dataclass(frozen=True)
class AnswerChange:
    action: str  # answered or corrected
    answer: Answer
    changes: dict[str, FieldChange]
    reason: str | None
    event: RequestAnswered


def record_answer(
    item: RequestItem,
    briefing: Briefing | None,
    previous: Answer | None,
    *,
    received_on: date,
    text: str,
    department: str,
    status: AnswerStatus,
    departments: Mapping[str, Department],
    reason: str | None,
    today: date,
    at: datetime,
) -> AnswerChange:
    """The answer to an item on its year's fixed agenda, received between the briefing and
    today; a correction of an earlier record says why."""
    _ensure_answerable(item, briefing)
    assert briefing is not None
    if received_on < briefing.held_on:
        raise Unprocessable(
            f"回答の受領日（{japanese_date(received_on)}）が説明会（"
            f"{japanese_date(briefing.held_on)}）より前です",
            en=f"received_on {received_on} is before the briefing ({briefing.held_on})",
            fields={"received_on": Message("説明会より前です", "before the briefing")},
        )
    if received_on > today:
        raise Unprocessable(
            f"回答の受領日（{japanese_date(received_on)}）が今日より後です",
            en=f"received_on {received_on} is in the future",
            fields={"received_on": Message("今日以前の日付にしてください", "in the future")},
        )
    ensure_departments(
        [department],
        departments,
        field="department",
        allow_retired=[previous.department] if previous else (),
    )
    answer = Answer(
        item_id=item.id,
        received_on=received_on,
        text=text,
        department=department,
        status=status,
        version=1 if previous is None else previous.version + 1,
    )
    if previous is None:
        changes = created(answer, ANSWER_FIELDS)
    else:
        ensure_reason(reason, Message("回答の訂正です", "a correction says why"))
        changes = diff(previous, answer, ANSWER_FIELDS)
        ensure_changed(changes, ANSWER_FIELDS, f"{item.label}の回答")
    event = RequestAnswered(
        item_id=item.id,
        fiscal_year=item.fiscal_year,
        municipalities=list(item.municipalities),
        department=department,
        status=status,
        received_on=received_on,
        answer_version=answer.version,
        answered_at=at,
    )
    action = "answered" if previous is None else "answer_corrected"
    return AnswerChange(action, answer, changes, reason, event)


def _ensure_answerable(item: RequestItem, briefing: Briefing | None) -> None:
    if briefing is None or not briefing.agenda_fixed:
        raise InvalidTransition(
            f"{item.label}の年度の説明会の議題が確定していないため、回答は記録できません",
            en="the agenda of the item's year is not fixed; answers come after the briefing",
        )
    if item.id not in briefing.agenda:
        raise Unprocessable(
            f"{item.label}は{briefing.label}の議題に載っていないため、回答は記録できません",
            en=f"request {item.reference} is not on the briefing's agenda",
            fields={"item_id": Message("議題に載っていない要望です", "not on the agenda")},
        )


@dataclass(frozen=True)
class Tally:
    """Answers counted: per status, and the items still unanswered."""

    items: int
    by_status: Mapping[AnswerStatus, int]
    unanswered: int


@dataclass(frozen=True)
class TownTally:
    municipality: str
    tally: Tally


@dataclass(frozen=True)
class AnswerSummary:
    fiscal_year: int
    whole: Tally
    joint: Tally  # the items several towns ask together
    towns: tuple[TownTally, ...]  # each town's items, joint ones included


def tally(items: Iterable[RequestItem], answers: Mapping[UUID, Answer]) -> Tally:
    listed = list(items)
    counts = Counter(answers[i.id].status for i in listed if i.id in answers)
    return Tally(
        items=len(listed),
        by_status={s: counts.get(s, 0) for s in AnswerStatus},
        unanswered=sum(1 for i in listed if i.id not in answers),
    )


def summarise(
    fiscal_year: int, agenda: Iterable[RequestItem], answers: Mapping[UUID, Answer]
) -> AnswerSummary:
    """The year's answers: all, joint, and per town (a joint item counts for each of its towns)."""
    items = list(agenda)
    towns = tuple(
        TownTally(code, tally([i for i in items if code in i.municipalities], answers))
        for code in REGION_CODES
    )
    return AnswerSummary(
        fiscal_year=fiscal_year,
        whole=tally(items, answers),
        joint=tally([i for i in items if i.joint], answers),
        towns=towns,
    )
