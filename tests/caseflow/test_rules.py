"""Caseflow's rules as pure functions: who may do what, and what each decision returns."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from tosei_caseflow.domain import access, cases, referrals
from tosei_caseflow.domain.cases import Case, OutcomeInput, RecordedOutcome, SessionInput, Tenure
from tosei_caseflow.domain.experts import Expert
from tosei_caseflow.domain.referrals import Referral
from tosei_common.catalogue.caseflow import (
    CaseAssigned,
    CaseClosed,
    CaseSessionRecorded,
    CaseSessionVoided,
    CaseState,
    CaseStateChanged,
    OutcomeType,
    ReferralStatus,
    SessionMode,
    Track,
    TransferReason,
)
from tosei_common.catalogue.intake import BusinessStage, Category, Origin
from tosei_common.platform.errors import (
    Conflict,
    Forbidden,
    InvalidTransition,
    NotFound,
    ServiceError,
    Unprocessable,
)
from tosei_common.platform.principal import Principal, Role

NOW = datetime(2026, 11, 15, 22, 30, tzinfo=UTC)  # 07:30 on 16 November in Japan
TODAY = date(2026, 11, 16)
MINE, THEIRS, FORMER = (uuid.UUID(int=i) for i in (1, 2, 3))
OPENED_ON = date(2026, 10, 17)  # case()'s consultation day in Japan: NOW - 30 days


def case(**changes: Any) -> Case:
    base = Case(
        case_id=uuid.UUID(int=100),
        client_id=uuid.UUID(int=200),
        municipality="022012",
        stage=BusinessStage.PLANNING,
        categories=(Category.FOUNDING_PLAN,),
        origin=Origin.NEW_DESK,
        consent_to_share=True,
        opened_at=NOW - timedelta(days=30),
        track=Track.STARTUP,
        state=CaseState.ASSIGNED,
        expert_id=MINE,
        updated_at=NOW - timedelta(days=1),
        experts=frozenset({FORMER, MINE}),
    )
    return replace(base, **changes)


def expert(expert_id: uuid.UUID = THEIRS, *, active: bool = True) -> Expert:
    return Expert(expert_id, "高橋 美咲", Track.SME, (Category.SALES_CHANNELS,), 10, active)


def who(role: Role, subject: uuid.UUID | str = "staff-1") -> Principal:
    return Principal(subject=str(subject), role=role)


def said_in_japanese(error: ServiceError) -> None:
    assert error.message.ja != error.message.en
    assert any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in error.message.ja)


def session(held_on: date = TODAY, next_action_on: date | None = None) -> SessionInput:
    return SessionInput(held_on, SessionMode.ONLINE, 30, "議事録", "内密", next_action_on)


# who may do what ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.DESK, Role.COORDINATOR])
def test_staff_change_any_case(role: Role) -> None:
    found = case(expert_id=THEIRS)
    assert access.ensure_may_change(who(role), found.case_id, found) is found


def test_an_expert_changes_their_case_reads_a_former_one_and_never_sees_another() -> None:
    found = case()
    assert access.ensure_may_change(who(Role.EXPERT, MINE), found.case_id, found) is found
    with pytest.raises(Forbidden) as former:
        access.ensure_may_change(who(Role.EXPERT, FORMER), found.case_id, found)
    assert "引き継がれました" in former.value.message.ja
    with pytest.raises(NotFound):
        access.ensure_may_change(who(Role.EXPERT, THEIRS), found.case_id, found)
    with pytest.raises(NotFound):
        access.ensure_may_read(
            who(Role.EXPERT, THEIRS), found.case_id, [Tenure(MINE, found.opened_at, None)]
        )


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MUNICIPALITY])
def test_auditors_and_officers_change_no_case_and_are_told_who_may(role: Role) -> None:
    found = case()
    with pytest.raises(Forbidden) as refused:
        access.ensure_may_change(who(role), found.case_id, found)
    assert refused.value.message.ja.startswith("案件の変更は")
    with pytest.raises(Forbidden):
        access.ensure_may_change(who(role), found.case_id, None)  # the role first, then the case


def test_an_expert_token_must_name_the_expert_by_id() -> None:
    with pytest.raises(Forbidden) as refused:
        access.readable_cases(who(Role.EXPERT, "sato"))
    said_in_japanese(refused.value)


def test_a_former_expert_reads_confidential_notes_only_until_they_left() -> None:
    left = NOW - timedelta(days=5)
    tenures = [Tenure(FORMER, NOW - timedelta(days=20), left), Tenure(MINE, left, None)]
    former = access.confidential_visible(who(Role.EXPERT, FORMER), tenures)
    assert former(left) is True
    assert former(left + timedelta(seconds=1)) is False
    assert access.confidential_visible(who(Role.EXPERT, MINE), tenures)(NOW) is True
    assert access.confidential_visible(who(Role.COORDINATOR), tenures)(NOW) is True
    assert access.confidential_visible(who(Role.DESK), tenures)(NOW) is False


def test_only_coordinators_keep_the_registries_and_only_staff_assign() -> None:
    access.ensure_may_manage_experts(who(Role.COORDINATOR))
    with pytest.raises(Forbidden):
        access.ensure_may_manage_experts(who(Role.DESK))
    access.ensure_may_assign(who(Role.DESK))
    with pytest.raises(Forbidden):
        access.ensure_may_assign(who(Role.EXPERT, MINE))


def test_an_expert_reads_only_their_own_follow_ups_whoever_they_ask_for() -> None:
    assert access.follow_ups_of(who(Role.EXPERT, MINE), THEIRS) == MINE
    assert access.follow_ups_of(who(Role.COORDINATOR), THEIRS) == THEIRS
    with pytest.raises(Forbidden):
        access.follow_ups_of(who(Role.MUNICIPALITY), None)


# what the decisions return --------------------------------------------------------------------


def test_the_first_session_of_an_assigned_case_starts_it_then_records_the_session() -> None:
    change = cases.record_session(case(), session(), session_id=uuid.uuid4(), at=NOW, today=TODAY)
    started, held = change.events
    assert isinstance(started, CaseStateChanged)
    assert (started.from_state, started.to_state) == (CaseState.ASSIGNED, CaseState.IN_PROGRESS)
    assert isinstance(held, CaseSessionRecorded)
    assert held.expert_id == MINE
    notes = [e.note for e in change.entries]
    assert (notes[0].reason, notes[1].minutes, notes[1].confidential) == (
        "相談を実施",
        "議事録",
        "内密",
    )
    later = cases.record_session(
        case(state=CaseState.IN_PROGRESS), session(), session_id=uuid.uuid4(), at=NOW, today=TODAY
    )
    assert [type(e) for e in later.events] == [CaseSessionRecorded]


def test_a_change_is_dated_after_the_case_s_previous_event_even_when_the_clock_is_behind() -> None:
    ahead = case(updated_at=NOW + timedelta(minutes=5))
    (event,) = cases.assign(ahead, expert(), THEIRS, reason=None, at=NOW).events
    assert isinstance(event, CaseAssigned)
    assert event.assigned_at == ahead.updated_at + timedelta(microseconds=1)
    (on_time,) = cases.assign(case(), expert(), THEIRS, reason=None, at=NOW).events
    assert isinstance(on_time, CaseAssigned)
    assert on_time.assigned_at == NOW


@pytest.mark.parametrize(
    ("decide", "error", "field"),
    [
        (
            lambda: cases.record_session(
                case(), session(TODAY + timedelta(days=1)), session_id=uuid.uuid4(), at=NOW,
                today=TODAY,
            ),
            Unprocessable,
            "held_on",
        ),
        (
            lambda: cases.record_session(
                case(), session(next_action_on=TODAY - timedelta(days=1)),
                session_id=uuid.uuid4(), at=NOW, today=TODAY,
            ),
            Unprocessable,
            "next_action_on",
        ),
        (
            lambda: cases.transfer(
                case(), expert(MINE), MINE, reason=TransferReason.OTHER, handover_note="x", at=NOW
            ),
            Unprocessable,
            "to_expert_id",
        ),
        (
            lambda: cases.assign(case(), None, THEIRS, reason=None, at=NOW),
            Unprocessable,
            "expert_id",
        ),
        (
            lambda: cases.assign(case(), expert(active=False), THEIRS, reason=None, at=NOW),
            Unprocessable,
            "expert_id",
        ),
        (
            lambda: cases.change_state(
                case(), CaseState.ASSIGNED, reason=None, satisfaction=None, at=NOW
            ),
            Unprocessable,
            "to",
        ),
        (
            lambda: cases.change_state(
                case(state=CaseState.IN_PROGRESS), CaseState.RESOLVED, reason=None,
                satisfaction=4, at=NOW,
            ),
            Unprocessable,
            "satisfaction",
        ),
        (
            lambda: cases.record_outcome(
                case(), OutcomeInput(OutcomeType.JOBS_CREATED, TODAY, None, None),
                outcome_id=uuid.uuid4(), recorded=[], at=NOW, today=TODAY,
            ),
            Unprocessable,
            "jobs",
        ),
        (
            lambda: cases.record_session(
                case(), session(OPENED_ON - timedelta(days=1)), session_id=uuid.uuid4(), at=NOW,
                today=TODAY,
            ),
            Unprocessable,
            "held_on",
        ),
        (
            lambda: cases.record_outcome(
                case(), OutcomeInput(OutcomeType.FOUNDED, date(2019, 1, 1), None, None),
                outcome_id=uuid.uuid4(), recorded=[], at=NOW, today=TODAY,
            ),
            Unprocessable,
            "achieved_on",
        ),
        (
            lambda: referrals.update(
                case(), None, uuid.uuid4(), status=ReferralStatus.ACCEPTED, visit=True, note=None,
                at=NOW,
            ),
            Unprocessable,
            "visit",
        ),
        (
            lambda: referrals.update(
                case(),
                Referral(uuid.uuid4(), case().case_id, uuid.uuid4(), ReferralStatus.ACCEPTED, 1),
                uuid.uuid4(), status=ReferralStatus.COMPLETED, visit=False, note=None, at=NOW,
            ),
            Unprocessable,
            "note",
        ),
        (
            lambda: cases.change_state(
                case(), CaseState.RESOLVED, reason=None, satisfaction=None, at=NOW
            ),
            InvalidTransition,
            "to",
        ),
    ],
)  # fmt: skip
def test_each_refusal_is_said_in_japanese_and_names_its_field(
    decide: Callable[[], object], error: type[ServiceError], field: str
) -> None:
    with pytest.raises(error) as refused:
        decide()
    said_in_japanese(refused.value)
    assert field in refused.value.fields
    assert refused.value.fields[field].ja != refused.value.fields[field].en


def test_a_closed_case_is_neither_worked_on_nor_assigned_before_it_reopens() -> None:
    closed = case(state=CaseState.CLOSED)
    with pytest.raises(InvalidTransition) as refused:
        cases.record_session(closed, session(), session_id=uuid.uuid4(), at=NOW, today=TODAY)
    assert "面談の記録はできません" in refused.value.message.ja
    with pytest.raises(Conflict) as not_assigned:
        cases.assign(closed, expert(), THEIRS, reason=None, at=NOW)
    assert "再開" in not_assigned.value.message.ja


def test_a_referral_without_consent_is_refused_before_anything_else() -> None:
    with pytest.raises(Conflict) as refused:
        referrals.refer(
            case(consent_to_share=False, state=CaseState.CLOSED),
            None,
            uuid.uuid4(),
            note=None,
            referral_id=uuid.uuid4(),
            at=NOW,
        )
    assert refused.value.extra == {"reason": "no_consent"}
    said_in_japanese(refused.value)


def test_a_session_or_an_outcome_may_fall_on_the_day_the_client_came() -> None:
    assert cases.consulted_on(case()) == OPENED_ON
    held = cases.record_session(
        case(), session(OPENED_ON), session_id=uuid.uuid4(), at=NOW, today=TODAY
    )
    assert isinstance(held.events[-1], CaseSessionRecorded)
    founded = OutcomeInput(OutcomeType.FOUNDED, OPENED_ON, None, None)
    change = cases.record_outcome(
        case(), founded, outcome_id=uuid.uuid4(), recorded=[], at=NOW, today=TODAY
    )
    assert len(change.events) == 1


def test_the_day_the_client_came_is_the_day_in_japan() -> None:
    late_evening_utc = datetime(2026, 5, 11, 16, 0, tzinfo=UTC)  # 01:00 on 12 May in Japan
    assert cases.consulted_on(case(opened_at=late_evening_utc)) == date(2026, 5, 12)
    with pytest.raises(Unprocessable) as refused:
        cases.record_session(
            case(opened_at=late_evening_utc),
            session(date(2026, 5, 11)),
            session_id=uuid.uuid4(),
            at=NOW,
            today=TODAY,
        )
    assert "受付日（令和8年5月12日）" in refused.value.message.ja


def test_a_case_achieves_each_kind_of_outcome_once() -> None:
    first = RecordedOutcome(uuid.uuid4(), OutcomeType.FOUNDED, date(2026, 11, 1))
    again = OutcomeInput(OutcomeType.FOUNDED, TODAY, None, None)
    with pytest.raises(Conflict) as refused:
        cases.record_outcome(
            case(), again, outcome_id=uuid.uuid4(), recorded=[first], at=NOW, today=TODAY
        )
    assert "成果「創業」がすでに記録されています（令和8年11月1日）" in refused.value.message.ja
    assert str(first.outcome_id) in refused.value.message.en
    other_kind = OutcomeInput(OutcomeType.SALES_INCREASED, TODAY, None, None)
    change = cases.record_outcome(
        case(), other_kind, outcome_id=uuid.uuid4(), recorded=[first], at=NOW, today=TODAY
    )
    assert len(change.events) == 1


def test_closing_says_the_rating_or_that_the_client_gave_none() -> None:
    resolved = case(state=CaseState.RESOLVED)
    with pytest.raises(Unprocessable) as refused:
        cases.change_state(resolved, CaseState.CLOSED, reason=None, satisfaction=None, at=NOW)
    assert "回答なし" in refused.value.message.ja
    assert "satisfaction" in refused.value.fields
    (rated,) = cases.change_state(
        resolved, CaseState.CLOSED, reason=None, satisfaction=4, at=NOW
    ).events
    (unrated,) = cases.change_state(
        resolved, CaseState.CLOSED, reason=None, satisfaction=cases.NOT_ANSWERED, at=NOW
    ).events
    assert isinstance(rated, CaseClosed)
    assert isinstance(unrated, CaseClosed)
    assert (rated.satisfaction, unrated.satisfaction) == (4, None)


def test_voiding_names_what_it_cannot_find_refuses_twice_and_needs_a_reason() -> None:
    entry = uuid.uuid4()
    with pytest.raises(NotFound):
        cases.void_session(case(), None, entry, reason="誤り", at=NOW)
    with pytest.raises(Conflict) as twice:
        cases.void_outcome(case(), cases.Recorded(entry, True), entry, reason="誤り", at=NOW)
    said_in_japanese(twice.value)
    with pytest.raises(Unprocessable) as unsaid:
        cases.void_session(case(), cases.Recorded(entry, False), entry, reason=" ", at=NOW)
    assert "reason" in unsaid.value.fields
    change = cases.void_session(
        case(), cases.Recorded(entry, False), entry, reason="別の案件に記録", at=NOW
    )
    (event,) = change.events
    assert isinstance(event, CaseSessionVoided)
    assert event.session_id == entry
    assert change.entries[0].note.reason == "別の案件に記録"
