"""The KPI page's bar charts, drawn on the server."""

from __future__ import annotations

import re

import pytest

from tosei_console.domain.charts import (
    Bar,
    bar_chart,
    has_data,
    horizontal_bar_chart,
    nice_ceiling,
    ticks,
    total,
)


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0, 1), (1, 1), (2, 2), (3, 5), (6, 10), (11, 20), (21, 50), (500, 500)]
)
def test_the_axis_ends_at_the_next_1_2_or_5(value: int, ceiling: int) -> None:
    assert nice_ceiling(value) == ceiling


@pytest.mark.parametrize(
    ("top", "gridlines"),
    [
        (1, [0, 1]),
        (2, [0, 1, 2]),
        (5, [0, 1, 2, 3, 4, 5]),
        (10, [0, 2, 4, 6, 8, 10]),
        (20, [0, 5, 10, 15, 20]),
        (50, [0, 10, 20, 30, 40, 50]),
        (200, [0, 50, 100, 150, 200]),
    ],
)
def test_gridlines_are_whole_counts(top: int, gridlines: list[int]) -> None:
    assert ticks(top) == gridlines


def test_a_chart_says_its_figures_to_a_screen_reader_and_draws_each_month() -> None:
    bars = [Bar("4月", 3), Bar("5月", 0), Bar("6月", 12)]
    svg = bar_chart("chart-x", "月別の相談件数", bars, unit="件", target=41.7, target_label="平均")
    assert '<title id="chart-x-title">月別の相談件数</title>' in svg
    assert '<desc id="chart-x-desc">4月 3件、5月 0件、6月 12件</desc>' in svg
    assert len(re.findall(r"<rect ", svg)) == 3
    assert ">50</text>" in svg  # the axis reaches past the target line
    assert 'stroke-dasharray="6 4"' in svg


def test_outcomes_by_type_sum_to_one_figure_and_an_empty_year_has_no_chart() -> None:
    assert total({"founded": 2, "sales_increased": 3}) == 5
    assert total(7) == 7
    assert not has_data([Bar("4月", 0), Bar("5月", 0)])
    assert has_data([Bar("4月", 0), Bar("5月", 1)])


def test_a_hidden_month_is_drawn_empty_and_said_as_hidden() -> None:
    bars = [Bar("4月", None), Bar("5月", 0), Bar("6月", 12)]
    svg = bar_chart("chart-x", "月別の相談件数", bars, unit="件")
    assert '<desc id="chart-x-desc">4月 ―、5月 0件、6月 12件</desc>' in svg
    assert "<title>4月 ―</title>" in svg
    assert has_data([Bar("4月", None)])


def test_a_sum_with_a_hidden_part_is_hidden() -> None:
    assert total({"founded": 4, "financing_obtained": None}) is None
    assert total({"founded": 4, "financing_obtained": 1}) == 5
    assert total(None) is None


def test_a_chart_of_roles_has_a_row_per_role_and_says_the_hidden_ones() -> None:
    bars = [Bar("歯科医師・歯科衛生士", 2), Bar("看護師", 0), Bar("住民", None)]
    svg = horizontal_bar_chart("chart-r", "職種別の出席者数", bars, unit="人")
    assert (
        '<desc id="chart-r-desc">歯科医師・歯科衛生士 2人、看護師 0人、住民 ―人</desc>' not in svg
    )
    assert '<desc id="chart-r-desc">歯科医師・歯科衛生士 2人、看護師 0人、住民 ―</desc>' in svg
    assert len(re.findall(r"<rect ", svg)) == 3
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths[0] > 0
    assert widths[1] == widths[2] == 0  # nobody, and a hidden figure: no bar
    assert ">―</text>" in svg
