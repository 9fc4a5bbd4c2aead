"""Single values and report periods, as desk staff and the council type them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tosei_common.platform.errors import InputError, Unprocessable
from tosei_common.region.fiscal import TOKYO
from tosei_common.region.inputs import check_email, check_fiscal_year, check_phone, check_text
from tosei_common.region.text import email_key, phone_key
from tosei_intake.domain import values
from tosei_intake.domain.periods import period
from tosei_intake.domain.reports import CountBy, count_rows

NOW = datetime(2026, 10, 5, 3, 0, tzinfo=UTC)


def person_name(typed: str) -> str:
    """A name as the desk's form and the hand-over import take it."""
    return values.recognisable_name(check_text(typed, max_length=values.NAME_MAX))


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("山田\x00太郎", "control characters"),
        ("山田\ud800", "not text"),
        ("山田\n太郎", "control characters"),
        ("x" * 101, "longer than 100"),
        ("　 ", "is empty"),
        ("・・", "is empty"),
    ],
)
def test_names_that_cannot_be_stored_or_read_are_refused(typed: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem) as refused:
        person_name(typed)
    assert refused.value.message.ja != refused.value.message.en  # said in Japanese too


def test_text_is_stored_as_typed_with_its_line_breaks_where_allowed() -> None:
    assert person_name("　山田　　太郎 ") == "山田　　太郎"
    typed = "融資の相談。\r\n　返済計画も　ＡＢＣ～。 "
    assert (
        check_text(typed, max_length=50, multiline=True) == "融資の相談。\n　返済計画も　ＡＢＣ～。"
    )


def test_phones_are_kept_in_one_spelling_and_emails_as_typed() -> None:
    assert check_phone("０１７－７２３－１１１１") == "017-723-1111"
    assert check_phone("0177231111") == "017-723-1111"
    assert check_phone("  ") is None
    assert check_email(" Taro.Yamada@Example.JP ") == "Taro.Yamada@Example.JP"
    # only the keys that recognise a client are normalised
    assert phone_key("017-723-1111") == phone_key("０１７７２３１１１１") == "0177231111"
    assert email_key("Taro.Yamada@Example.JP") == "taro.yamada@example.jp"
    with pytest.raises(InputError, match="not a Japanese phone number"):
        check_phone("12-34")


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
    span = period(None, None, 2020)
    assert span.label == "令和2年度"
    assert span.start == datetime(2020, 3, 31, 15, 0, tzinfo=UTC)
    assert span.end == datetime(2021, 3, 31, 15, 0, tzinfo=UTC)
    assert period(None, None, check_fiscal_year("平成31年度")).label == "令和元年度"


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
        ("9999/12/31", None, None, "from"),
        ("2020/4/1", None, 2020, "fiscal_year"),
    ],
)
def test_a_period_that_cannot_be_read_names_its_parameter(
    from_: str | None, to: str | None, fy: int | None, field: str
) -> None:
    with pytest.raises(Unprocessable) as refused:
        period(from_, to, fy)
    assert set(refused.value.fields) == {field}


def test_a_period_that_cannot_be_read_is_explained_in_japanese() -> None:
    with pytest.raises(Unprocessable) as refused:
        period(None, "2021/2/30", None)
    assert refused.value.fields["to"].ja == "「2021/2/30」は存在しない日付です"
    with pytest.raises(Unprocessable) as both:
        period("2020/4/1", None, 2020)
    assert both.value.message.ja.startswith("年度と期間（from/to）は一緒に指定できません")


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
