"""Figures on the console's pages, rounded half up (四捨五入) from the counts themselves.

Formatting a figure the service already rounded (``"%.0f" % (ratio * 100)``) rounds twice and
half to even: 11 of 244 (4.508 %) arrives as 0.045 and showed 4 %, a mean of 4.25 showed 4.2.
So the page works from the counts the report carries, through the one rounding helper.
"""

from __future__ import annotations

from collections.abc import Mapping

from tosei_common.region.rounding import mean, percent

NOTHING = "—"


def percent_of(part: int, whole: int | None, places: int = 0) -> str:
    """``part`` as a percentage of ``whole`` (11 of 244 → "5%"); a dash without a whole."""
    return percent(part, whole, places) if whole else NOTHING


def mean_of(distribution: Mapping[str, int], places: int = 1) -> str:
    """The mean of 1–5 ratings from their counts ({"4": 3, "5": 1} → "4.3"); a dash when
    nobody rated."""
    ratings = [int(score) for score, count in distribution.items() for _ in range(count)]
    found = mean(ratings, places)
    return NOTHING if found is None else f"{found:.{places}f}"
