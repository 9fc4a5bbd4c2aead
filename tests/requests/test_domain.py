"""The rules of the joint requests, pure: no database, no broker."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import pytest

from tests.requests.towns import AOMORI, FIVE, HIRANAI, SOTOGAHAMA, YOMOGITA, plan_item_added
from tosei_common.catalogue.requests import AnswerStatus, RequestDerivation
from tosei_common.catalogue.resilience import PlanItemStatus
from tosei_common.platform.errors import Conflict, InvalidTransition, Unprocessable
from tosei_common.region.fiscal import TOKYO
from tosei_requests.domain.agenda import arrange, fix_agenda, set_agenda
from tosei_requests.domain.answer import Answer, record_answer, summarise
from tosei_requests.domain.briefing import Briefing, Grouping
from tosei_requests.domain.departments import Department
from tosei_requests.domain.labels import head_title, towns_label
from tosei_requests.domain.lifecycle import TRANSITIONS, move
from tosei_requests.domain.lineage import NewDraft, Predecessor, carry_over, lineage, merge_over
from tosei_requests.domain.plan_items import PlanItemCopy, apply
from tosei_requests.domain.request_item import References, RequestItem, revise_item
from tosei_requests.domain.status import ItemStatus

AT = datetime(2020, 10, 2, 15, 0, tzinfo=TOKYO)
DEPARTMENTS = {
    "kendo": Department("kendo", "県土整備部", 9),
    "shoko": Department("shoko", "商工労働部", 6, retired=True),
}
REFS = References(DEPARTMENTS, {})


def request(number: int = 1, towns: tuple[str, ...] = (AOMORI,), **fields: Any) -> RequestItem:
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "fiscal_year": 2020,
        "number": number,
        "title": f"要望{number}",
        "body": "要望内容",
        "background": "現状と課題",
        "departments": ("kendo",),
        "municipalities": towns,
        "status": ItemStatus.ADOPTED,
        "version": 3,
    }
    values.update(fields)
    return RequestItem(**values)


def briefing(*agenda: RequestItem, fixed: bool = True, **fields: Any) -> Briefing:
    return Briefing(
        id=uuid.uuid4(),
        fiscal_year=2020,
        starts_at=datetime(2020, 10, 16, 11, 0, tzinfo=TOKYO),
        ends_at=datetime(2020, 10, 16, 11, 50, tzinfo=TOKYO),
        place="県庁",
        agenda=tuple(i.id for i in agenda),
        agenda_fixed_at=AT if fixed else None,
        agenda_version=1 if fixed else 0,
        **fields,
    )


@pytest.mark.parametrize("source", list(ItemStatus))
@pytest.mark.parametrize("target", list(ItemStatus))
def test_every_pair_of_states_is_allowed_or_refused_by_the_table(
    source: ItemStatus, target: ItemStatus
) -> None:
    item = request(status=source)
    allowed = target in TRANSITIONS[source]
    try:
        moved = move(item, target, on_agenda=False, agenda_fixed=False, reason="理由", at=AT)
    except InvalidTransition:
        assert not allowed
        return
    assert allowed
    assert (moved.item.status, moved.item.version) == (target, item.version + 1)
    assert moved.changes["status"] == {"old": source.value, "new": target.value}


def test_a_return_says_why_and_the_reason_stays_until_submitted_again() -> None:
    submitted = request(status=ItemStatus.SUBMITTED)
    with pytest.raises(Unprocessable) as refused:
        move(
            submitted, ItemStatus.RETURNED, on_agenda=False, agenda_fixed=False, reason=None, at=AT
        )
    assert list(refused.value.fields) == ["reason"]
    back = move(
        submitted,
        ItemStatus.RETURNED,
        on_agenda=False,
        agenda_fixed=False,
        reason="金額を精査",
        at=AT,
    ).item
    reworked = move(back, ItemStatus.DRAFT, on_agenda=False, agenda_fixed=False, reason=None, at=AT)
    assert reworked.item.return_reason == "金額を精査"
    again = move(
        reworked.item, ItemStatus.SUBMITTED, on_agenda=False, agenda_fixed=False, reason=None, at=AT
    )
    assert again.item.return_reason is None
    assert [type(e).__name__ for e in again.events] == ["RequestSubmitted"]


def test_an_adopted_item_of_a_fixed_agenda_changes_only_with_a_reason() -> None:
    item = request()
    with pytest.raises(Unprocessable) as refused:
        revise_item(
            item, version=3, changes={"title": "新"}, refs=REFS, agenda_fixed=True, reason=None
        )
    assert refused.value.message.ja.startswith("理由を入力してください（議題の確定後の変更です）")
    changed = revise_item(
        item, version=3, changes={"title": "新"}, refs=REFS, agenda_fixed=True, reason="協議"
    )
    assert changed.changes == {"title": {"old": "要望1", "new": "新"}}
    with pytest.raises(Conflict):
        revise_item(
            item, version=2, changes={"title": "新"}, refs=REFS, agenda_fixed=False, reason=None
        )


def test_a_retired_department_stays_where_it_was_named_and_is_refused_anew() -> None:
    old = request(departments=("shoko",))
    kept = revise_item(
        old, version=3, changes={"title": "新"}, refs=REFS, agenda_fixed=False, reason=None
    )
    assert kept.item.departments == ("shoko",)
    with pytest.raises(Unprocessable) as refused:
        revise_item(
            request(),
            version=3,
            changes={"departments": ["shoko"]},
            refs=REFS,
            agenda_fixed=False,
            reason=None,
        )
    assert "廃止されています" in refused.value.message.ja


def test_the_agenda_groups_joint_items_first_then_each_town_in_the_council_s_order() -> None:
    yomogita = request(1, (YOMOGITA,))
    joint = request(2, tuple(FIVE))
    aomori = request(3, (AOMORI,))
    pair = request(4, (HIRANAI, SOTOGAHAMA))
    items = {i.id: i for i in (yomogita, joint, aomori, pair)}
    grouped = briefing(yomogita, joint, aomori, pair)
    assert [(e.number, e.group, e.item.number) for e in arrange(grouped, items)] == [
        (1, "共同要望", 2),
        (2, "共同要望", 4),
        (3, "青森市", 3),
        (4, "蓬田村", 1),
    ]
    flat = grouped.model_copy(update={"grouping": Grouping.JOINT_ORDER})
    assert [(e.group, e.item.number) for e in arrange(flat, items)] == [
        (None, 1),
        (None, 2),
        (None, 3),
        (None, 4),
    ]


def test_a_fixed_agenda_changes_with_a_reason_and_is_announced_again() -> None:
    a, b = request(1), request(2)
    items = {a.id: a, b.id: b}
    draft = set_agenda(
        briefing(fixed=False), [a.id], Grouping.JOINT_THEN_TOWN, items, reason=None, at=AT
    )
    assert draft.events == ()
    fixed = fix_agenda(draft.briefing, items, at=AT).briefing
    with pytest.raises(Conflict):
        fix_agenda(fixed, items, at=AT)
    with pytest.raises(Unprocessable):
        set_agenda(fixed, [a.id, b.id], Grouping.JOINT_THEN_TOWN, items, reason=None, at=AT)
    changed = set_agenda(
        fixed, [b.id, a.id], Grouping.JOINT_THEN_TOWN, items, reason="順位の入替え", at=AT
    )
    [event] = changed.events
    assert (changed.briefing.agenda_version, event.agenda_version) == (2, 2)  # type: ignore[attr-defined]
    assert changed.action == "agenda_changed"


def answered(item: RequestItem, status: AnswerStatus) -> Answer:
    return Answer(
        item_id=item.id,
        received_on=date(2021, 2, 5),
        text="回答",
        department="kendo",
        status=status,
    )


def test_an_answer_falls_between_the_briefing_and_today_and_a_correction_says_why() -> None:
    item = request()
    held = briefing(item)
    kwargs: dict[str, Any] = {
        "text": "検討する",
        "department": "kendo",
        "status": AnswerStatus.UNDER_STUDY,
        "departments": DEPARTMENTS,
        "today": date(2021, 2, 10),
        "at": AT,
    }
    with pytest.raises(Unprocessable) as before:
        record_answer(item, held, None, received_on=date(2020, 10, 15), reason=None, **kwargs)
    assert list(before.value.fields) == ["received_on"]
    with pytest.raises(Unprocessable):
        record_answer(item, held, None, received_on=date(2021, 2, 11), reason=None, **kwargs)
    first = record_answer(item, held, None, received_on=date(2021, 2, 5), reason=None, **kwargs)
    with pytest.raises(Unprocessable) as no_reason:
        record_answer(item, held, first.answer, received_on=date(2021, 2, 6), reason=None, **kwargs)
    assert list(no_reason.value.fields) == ["reason"]
    corrected = record_answer(
        item, held, first.answer, received_on=date(2021, 2, 6), reason="受領日の誤り", **kwargs
    )
    assert corrected.answer.version == 2
    assert corrected.changes == {"received_on": {"old": "2021-02-05", "new": "2021-02-06"}}
    assert corrected.event.answer_version == 2


def test_the_summary_counts_a_joint_item_for_each_of_its_towns() -> None:
    joint, aomori = request(1, tuple(FIVE)), request(2, (AOMORI,))
    summary = summarise(2020, [joint, aomori], {joint.id: answered(joint, AnswerStatus.DIFFICULT)})
    assert (summary.whole.items, summary.whole.unanswered) == (2, 1)
    assert summary.joint.by_status[AnswerStatus.DIFFICULT] == 1
    towns = {t.municipality: t.tally for t in summary.towns}
    assert (towns[AOMORI].items, towns[AOMORI].unanswered) == (2, 1)
    assert (towns[YOMOGITA].items, towns[YOMOGITA].unanswered) == (1, 0)


def predecessor(item: RequestItem, status: AnswerStatus | None, **fields: Any) -> Predecessor:
    values: dict[str, Any] = {
        "item": item,
        "answer": None if status is None else answered(item, status),
        "on_agenda": True,
        "successors": (),
    }
    values.update(fields)
    return Predecessor(**values)


@pytest.mark.parametrize(
    ("status", "goes_on"),
    [
        (None, True),
        (AnswerStatus.UNDER_STUDY, True),
        (AnswerStatus.DIFFICULT, True),
        (AnswerStatus.DONE_OR_PLANNED, False),
        (AnswerStatus.OTHER, False),
    ],
)
def test_only_an_unanswered_under_study_or_difficult_request_goes_on(
    status: AnswerStatus | None, goes_on: bool
) -> None:
    item = request()
    new = NewDraft(uuid.uuid4(), 1, item.content)
    if goes_on:
        carried = carry_over(predecessor(item, status), new, REFS, reason=None, at=AT)
        assert (carried.item.fiscal_year, carried.item.status) == (2021, ItemStatus.DRAFT)
        assert carried.item.derived_from == (item.id,)
    else:
        with pytest.raises(Conflict):
            carry_over(predecessor(item, status), new, REFS, reason=None, at=AT)


def test_a_request_goes_on_once_and_only_from_the_fixed_agenda() -> None:
    item = request()
    new = NewDraft(uuid.uuid4(), 1, item.content)
    with pytest.raises(Conflict) as twice:
        carry_over(
            predecessor(item, None, successors=(uuid.uuid4(),)), new, REFS, reason=None, at=AT
        )
    assert list(twice.value.fields) == ["item_id"]
    with pytest.raises(InvalidTransition):
        carry_over(predecessor(item, None, on_agenda=False), new, REFS, reason=None, at=AT)
    with pytest.raises(Unprocessable) as alone:
        merge_over([predecessor(item, None)] * 2, new, REFS, reason=None, at=AT)
    assert list(alone.value.fields) == ["sources"]


def test_the_lineage_reads_the_same_whichever_item_it_is_asked_from() -> None:
    a, b = request(1), request(2)
    merged = request(
        1, fiscal_year=2021, derivation=RequestDerivation.MERGED, derived_from=(a.id, b.id)
    )
    after = request(
        1, fiscal_year=2022, derivation=RequestDerivation.CARRIED, derived_from=(merged.id,)
    )
    chain = lineage(b.id, [after, merged, b, a], {a.id: answered(a, AnswerStatus.UNDER_STUDY)})
    assert [n.item.fiscal_year for n in chain.nodes] == [2020, 2020, 2021, 2022]
    assert [n.successors for n in chain.nodes] == [(merged.id,), (merged.id,), (after.id,), ()]
    assert chain.first_requested == 2020
    assert chain.nodes[0].answer is not None


def test_the_plan_item_copy_keeps_the_latest_version() -> None:
    added = plan_item_added(3)
    copy = apply(None, added)
    assert isinstance(copy, PlanItemCopy)
    assert copy.status is PlanItemStatus.PLANNED
    newer = copy.__class__(**{**copy.__dict__, "version": 4})
    assert apply(newer, added) is None


def test_offices_and_towns_are_named_as_the_council_names_them() -> None:
    assert [head_title(c) for c in FIVE] == [
        "青森市長",
        "平内町長",
        "今別町長",
        "外ヶ浜町長",
        "蓬田村長",
    ]
    assert head_title(HIRANAI, deputy=True) == "平内町副町長"
    assert towns_label([SOTOGAHAMA, AOMORI]) == "青森市・外ヶ浜町"
    assert towns_label(FIVE) == "東青圏域5市町村"
