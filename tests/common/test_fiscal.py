"""Fiscal years (April–March) and their Japanese-era labels, across the boundaries."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tosei_common.region.fiscal import (
    DateParseError,
    fiscal_year,
    fiscal_year_bounds,
    fiscal_year_display,
    fiscal_year_label,
    fiscal_year_labels,
    japanese_date,
    parse_date,
    parse_fiscal_year,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2021, 3, 31), 2020),
        (date(2021, 4, 1), 2021),
        (date(2022, 3, 31), 2021),
        (date(2019, 4, 30), 2019),
        (date(2019, 5, 1), 2019),
        (date(2020, 1, 1), 2019),
    ],
)
def test_a_fiscal_year_runs_from_april_to_march(day: date, expected: int) -> None:
    assert fiscal_year(day) == expected


def test_a_moment_is_placed_in_japan_s_calendar_first() -> None:
    # 15:30 UTC on 31 March is 00:30 on 1 April in Tokyo: the new fiscal year.
    assert fiscal_year(datetime(2021, 3, 31, 15, 30, tzinfo=UTC)) == 2021
    assert fiscal_year(datetime(2021, 3, 31, 14, 59, tzinfo=UTC)) == 2020


def test_fiscal_year_bounds() -> None:
    assert fiscal_year_bounds(2021) == (date(2021, 4, 1), date(2022, 3, 31))


@pytest.mark.parametrize(
    ("fy", "labels"),
    [
        (2021, ["令和3年度"]),
        (2020, ["令和2年度"]),
        (2019, ["令和元年度", "平成31年度"]),
        (2018, ["平成30年度"]),
        (1989, ["平成元年度"]),
        (1988, ["昭和63年度"]),
    ],
)
def test_era_labels_of_fiscal_years(fy: int, labels: list[str]) -> None:
    assert fiscal_year_labels(fy) == labels
    assert fiscal_year_label(fy) == labels[0]


def test_reports_head_columns_with_both_calendars() -> None:
    assert fiscal_year_display(2021) == "令和3年度 (FY2021)"
    assert fiscal_year_display(2019) == "令和元年度 (FY2019)"


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2020, 1, 1), "令和2年1月1日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
    ],
)
def test_dates_take_the_era_in_effect_that_day(day: date, text: str) -> None:
    assert japanese_date(day) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020/9/15", date(2020, 9, 15)),
        ("2020-09-15", date(2020, 9, 15)),
        ("２０２０／９／１５", date(2020, 9, 15)),
        ("2020年9月15日", date(2020, 9, 15)),
        ("20200915", date(2020, 9, 15)),
        ("令和2年9月15日", date(2020, 9, 15)),
        ("令和２年９月１５日", date(2020, 9, 15)),
        ("R2.9.15", date(2020, 9, 15)),
        ("r02/09/15", date(2020, 9, 15)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("H31.4.30", date(2019, 4, 30)),
        ("平成31年4月1日", date(2019, 4, 1)),
        (" 2020/9/15 ", date(2020, 9, 15)),
    ],
)
def test_dates_as_people_type_them(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "no date"),
        ("2021/2/30", "does not exist"),
        ("令和3年13月1日", "does not exist"),
        ("令和0年5月1日", "元年"),
        ("来週の月曜", "not a date"),
    ],
)
def test_impossible_or_unreadable_dates_say_why(text: str, problem: str) -> None:
    with pytest.raises(DateParseError, match=problem):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "japanese"),
    [
        ("", "日付がありません"),
        ("2021/2/30", "「2021/2/30」は存在しない日付です"),
        ("来週の月曜", "日付として読めません"),
    ],
)
def test_a_date_that_cannot_be_read_is_explained_in_japanese_too(text: str, japanese: str) -> None:
    with pytest.raises(DateParseError) as refused:
        parse_date(text)
    assert japanese in refused.value.message.ja
    assert refused.value.message.en == str(refused.value)


@pytest.mark.parametrize(
    ("text", "fy"),
    [
        ("2021", 2021),
        ("FY2021", 2021),
        ("2021年度", 2021),
        ("令和3年度", 2021),
        ("令和元年度", 2019),
        ("平成31年度", 2019),
        ("R3", 2021),
        ("Ｒ３", 2021),
    ],
)
def test_fiscal_years_as_people_type_them(text: str, fy: int) -> None:
    assert parse_fiscal_year(text) == fy
