"""The KPI page rounds from the counts, half up (四捨五入), as the council counts by hand."""

from __future__ import annotations

from tosei_console.api.pages import TEMPLATES
from tosei_console.domain.figures import mean_of, percent_of


def test_the_ratio_to_the_baseline_is_rounded_once_and_half_up() -> None:
    assert percent_of(11, 244) == "5%"  # 4.508 %; 0.045 from the service showed 4 %
    assert percent_of(61, 244) == "25%"
    assert percent_of(1, 8) == "13%"  # 12.5 %
    assert percent_of(520, 500) == "104%"
    assert percent_of(3, 0) == "—"


def test_the_satisfaction_mean_is_worked_out_from_the_ratings() -> None:
    assert mean_of({"4": 3, "5": 1}) == "4.3"  # 4.25; "%.1f" of the mean showed 4.2
    assert mean_of({"4": 1, "5": 1}) == "4.5"
    assert mean_of({"5": 2}) == "5.0"
    assert mean_of({}) == "—"


def test_the_kpi_page_uses_them() -> None:
    page = TEMPLATES.from_string("{{ 11|percent_of(244) }} {{ {'4': 3, '5': 1}|mean_of }}")
    assert page.render() == "5% 4.3"
    source = (TEMPLATES.loader.get_source(TEMPLATES, "kpi/report.html"))[0]  # type: ignore[union-attr]
    assert "|percent_of(c.baseline)" in source
    assert "satisfaction_distribution|mean_of" in source
    assert "%.0f" not in source
    assert "%.1f" not in source
