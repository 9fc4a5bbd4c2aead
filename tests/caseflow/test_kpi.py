"""KPIs over two fiscal years, checked against figures counted by hand.

The facts (clients A–D, cases c1–c5) cross the 31 March / 1 April boundary on purpose.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

from tosei_caseflow.domain import kpi, kpi_cells
from tosei_common.catalogue.caseflow import OutcomeType, ReferralStatus, Track
from tosei_common.catalogue.intake import Category, Origin

A, B, C, D = (uuid.UUID(int=i) for i in (0xA, 0xB, 0xC, 0xD))
c1, c2, c3, c4, c5 = (uuid.UUID(int=100 + i) for i in range(1, 6))
ST, SME = Track.STARTUP, Track.SME
F = Category

FACTS = kpi.Facts(
    cases=(
        kpi.CaseFact(
            c1, A, date(2020, 6, 10), Origin.NEW_DESK, ST, "022012", (F.FOUNDING_PLAN, F.FINANCING)
        ),
        kpi.CaseFact(c2, B, date(2021, 3, 31), Origin.NEW_DESK, SME, "023019", (F.SALES_CHANNELS,)),
        kpi.CaseFact(c3, A, date(2021, 4, 1), Origin.NEW_DESK, ST, "022012", (F.FINANCING,)),
        kpi.CaseFact(
            c4, C, date(2021, 5, 20), Origin.STARTUP_DESK, ST, "023078", (F.FOUNDING_PLAN,)
        ),
        kpi.CaseFact(
            c5, D, date(2021, 10, 1), Origin.NEW_DESK, SME, "023043", (F.SUCCESSION, F.HR)
        ),
    ),
    sessions=(
        kpi.SessionFact(c1, date(2020, 6, 15), ST),
        kpi.SessionFact(c1, date(2020, 7, 1), ST),
        kpi.SessionFact(c1, date(2021, 4, 10), ST),
        kpi.SessionFact(c2, date(2021, 4, 2), SME),
        kpi.SessionFact(c3, date(2021, 4, 5), ST),
        kpi.SessionFact(c3, date(2021, 4, 20), ST),
        kpi.SessionFact(c4, date(2021, 6, 1), ST),
        kpi.SessionFact(c4, date(2021, 9, 15), SME),
        kpi.SessionFact(c5, date(2021, 10, 3), SME),
    ),
    outcomes=(
        kpi.OutcomeFact(c1, OutcomeType.FOUNDED, date(2021, 2, 1), None, ST),
        kpi.OutcomeFact(c4, OutcomeType.FOUNDED, date(2021, 7, 1), None, ST),
        kpi.OutcomeFact(c4, OutcomeType.JOBS_CREATED, date(2021, 12, 1), 2, SME),
        kpi.OutcomeFact(c3, OutcomeType.FINANCING_OBTAINED, date(2021, 6, 30), None, ST),
    ),
    closes=(
        kpi.CloseFact(c1, date(2021, 5, 1), 5, ST),
        kpi.CloseFact(c2, date(2021, 4, 30), 4, SME),
        kpi.CloseFact(c5, date(2022, 3, 31), None, SME),
    ),
    transfers=(kpi.TransferFact(c4, date(2021, 9, 1), ST, SME),),
    referrals=(
        kpi.ReferralFact(c3, date(2021, 5, 1), date(2021, 6, 15), ReferralStatus.COMPLETED, ST),
        kpi.ReferralFact(c5, date(2022, 1, 10), None, ReferralStatus.ACCEPTED, SME),
    ),
)


def test_fy2021_against_hand_counted_figures() -> None:
    total = kpi.report(FACTS, 2021).total
    assert total.consultations == 7
    assert total.new_cases == 3
    assert total.new_cases_by_origin == {"new_desk": 2, "startup_desk": 1}
    assert total.distinct_clients == 4  # A, B, C, D
    # consulted on two or more days: A (3 days) and C (2); B and D had one session each
    assert total.repeat_clients == 2
    assert total.founders == 1
    assert total.outcomes == {"financing_obtained": 1, "founded": 1, "jobs_created": 1}
    assert total.jobs_created == 2
    assert total.satisfaction_ratings == 2
    assert total.satisfaction_not_answered == 1  # c5, closed unrated on 31 March 2022
    assert total.satisfaction_average == 4.5
    assert total.satisfaction_distribution == {"4": 1, "5": 1}
    assert total.transfers == 1
    assert total.referrals_requested == 2
    assert total.referrals_completed == 1
    assert total.median_days_to_first_session == 4.0  # 4, 12 and 2 days


def test_fy2020_against_hand_counted_figures() -> None:
    total = kpi.report(FACTS, 2020).total
    assert total.consultations == 2
    assert total.new_cases == 2  # c2 opened on 31 March 2021 belongs to FY2020
    assert total.distinct_clients == 2
    assert total.repeat_clients == 1
    assert total.founders == 1
    assert total.satisfaction_ratings == 0
    assert total.satisfaction_average is None
    assert total.median_days_to_first_session == 3.5  # 5 and 2 days


def test_months_run_april_to_march() -> None:
    months = kpi.report(FACTS, 2021).months
    assert list(months) == [
        "2021-04", "2021-05", "2021-06", "2021-07", "2021-08", "2021-09",
        "2021-10", "2021-11", "2021-12", "2022-01", "2022-02", "2022-03",
    ]  # fmt: skip
    assert months["2021-04"].consultations == 4
    assert months["2021-04"].new_cases == 1
    assert months["2022-03"].satisfaction_ratings == 0  # c5 closed without a rating
    assert sum(m.consultations for m in months.values()) == 7


def test_tracks_count_each_fact_in_the_track_it_had_then() -> None:
    report = kpi.report(FACTS, 2021)
    startup, sme = report.by_track["startup"], report.by_track["sme"]
    assert (startup.consultations, startup.new_cases, startup.founders) == (4, 2, 1)
    # c4's session after its transfer counts for the SME experts
    assert (sme.consultations, sme.new_cases, sme.founders) == (3, 1, 0)


def test_the_fy2019_baseline_of_the_old_desks_is_compared() -> None:
    baseline = kpi.report(FACTS, 2021).baseline
    assert baseline["startup"]["consultations"] == {"value": 4, "baseline": 500, "ratio": 0.008}
    assert baseline["startup"]["founders"] == {"value": 1, "baseline": 20, "ratio": 0.05}
    assert baseline["sme"]["consultations"] == {"value": 3, "baseline": 244, "ratio": 0.012}


def test_municipality_and_category_breakdowns_follow_the_case() -> None:
    report = kpi.report(FACTS, 2021)
    aomori = report.by_municipality["022012"]
    assert (aomori.new_cases, aomori.consultations) == (1, 3)
    assert report.by_municipality["023078"].consultations == 2
    assert report.by_category["financing"].new_cases == 1
    assert report.by_category["founding_plan"].new_cases == 1
    assert report.by_category["succession"].new_cases == 1


def test_a_founding_recorded_after_the_move_to_sme_counts_for_the_startup_track() -> None:
    """c6 founded on 1 November while with the startup experts; the outcome was entered after
    the case moved to SME on 10 November, so the event carries SME."""
    c6 = uuid.UUID(int=106)
    facts = kpi.Facts(
        cases=(kpi.CaseFact(c6, A, date(2026, 9, 1), Origin.NEW_DESK, ST, "022012", ()),),
        sessions=(kpi.SessionFact(c6, date(2026, 10, 1), SME),),  # entered late as well
        outcomes=(kpi.OutcomeFact(c6, OutcomeType.FOUNDED, date(2026, 11, 1), None, SME),),
        transfers=(kpi.TransferFact(c6, date(2026, 11, 10), ST, SME),),
    )
    report = kpi.report(facts, 2026)
    assert report.by_track["startup"].founders == 1
    assert report.by_track["sme"].founders == 0
    assert report.by_track["startup"].consultations == 1
    assert report.baseline["startup"]["founders"]["value"] == 1


def test_on_the_day_of_a_transfer_the_track_recorded_with_the_fact_decides() -> None:
    c6 = uuid.UUID(int=106)
    moved = kpi.TransferFact(c6, date(2026, 11, 10), ST, SME)
    facts = kpi.Facts(
        cases=(kpi.CaseFact(c6, A, date(2026, 9, 1), Origin.NEW_DESK, ST, "022012", ()),),
        transfers=(moved,),
    )
    assert facts.track_on(c6, date(2026, 11, 10), ST) is ST  # held before the hand-over
    assert facts.track_on(c6, date(2026, 11, 10), SME) is SME  # by the new expert
    assert facts.track_on(c6, date(2026, 11, 11), ST) is SME
    assert facts.track_on(c6, date(2026, 11, 9), SME) is ST


def test_no_figure_is_negative_even_with_a_session_recorded_before_its_case() -> None:
    """Such a session is refused now; one recorded before that rule does not make a wait."""
    c6 = uuid.UUID(int=106)
    facts = kpi.Facts(
        cases=(kpi.CaseFact(c6, A, date(2026, 5, 12), Origin.NEW_DESK, ST, "022012", ()),),
        sessions=(kpi.SessionFact(c6, date(2026, 5, 1), ST),),
    )
    total = kpi.report(facts, 2026).total
    assert total.median_days_to_first_session is None
    assert all(value >= 0 for value in vars(total).values() if isinstance(value, int | float))


def test_a_case_reopened_and_closed_again_is_rated_once_and_unrated_closings_are_counted() -> None:
    c6, c7 = uuid.UUID(int=106), uuid.UUID(int=107)
    facts = kpi.Facts(
        cases=(
            kpi.CaseFact(c6, A, date(2026, 4, 10), Origin.NEW_DESK, ST, "022012", ()),
            kpi.CaseFact(c7, B, date(2026, 4, 10), Origin.NEW_DESK, SME, "023019", ()),
        ),
        closes=(
            kpi.CloseFact(c6, date(2026, 6, 1), 2, ST),
            kpi.CloseFact(c6, date(2026, 9, 1), 5, ST),  # reopened, then closed again
            kpi.CloseFact(c7, date(2026, 7, 1), None, SME),  # 回答なし
        ),
    )
    total = kpi.report(facts, 2026).total
    assert (total.satisfaction_ratings, total.satisfaction_average) == (1, 5.0)
    assert total.satisfaction_distribution == {"5": 1}
    assert total.satisfaction_not_answered == 1
    june = kpi.report(facts, 2026).months["2026-06"]
    assert june.satisfaction_ratings == 0  # the earlier rating was replaced by the later one


def test_a_repeat_client_came_back_on_another_day() -> None:
    """実相談者数 vs 延べ相談件数: registering and a first session on one day is one visit;
    two sessions on one day too; a session on a second day makes a repeat client."""
    c6, c7, c8 = (uuid.UUID(int=n) for n in (106, 107, 108))
    facts = kpi.Facts(
        cases=(
            kpi.CaseFact(c6, A, date(2026, 5, 12), Origin.NEW_DESK, ST, "022012", ()),
            kpi.CaseFact(c7, B, date(2026, 5, 12), Origin.NEW_DESK, ST, "022012", ()),
            kpi.CaseFact(c8, C, date(2026, 5, 12), Origin.NEW_DESK, ST, "022012", ()),
        ),
        sessions=(
            kpi.SessionFact(c6, date(2026, 5, 12), ST),
            kpi.SessionFact(c7, date(2026, 5, 12), ST),
            kpi.SessionFact(c7, date(2026, 5, 12), ST),
            kpi.SessionFact(c8, date(2026, 5, 12), ST),
            kpi.SessionFact(c8, date(2026, 6, 2), ST),
        ),
    )
    total = kpi.report(facts, 2026).total
    assert (total.distinct_clients, total.repeat_clients, total.consultations) == (3, 1, 5)


def test_the_satisfaction_mean_rounds_half_up_as_counted_by_hand() -> None:
    ratings = [4, 4, 4, 5, 5, 4, 4, 3]  # 33 / 8 = 4.125: 四捨五入 4.13, not round()'s 4.12
    cases = tuple(uuid.UUID(int=200 + i) for i in range(len(ratings)))
    facts = kpi.Facts(
        cases=tuple(
            kpi.CaseFact(c, A, date(2026, 4, 10), Origin.NEW_DESK, ST, "022012", ()) for c in cases
        ),
        closes=tuple(
            kpi.CloseFact(c, date(2026, 6, 1), r, ST) for c, r in zip(cases, ratings, strict=True)
        ),
    )
    assert kpi.report(facts, 2026).total.satisfaction_average == 4.13


def _town_cases(*opened: date) -> kpi.Facts:
    return kpi.Facts(
        cases=tuple(
            kpi.CaseFact(
                uuid.UUID(int=900 + i),
                uuid.UUID(int=800 + i),
                day,
                Origin.NEW_DESK,
                ST,
                "023035",
                (F.FOUNDING_PLAN,),
            )
            for i, day in enumerate(opened)
        ),
        sessions=tuple(
            kpi.SessionFact(uuid.UUID(int=900 + i), day, ST) for i, day in enumerate(opened)
        ),
        closes=tuple(
            kpi.CloseFact(uuid.UUID(int=900 + i), day, 4, ST) for i, day in enumerate(opened)
        ),
    )


def test_a_lone_small_month_of_a_shown_year_takes_the_next_smallest_month_with_it() -> None:
    # 今別町, FY2021: one case in May, four in June, five in July (ten in the year)
    days = [date(2021, 5, 10)] + [date(2021, 6, d) for d in range(1, 5)]
    days += [date(2021, 7, d) for d in range(1, 6)]
    shown = kpi_cells.suppress(kpi.report(_town_cases(*days), 2021, municipality="023035"), 3)
    assert shown.hidden_in("total") == frozenset()
    assert "new_cases" in (shown.hidden_in("months", "2021-05") or ())
    assert "new_cases" in (shown.hidden_in("months", "2021-06") or ())  # else 10 − 5 − 4 = 1
    assert "new_cases" not in (shown.hidden_in("months", "2021-07") or ())
    assert "new_cases" not in (shown.hidden_in("months", "2021-08") or ())  # 0 is shown
    # the month of one rating hides its mean too; the year's ten ratings do not
    assert "satisfaction_average" in (shown.hidden_in("months", "2021-05") or ())
    assert "satisfaction_average" not in (shown.hidden_in("total") or ())


def test_categories_overlap_and_hide_only_their_own_small_cells() -> None:
    days = [date(2021, 6, d) for d in range(1, 5)]
    facts = _town_cases(*days)
    tagged = replace(facts.cases[0], categories=(F.FOUNDING_PLAN, F.FINANCING))
    facts = replace(facts, cases=(tagged, *facts.cases[1:]))
    shown = kpi_cells.suppress(kpi.report(facts, 2021, municipality="023035"), 3)
    assert "new_cases" in (shown.hidden_in("by_category", "financing") or ())
    assert "new_cases" not in (shown.hidden_in("by_category", "founding_plan") or ())


def test_threshold_one_hides_nothing_from_anyone() -> None:
    shown = kpi_cells.suppress(kpi.report(_town_cases(date(2021, 5, 10)), 2021), 1)
    assert shown.hidden is not None
    assert not any(shown.hidden.values())
