"""Single values and report periods, as desk staff and the council type them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tosei_common.platform.errors import Unprocessable
from tosei_common.region.fiscal import TOKYO
from tosei_intake.domain import values
from tosei_intake.domain.periods import period
from tosei_intake.domain.reports import CountBy, count_rows

NOW = datetime(2026, 10, 5, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("山田\x00太郎", "control characters"),
        ("山田\ud800", "not valid Unicode"),
        ("山田\n太郎", "control characters"),
        ("x" * 101, "longer than 100"),
        ("　 ", "is empty"),
    ],
)
def test_names_that_cannot_be_stored_or_read_are_refused(typed: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        values.person_name(typed)


def test_text_is_tidied_but_keeps_its_line_breaks_where_allowed() -> None:
    assert values.person_name("　山田　　太郎 ") == "山田 太郎"
    typed = "融資の相談。\r\n　返済計画も。 "
    assert values.text(typed, max_length=50, multiline=True) == "融資の相談。\n返済計画も。"


def test_phones_and_emails_are_checked_and_kept_as_typed() -> None:
    assert values.phone("０１７－７２３－１１１１") == "017-723-1111"
    assert values.phone("  ") is None
    assert values.email(" Taro.Yamada@Example.JP ") == "taro.yamada@example.jp"
    with pytest.raises(ValueError, match="not a Japanese phone number"):
        values.phone("12-34")


def test_a_consultation_time_without_a_zone_is_japan_time() -> None:
    naive = datetime(2026, 10, 5, 10, 30)  # noqa: DTZ001  (the point of the test)
    assert values.consultation_time(naive, NOW) == datetime(2026, 10, 5, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1, 1, 1, tzinfo=TOKYO),
        datetime(1999, 12, 31, tzinfo=TOKYO),
        datetime(9999, 12, 31, 23, 59, tzinfo=TOKYO),
    ],
)
def test_consultation_times_outside_the_desk_s_records_are_refused(moment: datetime) -> None:
    with pytest.raises(ValueError, match=r"before|future"):
        values.consultation_time(moment, NOW)


def test_a_fiscal_year_runs_april_to_march_in_japan_time() -> None:
    span = period(None, None, "令和2年度")
    assert span.label == "令和2年度"
    assert span.start == datetime(2020, 3, 31, 15, 0, tzinfo=UTC)
    assert span.end == datetime(2021, 3, 31, 15, 0, tzinfo=UTC)
    assert period(None, None, "平成31年度").label == "令和元年度"


def test_dates_of_a_period_are_inclusive_days() -> None:
    span = period("R2.9.1", "2020/9/30", None)
    assert span.start == datetime(2020, 8, 31, 15, 0, tzinfo=UTC)
    assert span.end == datetime(2020, 9, 30, 15, 0, tzinfo=UTC)
    assert span.label == "2020-09-01〜2020-09-30"
    assert period(None, None, None).label == "全期間"


@pytest.mark.parametrize(
    ("from_", "to", "fy", "field"),
    [
        ("いつか", None, None, "from"),
        (None, "2021/2/30", None, "to"),
        ("2020/10/1", "2020/9/1", None, "to"),
        (None, None, "来年度", "fiscal_year"),
        (None, None, "9999", "fiscal_year"),
        ("9999/12/31", None, None, "from"),
        ("2020/4/1", None, "令和2年度", "fiscal_year"),
    ],
)
def test_a_period_that_cannot_be_read_names_its_parameter(
    from_: str | None, to: str | None, fy: str | None, field: str
) -> None:
    with pytest.raises(Unprocessable) as refused:
        period(from_, to, fy)
    assert set(refused.value.fields) == {field}


def test_count_tables_list_every_municipality_and_category() -> None:
    towns = count_rows(CountBy.MUNICIPALITY, {"023078": 2})
    assert [(r.label, r.count) for r in towns] == [
        ("青森市", 0),
        ("平内町", 0),
        ("今別町", 0),
        ("外ヶ浜町", 2),
        ("蓬田村", 0),
    ]
    categories = count_rows(CountBy.CATEGORY, {"crisis": 1})
    assert len(categories) == 8
    assert ("危機対応", 1) in [(r.label, r.count) for r in categories]
