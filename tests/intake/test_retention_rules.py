"""Which clients are past the desk's retention period on a day (the pure rule)."""

from __future__ import annotations

import uuid
from datetime import date

from tosei_common.region.retention_periods import period_ends
from tosei_intake.domain.retention import CaseAtDesk, ClientOnFile, Verdict, decide


def case(closed_on: date | None, *, heard_of: bool = True, legacy: str | None = None) -> CaseAtDesk:
    return CaseAtDesk(uuid.uuid4(), date(2019, 6, 1), closed_on, heard_of, legacy)


def client(*cases: CaseAtDesk, held: bool = False) -> ClientOnFile:
    return ClientOnFile(uuid.uuid4(), cases, held)


def test_a_client_is_erased_five_years_after_the_last_of_their_cases_closed() -> None:
    two = client(case(date(2020, 3, 31)), case(date(2021, 3, 31)))
    kept = decide(two, date(2026, 3, 30), 5)
    assert (kept.verdict, kept.period_ended_on) == (Verdict.KEPT, date(2026, 3, 31))
    due = decide(two, date(2026, 3, 31), 5)
    assert due.verdict is Verdict.DUE
    assert "2021-03-31" in due.why
    assert "全2件" in due.why
    # the council's shorter period takes effect the same way
    assert decide(two, date(2024, 3, 31), 3).verdict is Verdict.DUE


def test_an_open_or_reopened_case_keeps_every_record_of_its_client() -> None:
    reopened = case(None)  # caseflow said closed, then reopened
    never_heard = case(None, heard_of=False)
    for open_case in (reopened, never_heard):
        verdict = decide(client(case(date(2015, 1, 1)), open_case), date(2030, 1, 1), 5)
        assert verdict.verdict is Verdict.KEPT
        assert "終結していない案件が1件" in verdict.why


def test_a_case_handed_over_closed_counts_from_its_consultation_day() -> None:
    handed_over = case(None, heard_of=False, legacy="closed")
    assert decide(client(handed_over), date(2024, 6, 1), 5).verdict is Verdict.DUE
    assert decide(client(handed_over), date(2024, 5, 31), 5).verdict is Verdict.KEPT


def test_a_legal_hold_keeps_a_client_past_their_period_and_says_so() -> None:
    held = decide(client(case(date(2019, 7, 1)), held=True), date(2026, 1, 1), 5)
    assert held.verdict is Verdict.HELD
    assert "訴訟等による保存" in held.why


def test_a_period_from_29_february_ends_on_1_march() -> None:
    assert period_ends(date(2020, 2, 29), 5) == date(2025, 3, 1)
    assert period_ends(date(2020, 2, 29), 4) == date(2024, 2, 29)
