"""The seminar's rules on their own: rotation, states, sizing, seats, references, reports."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from tosei_common.catalogue.seminar import (
    AttendanceMode,
    AttendeeRole,
    PlaceChanged,
    RegistrationCancelled,
    RegistrationPromoted,
    SeminarHeld,
    SeminarRegistrationClosed,
)
from tosei_common.platform.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidTransition,
    NotFound,
    Unprocessable,
)
from tosei_common.platform.principal import Principal, Role
from tosei_common.region.municipalities import AOMORI, HIRANAI, IMABETSU, SOTOGAHAMA
from tosei_seminar.domain import access, rotation, sizing
from tosei_seminar.domain.arrangements import Venue, choose_venue
from tosei_seminar.domain.budget import BudgetCategory, BudgetLine, summarise_budget
from tosei_seminar.domain.identity import identity
from tosei_seminar.domain.lifecycle import Readiness, move, next_state
from tosei_seminar.domain.places import (
    Place,
    check_capacity_change,
    choose_place,
    offered,
    promotions,
)
from tosei_seminar.domain.references import new_reference, normalise_reference
from tosei_seminar.domain.registration import Registration, RegistrationStatus, cancel, seat_or_wait
from tosei_seminar.domain.reports import (
    Attendee,
    Feedback,
    attendance,
    summarise_feedback,
)
from tosei_seminar.domain.rotation import change_override
from tosei_seminar.domain.seminar import Seminar, SeminarState, plan, schedule

S = SeminarState


# rotation ---------------------------------------------------------------------------------------


def test_the_rotation_starts_with_aomori_in_fy2021_and_goes_hiranai_sotogahama_around() -> None:
    hosts = [y.host.name for y in rotation.upcoming(2021, 10, {})]
    assert hosts == [
        "青森市", "平内町", "外ヶ浜町", "青森市", "平内町", "外ヶ浜町", "青森市", "平内町",
        "外ヶ浜町", "青森市",
    ]  # fmt: skip


def test_an_override_changes_only_its_own_year() -> None:
    override = rotation.Override(2025, SOTOGAHAMA.code, "平内町は庁舎改修で会場を確保できない", "c")
    years = rotation.upcoming(2021, 10, {2025: override})
    assert [y.host.name for y in years][3:7] == ["青森市", "外ヶ浜町", "外ヶ浜町", "青森市"]
    assert years[4].by_rotation == HIRANAI
    assert years[4].override == override
    assert all(y.override is None for i, y in enumerate(years) if i != 4)


def test_an_override_needs_a_reason_and_another_town() -> None:
    with pytest.raises(Unprocessable):
        rotation.check_override(2025, SOTOGAHAMA, "  ")
    with pytest.raises(BadRequest):
        rotation.check_override(2025, HIRANAI, "平内町の番です")
    rotation.check_override(2025, IMABETSU, "今別町が初めて担当する")


def test_years_before_the_first_seminar_are_not_in_the_rotation() -> None:
    with pytest.raises(Unprocessable):
        rotation.turn_of(2020)
    assert rotation.upcoming(2019, 2, {})[0].fiscal_year == 2021
    assert rotation.turn_of(2026) == SOTOGAHAMA
    assert rotation.turn_of(2027) == AOMORI


# states -----------------------------------------------------------------------------------------

READY = Readiness(has_schedule=True, has_venue=True, has_stream=True, remote_places=2, checked_in=5)


def test_a_seminar_goes_from_planned_to_held() -> None:
    state = S.PLANNED
    for target in (S.SCHEDULED, S.REGISTRATION_OPEN, S.REGISTRATION_CLOSED, S.HELD):
        state = next_state(state, target, READY, None)
    assert state is S.HELD


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.PLANNED, S.REGISTRATION_OPEN),
        (S.PLANNED, S.HELD),
        (S.SCHEDULED, S.HELD),
        (S.REGISTRATION_OPEN, S.HELD),
        (S.HELD, S.CANCELLED),
        (S.CANCELLED, S.PLANNED),
        (S.HELD, S.REGISTRATION_OPEN),
    ],
)
def test_invalid_transitions_are_refused(current: SeminarState, target: SeminarState) -> None:
    with pytest.raises(InvalidTransition):
        next_state(current, target, READY, "理由")


def test_a_seminar_is_scheduled_only_with_a_date_and_a_venue() -> None:
    bare = Readiness(
        has_schedule=False, has_venue=False, has_stream=False, remote_places=0, checked_in=0
    )
    with pytest.raises(Conflict, match="a date and time and a venue"):
        next_state(S.PLANNED, S.SCHEDULED, bare, None)


def test_remote_places_need_the_stream_before_registration_opens() -> None:
    no_stream = Readiness(
        has_schedule=True, has_venue=True, has_stream=False, remote_places=1, checked_in=0
    )
    with pytest.raises(Conflict, match="stream"):
        next_state(S.SCHEDULED, S.REGISTRATION_OPEN, no_stream, None)


def test_cancelling_needs_a_reason_and_holding_needs_attendees() -> None:
    with pytest.raises(Unprocessable):
        next_state(S.SCHEDULED, S.CANCELLED, READY, None)
    nobody = Readiness(
        has_schedule=True, has_venue=True, has_stream=True, remote_places=0, checked_in=0
    )
    with pytest.raises(Conflict):
        next_state(S.REGISTRATION_CLOSED, S.HELD, nobody, None)


def test_the_date_must_fall_in_the_seminar_s_fiscal_year() -> None:
    when = schedule(2026, date(2027, 3, 31), time(13, 30), time(16, 0))
    assert when.starts_at.isoformat() == "2027-03-31T13:30:00+09:00"
    with pytest.raises(Unprocessable) as wrong_year:
        schedule(2026, date(2027, 4, 1), time(13, 30), time(16, 0))
    assert wrong_year.value.fields_in("en") == {"date": "2027-04-01 is in FY2027"}
    with pytest.raises(Unprocessable):
        schedule(2026, date(2026, 10, 1), time(16, 0), time(13, 0))


def test_a_schedule_refuses_times_with_a_zone_instead_of_comparing_or_dropping_it() -> None:
    with pytest.raises(Unprocessable) as zoned:
        schedule(2026, date(2026, 10, 1), time(13, 30, tzinfo=UTC), time(16, 30))
    assert zoned.value.fields_in("en") == {"start_time": "without a time zone"}


# venue sizing -----------------------------------------------------------------------------------


def candidate(name: str, capacity: int, fee: int) -> sizing.Candidate:
    return sizing.Candidate(uuid.uuid4(), name, AOMORI.code, capacity, fee)


HALLS = [
    candidate("市民センター 研修室", 60, 8000),
    candidate("青森市民ホール 大会議室", 200, 45000),
    candidate("リンクステーションホール青森", 800, 180000),
]


def registered(people: int, no_show_rate: float) -> sizing.Demand:
    return sizing.demand(
        expected_turnout=None, registrations=people, last_year=None, no_show_rate=no_show_rate
    )


def test_the_sizing_basis_is_what_the_coordinator_gave_then_what_is_known() -> None:
    last_year = sizing.PastTurnout(2026, registered=40, attended=30)
    given = sizing.demand(
        expected_turnout=80, registrations=12, last_year=last_year, no_show_rate=None
    )
    assert (given.basis, given.people, given.no_show_rate) == ("expected_turnout", 80, 0.1)
    so_far = sizing.demand(
        expected_turnout=None, registrations=12, last_year=last_year, no_show_rate=None
    )
    assert (so_far.basis, so_far.people) == ("registrations", 12)
    past = sizing.demand(
        expected_turnout=None, registrations=0, last_year=last_year, no_show_rate=None
    )
    assert (past.basis, past.people, past.no_show_rate) == ("last_year", 40, 0.25)
    assert "昨年度（令和8年度）" in past.words
    told = sizing.demand(
        expected_turnout=None, registrations=0, last_year=last_year, no_show_rate=0.2
    )
    assert told.no_show_rate == 0.2
    for nothing in (None, sizing.PastTurnout(2026, registered=0, attended=0)):
        with pytest.raises(Unprocessable) as refused:
            sizing.demand(
                expected_turnout=None, registrations=0, last_year=nothing, no_show_rate=None
            )
        assert "expected_turnout" in refused.value.fields


def test_the_smallest_venue_that_fits_with_the_margin_is_recommended() -> None:
    # 180 registered, 15% do not come: 153 expected; 10% margin: 169 seats.
    result = sizing.recommend(HALLS, registered(180, 0.15), margin=0.1)
    assert (result.expected_audience, result.seats_needed) == (153, 169)
    assert result.recommended is not None
    assert result.recommended.name == "青森市民ホール 大会議室"
    assert "169席が必要" in result.reason
    assert "市民センター 研修室 60席" in result.reason  # why the smaller one is not enough
    assert [f.fits for f in result.candidates] == [False, True, True]


def test_a_venue_exactly_the_size_needed_fits() -> None:
    assert sizing.seats_needed(100, 0.1, 0.0) == (90, 90)
    result = sizing.recommend(
        [candidate("ちょうど", 90, 1), candidate("大きい", 91, 1)],
        sizing.demand(expected_turnout=100, registrations=0, last_year=None, no_show_rate=0.1),
        margin=0.0,
    )
    assert result.recommended is not None
    assert result.recommended.name == "ちょうど"
    assert "見込み参加者数100人" in result.reason


def test_when_no_candidate_is_big_enough_it_says_by_how_much() -> None:
    result = sizing.recommend(HALLS, registered(1000, 0.0), margin=0.1)
    assert result.recommended is None
    assert "300席足りません" in result.reason


def test_equal_halls_go_to_the_cheaper_one() -> None:
    result = sizing.recommend(
        [candidate("高い", 100, 50000), candidate("安い", 100, 20000)],
        registered(50, 0.1),
        margin=0.1,
    )
    assert result.recommended is not None
    assert result.recommended.name == "安い"


# seats and references ---------------------------------------------------------------------------


def place(
    mode: AttendanceMode, town: str | None, capacity: int, seated: int, waiting: int
) -> Place:
    return Place(uuid.uuid4(), mode, f"{mode} {town}", town, capacity, seated, waiting)


def test_a_newcomer_never_jumps_the_wait_list() -> None:
    assert (
        seat_or_wait(place(AttendanceMode.VENUE, AOMORI.code, 2, 1, 0))
        is RegistrationStatus.ACCEPTED
    )
    assert (
        seat_or_wait(place(AttendanceMode.VENUE, AOMORI.code, 2, 2, 0))
        is RegistrationStatus.WAITLISTED
    )
    assert (
        seat_or_wait(place(AttendanceMode.VENUE, AOMORI.code, 3, 2, 1))
        is RegistrationStatus.WAITLISTED
    )


def test_free_seats_go_to_as_many_waiting_as_fit() -> None:
    assert promotions(capacity=10, seated=7, waiting=5) == 3
    assert promotions(capacity=10, seated=7, waiting=1) == 1
    assert promotions(capacity=10, seated=10, waiting=4) == 0


def test_a_place_cannot_shrink_below_those_seated() -> None:
    with pytest.raises(Unprocessable):
        check_capacity_change(place(AttendanceMode.ONLINE, None, 50, 30, 0), 29)
    check_capacity_change(place(AttendanceMode.ONLINE, None, 50, 30, 0), 30)


def test_references_are_unguessable_and_forgiving_to_type() -> None:
    references = {new_reference() for _ in range(1000)}
    assert len(references) == 1000
    reference = next(iter(references))
    assert normalise_reference(reference.lower().replace("-", "")) == reference
    assert normalise_reference("ｏ１２３-4567-89ab-cdef".upper()) == "0123-4567-89AB-CDEF"
    assert normalise_reference("I1L1-0000-0000-0000") == "1111-0000-0000-0000"
    assert normalise_reference("UUUU-0000-0000-0000") is None
    assert normalise_reference("short") is None


def test_the_same_person_is_recognised_by_name_and_a_contact() -> None:
    a = identity("山田　花子", "Hanako@Example.JP", None)
    b = identity("山田花子", "hanako@example.jp", "017-723-1111")
    assert (a.name_key, a.email_key) == (b.name_key, b.email_key)
    with pytest.raises(Unprocessable) as neither:
        identity("山田花子", None, None)
    assert neither.value.fields_in("en") == {"email": "give an e-mail address or a phone number"}
    with pytest.raises(Unprocessable) as bad:
        identity("山田花子", "hanako", "123")
    assert set(bad.value.fields) == {"email", "phone"}


def test_non_host_towns_get_their_own_site_then_online_then_the_venue() -> None:
    venue = place(AttendanceMode.VENUE, AOMORI.code, 100, 0, 0)
    online = place(AttendanceMode.ONLINE, None, 100, 0, 0)
    hiranai = place(AttendanceMode.VIEWING_SITE, HIRANAI.code, 20, 0, 0)
    sotogahama = place(AttendanceMode.VIEWING_SITE, SOTOGAHAMA.code, 20, 0, 0)
    places = [venue, online, hiranai, sotogahama]
    assert offered(places, HIRANAI.code, AOMORI.code) == [hiranai, online, venue]
    assert offered(places, AOMORI.code, AOMORI.code) == [venue, online]
    assert offered(places, IMABETSU.code, AOMORI.code) == [online, venue]
    assert choose_place(places, AttendanceMode.VIEWING_SITE, HIRANAI.code, None) == hiranai
    with pytest.raises(Unprocessable):
        choose_place(places, AttendanceMode.VIEWING_SITE, HIRANAI.code, sotogahama.place_id)
    with pytest.raises(Unprocessable):
        choose_place(places, AttendanceMode.VIEWING_SITE, IMABETSU.code, None)


# reports ----------------------------------------------------------------------------------------


def test_attendance_counts_every_role_town_and_mode() -> None:
    people = [
        Attendee(AttendeeRole.NURSE, AOMORI.code, AttendanceMode.VENUE, True),
        Attendee(AttendeeRole.NURSE, AOMORI.code, AttendanceMode.VENUE, False),
        Attendee(AttendeeRole.RESIDENT, HIRANAI.code, AttendanceMode.VIEWING_SITE, True),
    ]
    report = attendance(people)
    assert (report.registered, report.attended, report.no_shows) == (3, 2, 1)
    nurse = next(r for r in report.by_role if r.key == "nurse")
    assert (nurse.label, nurse.registered, nurse.attended, nurse.rate) == ("看護師", 2, 1, 0.5)
    assert len(report.by_role) == len(AttendeeRole)
    assert [r.label for r in report.by_municipality] == [
        "青森市", "平内町", "今別町", "外ヶ浜町", "蓬田村"
    ]  # fmt: skip
    online = next(r for r in report.by_mode if r.key == "online")
    assert online.rate is None  # nobody registered: no rate rather than 0%


def test_feedback_is_summarised_without_names() -> None:
    answers = [
        Feedback(AttendeeRole.NURSE, AOMORI.code, 5, 4, "事例が具体的でよかった"),
        Feedback(AttendeeRole.NURSE, AOMORI.code, 4, 4, None),
        Feedback(AttendeeRole.RESIDENT, HIRANAI.code, 3, 5, None),
    ]
    summary = summarise_feedback(answers, attended=6)
    assert (summary.responses, summary.response_rate) == (3, 0.5)
    assert summary.satisfaction_mean == 4.0
    assert summary.satisfaction_distribution == {1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    assert summary.satisfaction_by_role == {"看護師": 4.5, "住民": 3.0}
    assert [(c.role, c.municipality, c.text) for c in summary.comments] == [
        ("看護師", "青森市", "事例が具体的でよかった")
    ]


def test_the_budget_warns_when_it_does_not_cover_the_venue_or_the_keynote() -> None:
    lines = [
        BudgetLine(BudgetCategory.VENUE, 40000, 45000),
        BudgetLine(BudgetCategory.KEYNOTE, 100000, None),
    ]
    summary = summarise_budget(lines, venue_fee=45000, speaker_fees=150000)
    assert (summary.planned_total, summary.actual_total, summary.unsettled_lines) == (
        140000,
        45000,
        1,
    )
    assert summary.warnings == [
        "会場使用料の予算40,000円が選定会場の使用料45,000円に足りません",
        "講師謝金の予算100,000円が講師謝金の合計150,000円に足りません",
    ]
    assert summarise_budget(lines, venue_fee=40000, speaker_fees=100000).warnings == []


# decisions: what changed, and the events that announce it ----------------------------------------

AT = datetime(2026, 11, 15, 22, 30, tzinfo=UTC)


def a_seminar(state: SeminarState = S.REGISTRATION_OPEN, **values: Any) -> Seminar:
    return replace(
        plan(uuid.uuid4(), 2027, "在宅医療", None, host=AOMORI.code, existing=None,
             actor="coordinator:sato", at=AT),
        state=state,
        **values,
    )  # fmt: skip


def waiting_for(place: Place, n: int) -> list[Registration]:
    """``n`` people on a place's wait list, first first."""
    return [
        Registration(
            id=uuid.uuid4(), seq=i, reference=new_reference(), seminar_id=uuid.uuid4(),
            place_id=place.place_id, mode=place.mode, name=f"待機 {i}", name_kana=None,
            organisation=None, role=AttendeeRole.NURSE, municipality=AOMORI.code, email=None,
            phone="017-734-2171", status=RegistrationStatus.WAITLISTED, registered_at=AT,
            accepted_at=None, promoted_at=None, cancelled_at=None, checked_in_at=None,
        )
        for i in range(1, n + 1)
    ]  # fmt: skip


def test_one_decision_sets_and_removes_an_override_and_moves_a_planned_seminar() -> None:
    planned = a_seminar(S.PLANNED, fiscal_year=2028, host_municipality=HIRANAI.code)
    set_ = change_override(
        2028, SOTOGAHAMA, "会場改修", current=None, seminar=planned, actor="c:1", at=AT
    )
    assert set_.override == rotation.Override(2028, SOTOGAHAMA.code, "会場改修", "c:1")
    assert set_.seminar is not None
    assert (set_.seminar.host_municipality, set_.seminar.updated_by) == (SOTOGAHAMA.code, "c:1")
    removed = change_override(
        2028, None, None, current=set_.override, seminar=set_.seminar, actor="c:2", at=AT
    )
    assert removed.override is None
    assert removed.seminar is not None
    assert removed.seminar.host_municipality == HIRANAI.code  # whose turn it is
    with pytest.raises(NotFound) as none:
        change_override(2028, None, None, current=None, seminar=None, actor="c", at=AT)
    assert none.value.message.ja == "令和10年度には当番の変更がありません"
    scheduled = a_seminar(S.SCHEDULED, fiscal_year=2028)
    with pytest.raises(Conflict):
        change_override(2028, AOMORI, "理由", current=None, seminar=scheduled, actor="c", at=AT)


def test_closing_registration_counts_what_was_loaded_under_the_locks() -> None:
    venue = Place(uuid.uuid4(), AttendanceMode.VENUE, "ホール", AOMORI.code, 2, 2, 3)
    online = Place(uuid.uuid4(), AttendanceMode.ONLINE, "オンライン配信", None, 50, 10, 0)
    seminar = a_seminar(stream_url="https://stream.example.jp/x")
    change = move(
        seminar, S.REGISTRATION_CLOSED, None, places=[venue, online], attendees=[],
        actor="c:1", at=AT, small_cells=3,
    )  # fmt: skip
    assert change.seminar.state is S.REGISTRATION_CLOSED
    assert change.changes == {"from": "registration_open", "reason": None}
    [closed] = change.events
    assert isinstance(closed, SeminarRegistrationClosed)
    assert (closed.accepted, closed.waitlisted, closed.closed_at) == (12, 3, AT)


def test_holding_a_seminar_publishes_who_came_by_mode_town_and_role() -> None:
    seminar = a_seminar(S.REGISTRATION_CLOSED, starts_at=AT, ends_at=AT)
    came = [
        Attendee(AttendeeRole.NURSE, AOMORI.code, AttendanceMode.VENUE, True),
        Attendee(AttendeeRole.RESIDENT, HIRANAI.code, AttendanceMode.VIEWING_SITE, True),
        Attendee(AttendeeRole.NURSE, AOMORI.code, AttendanceMode.VENUE, False),
    ]
    held_as = move(
        seminar, S.HELD, None, places=[], attendees=came, actor="c", at=AT, small_cells=1
    )
    [held] = held_as.events  # threshold 1: every group is published
    assert isinstance(held, SeminarHeld)
    assert (held.registered, held.attended) == (3, 2)
    assert held.attended_by_municipality == {AOMORI.code: 1, HIRANAI.code: 1}
    assert (held.suppressed, held.suppression_threshold) == ([], 1)


def test_a_held_seminar_publishes_no_group_small_enough_to_name_someone() -> None:
    seminar = a_seminar(S.REGISTRATION_CLOSED, starts_at=AT, ends_at=AT)
    came = [Attendee(AttendeeRole.NURSE, AOMORI.code, AttendanceMode.VENUE, True)] * 6
    came += [Attendee(AttendeeRole.NURSE, HIRANAI.code, AttendanceMode.ONLINE, True)] * 3
    came += [Attendee(AttendeeRole.PHYSICIAN, IMABETSU.code, AttendanceMode.ONLINE, True)]
    change = move(seminar, S.HELD, None, places=[], attendees=came, actor="c", at=AT, small_cells=3)
    [held] = change.events
    assert isinstance(held, SeminarHeld)
    assert held.attended == 10  # the seminar's total is published
    # 今別町's one physician is left out, and 平内町's three with it (else 10 − 6 = 1)
    assert held.attended_by_municipality == {AOMORI.code: 6}
    assert held.attended_by_role == {}  # nurses 9 alone would give the physician back
    assert held.attended_by_mode == {"venue": 6, "online": 4}
    assert held.suppressed == [
        "attended_by_municipality.023019", "attended_by_municipality.023035",
        "attended_by_role.nurse", "attended_by_role.physician",
    ]  # fmt: skip
    assert held.suppression_threshold == 3


def test_a_cancellation_seats_the_first_waiting_and_announces_both_in_order() -> None:
    place = Place(uuid.uuid4(), AttendanceMode.VENUE, "ホール", AOMORI.code, 2, 2, 2)
    queue = waiting_for(place, 2)
    seated = replace(queue[0], id=uuid.uuid4(), status=RegistrationStatus.ACCEPTED, seq=0)
    done = cancel(a_seminar(), seated, place, queue, at=AT)
    assert done.registration.status is RegistrationStatus.CANCELLED
    assert [r.id for r in done.seating.promoted] == [queue[0].id]
    assert done.seating.promoted[0].promoted_at == AT
    assert [type(e) for e in done.seating.events] == [RegistrationCancelled, RegistrationPromoted]
    assert (done.seating.place.seated, done.seating.place.waiting) == (2, 1)
    with pytest.raises(InvalidTransition) as closed:
        cancel(a_seminar(S.SCHEDULED), seated, place, queue, at=AT)
    assert closed.value.message.ja == "この研修会は「開催決定」のため、申込の取消はできません"


def test_a_bigger_hall_is_announced_before_the_wait_list_moves_into_it() -> None:
    seminar = a_seminar()
    current = Place(uuid.uuid4(), AttendanceMode.VENUE, "小ホール", AOMORI.code, 1, 1, 2)
    hall = Venue(uuid.uuid4(), "大ホール", AOMORI.code, 10, 0)
    change = choose_venue(
        seminar, hall, hall.id, current, waiting_for(current, 2), place_id=uuid.uuid4(),
        actor="c", at=AT,
    )  # fmt: skip
    assert [type(e) for e in change.events] == [
        PlaceChanged,
        RegistrationPromoted,
        RegistrationPromoted,
    ]
    assert change.seminar is not None
    assert change.seminar.chosen_venue_id == hall.id
    assert (change.seating.place.capacity, change.seating.place.seated) == (10, 3)
    planned = a_seminar(S.PLANNED)
    first = choose_venue(planned, hall, hall.id, None, [], place_id=uuid.uuid4(), actor="c", at=AT)
    assert first.created
    assert first.events == ()  # integrators learn it from seminar.scheduled


def test_only_coordinators_manage_and_the_public_sees_only_published_seminars() -> None:
    coordinator = Principal(subject="sato", role=Role.COORDINATOR)
    auditor = Principal(subject="kansa", role=Role.AUDITOR)
    officer = Principal(subject="hiranai", role=Role.MUNICIPALITY, municipality=HIRANAI.code)
    access.ensure_may_manage(coordinator)
    with pytest.raises(Forbidden) as refused:
        access.ensure_may_manage(auditor)
    assert refused.value.message.ja.endswith(
        "コーディネーターだけが行えます（あなたは監査担当です）"
    )
    access.ensure_may_read_personal(auditor)
    with pytest.raises(Forbidden):
        access.ensure_may_read_personal(officer)
    access.ensure_may_read_figures(officer)
    assert access.reads_comments(auditor)
    assert not access.reads_comments(officer)
    planned = a_seminar(S.PLANNED)
    with pytest.raises(NotFound):
        access.ensure_visible(None, planned)
    with pytest.raises(NotFound):
        access.ensure_visible(officer, planned)
    assert access.ensure_visible(auditor, planned) is planned
    assert access.ensure_visible(None, a_seminar(S.SCHEDULED)).state is S.SCHEDULED
    assert access.registrant_actor(None, planned.id) == f"registrant:{planned.id}"
    assert access.registrant_actor(coordinator, planned.id) == "coordinator:sato"
