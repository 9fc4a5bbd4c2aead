"""Report figures are rounded as a person rounds them by hand or in Excel: 四捨五入 (half up)."""

from __future__ import annotations

from decimal import Decimal

from tosei_common.region.rounding import half_up, mean, percent, ratio


def test_a_half_rounds_up_not_to_even() -> None:
    assert ratio(5, 16) == 0.313  # 0.3125; round() gives 0.312
    assert percent(5, 16) == "31.3%"
    assert percent(1, 8) == "12.5%"
    assert percent(1, 16) == "6.3%"  # 6.25
    assert ratio(1, 3) == 0.333
    assert percent(2, 3) == "66.7%"
    assert percent(16, 16) == "100.0%"


def test_a_figure_binary_floats_cannot_hold_exactly_still_rounds_half_up() -> None:
    assert mean([4] * 199 + [5]) == 4.01  # 4.005, which a float holds as 4.00499…
    assert mean([4, 4, 4, 5, 5, 4, 4, 3]) == 4.13  # 4.125
    assert half_up(Decimal("2.675"), 2) == Decimal("2.68")  # round(2.675, 2) == 2.67


def test_nothing_to_divide_by_gives_no_figure_rather_than_zero() -> None:
    assert ratio(0, 0) is None
    assert percent(0, 0) == ""
    assert mean([]) is None
