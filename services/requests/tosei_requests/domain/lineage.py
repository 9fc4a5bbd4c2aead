"""Requests go on from year to year: carried over as they were, merged, or split, each new draft
naming the items of the year before it continues; the chain is read both ways.

Only a request the prefecture was asked (an item of its year's fixed agenda) goes on, and only
when the answer leaves something to ask again: unanswered, 検討中 (under study) or 困難
(difficult). An item goes on once: a second carry-over of it is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from tosei_common.catalogue.requests import AnswerStatus, RequestCarriedOver, RequestDerivation
from tosei_common.platform.errors import Conflict, InvalidTransition, Message, Unprocessable
from tosei_common.region.fiscal import fiscal_year_label
from tosei_requests.domain.answer import Answer
from tosei_requests.domain.labels import ANSWER
from tosei_requests.domain.request_item import (
    ItemChange,
    References,
    RequestContent,
    RequestItem,
    draft_item,
)

#: Answers that leave the request open for the next year (no answer at all does too).
OPEN_ANSWERS = frozenset({AnswerStatus.UNDER_STUDY, AnswerStatus.DIFFICULT})


@dataclass(frozen=True)
class Predecessor:
    """An item of the year before, with what decides whether it can go on."""

    item: RequestItem
    answer: Answer | None
    on_agenda: bool  # on its year's fixed agenda: the prefecture was asked
    successors: tuple[UUID, ...]  # items that continue it already


@dataclass(frozen=True)
class NewDraft:
    """A draft to be created: its id and number come from the handler (the database)."""

    id: UUID
    number: int
    content: RequestContent


def ensure_may_go_on(p: Predecessor, field: str) -> None:
    item = p.item
    year = fiscal_year_label(item.fiscal_year)
    if not p.on_agenda:
        raise InvalidTransition(
            f"{item.label}は{year}の要望書（確定した議題）に載っていないため、次年度に引き継げません",
            en=f"request {item.reference} was not on the fixed agenda of its year; only "
            "requests the prefecture was asked go on",
            fields={field: Message("要望書に載っていない要望です", "not on the fixed agenda")},
        )
    if p.successors:
        raise Conflict(
            f"{item.label}はすでに次年度に引き継がれています",
            en=f"request {item.reference} was carried over already",
            fields={field: Message("引き継ぎ済みです", "carried over already")},
            successors=[str(s) for s in p.successors],
        )
    if p.answer is not None and p.answer.status not in OPEN_ANSWERS:
        label = ANSWER[p.answer.status]
        raise Conflict(
            f"{item.label}の回答は「{label}」のため引き継げません（引き継げるのは未回答・検討中・困難の要望です）",
            en=f"request {item.reference} was answered {p.answer.status}; only unanswered, "
            "under_study and difficult requests go on",
            fields={field: Message(f"回答が「{label}」です", f"answered {p.answer.status}")},
        )


def ensure_year_open(fiscal_year: int, is_open: bool) -> None:
    if not is_open:
        raise Unprocessable(
            f"{fiscal_year_label(fiscal_year)}の要望の作成はまだ始まっていません"
            "（コーディネーターが年度を開始します）",
            en=f"drafting for fiscal year {fiscal_year} has not opened (POST /years)",
            fields={
                "fiscal_year": Message(
                    f"{fiscal_year_label(fiscal_year)}は受付前です", "not open for drafting"
                )
            },
        )


def _carried(
    sources: Sequence[Predecessor],
    draft: NewDraft,
    derivation: RequestDerivation,
    refs: References,
    *,
    reason: str | None,
    at: datetime,
    where: str = "",
) -> ItemChange:
    fiscal_year = sources[0].item.fiscal_year + 1
    derived_from = tuple(p.item.id for p in sources)
    event = RequestCarriedOver(
        item_id=draft.id,
        fiscal_year=fiscal_year,
        derivation=derivation,
        derived_from=list(derived_from),
        municipalities=list(draft.content.municipalities),
        carried_at=at,
    )
    return draft_item(
        draft.id,
        fiscal_year,
        draft.number,
        draft.content,
        refs,
        reason=reason,
        derivation=derivation,
        derived_from=derived_from,
        # a carried item keeps what it named (a plan item or department retired since)
        inherited=sources[0].item if derivation is RequestDerivation.CARRIED else None,
        where=where,
        events=(event,),
    )


def carry_over(
    source: Predecessor,
    new: NewDraft,
    refs: References,
    *,
    reason: str | None,
    at: datetime,
) -> ItemChange:
    """The same request again, as a draft of the next year."""
    ensure_may_go_on(source, "item_id")
    return _carried([source], new, RequestDerivation.CARRIED, refs, reason=reason, at=at)


def merge_over(
    sources: Sequence[Predecessor],
    new: NewDraft,
    refs: References,
    *,
    reason: str | None,
    at: datetime,
) -> ItemChange:
    """Several requests of a year become one draft of the next."""
    ids = [p.item.id for p in sources]
    if len(set(ids)) != len(ids) or len(ids) < 2:
        raise Unprocessable(
            "統合には異なる2件以上の要望を指定してください",
            en="a merger joins two or more different items",
            fields={"sources": Message("異なる2件以上にしてください", "two or more different")},
        )
    years = {p.item.fiscal_year for p in sources}
    if len(years) > 1:
        raise Unprocessable(
            "統合する要望は同じ年度のものにしてください",
            en="the merged items must be of one fiscal year",
            fields={"sources": Message("年度が異なります", "of different years")},
        )
    for i, p in enumerate(sources):
        ensure_may_go_on(p, f"sources.{i}")
    return _carried(
        sources, new, RequestDerivation.MERGED, refs, reason=reason, at=at, where="item."
    )


def split_over(
    source: Predecessor,
    parts: Sequence[NewDraft],
    refs: References,
    *,
    reason: str | None,
    at: datetime,
) -> list[ItemChange]:
    """One request becomes several drafts of the next year."""
    if len(parts) < 2:
        raise Unprocessable(
            "分割には2件以上の要望を指定してください",
            en="a split makes two or more items",
            fields={"parts": Message("2件以上にしてください", "two or more")},
        )
    ensure_may_go_on(source, "item_id")
    return [
        _carried(
            [source], part, RequestDerivation.SPLIT, refs, reason=reason, at=at, where=f"parts.{i}."
        )
        for i, part in enumerate(parts)
    ]


@dataclass(frozen=True)
class LineageNode:
    item: RequestItem
    answer: Answer | None
    successors: tuple[UUID, ...]


@dataclass(frozen=True)
class Lineage:
    """An item's whole chain across the years: where it came from and where it went."""

    of: UUID
    nodes: tuple[LineageNode, ...]

    @property
    def first_requested(self) -> int:
        return min(n.item.fiscal_year for n in self.nodes)


def lineage(of: UUID, items: Iterable[RequestItem], answers: Mapping[UUID, Answer]) -> Lineage:
    """The chain from the items connected to ``of`` (both ways), oldest first."""
    chain = sorted(items, key=lambda i: (i.fiscal_year, i.number))
    successors: dict[UUID, list[UUID]] = {i.id: [] for i in chain}
    for item in chain:
        for parent in item.derived_from:
            successors.setdefault(parent, []).append(item.id)
    nodes = tuple(
        LineageNode(item, answers.get(item.id), tuple(successors[item.id])) for item in chain
    )
    return Lineage(of, nodes)
