"""Figures in the council's reports, rounded as Japanese offices round them: 四捨五入.

Python's ``round`` rounds half to even on the binary value (5 of 16 = 0.3125 → 0.312, and
4.005 is stored as 4.00499… → 4.0), so a report disagrees with the same figure worked out by hand
or in Excel. Every rate, percentage and mean a report shows goes through here: computed exactly
in ``Decimal`` and rounded half up (away from zero).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["half_up", "mean", "percent", "ratio"]


def half_up(value: Decimal | int, places: int) -> Decimal:
    """``value`` rounded half up (四捨五入) to ``places`` decimals."""
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def ratio(part: int, whole: int, places: int = 3) -> float | None:
    """``part / whole`` rounded half up (5 of 16 → 0.313); None when ``whole`` is 0 — no rate
    rather than 0 %."""
    if not whole:
        return None
    return float(half_up(Decimal(part) / Decimal(whole), places))


def percent(part: int, whole: int, places: int = 1) -> str:
    """``part / whole`` as a percentage for a person to read (5 of 16 → "31.3%"); "" when
    ``whole`` is 0."""
    if not whole:
        return ""
    return f"{half_up(Decimal(part) * 100 / Decimal(whole), places)}%"


def mean(values: Sequence[int], places: int = 2) -> float | None:
    """The mean of whole-number answers (1–5 ratings) rounded half up (4, 4, 4, 5, 5, 4, 4, 3
    → 4.13); None when nobody answered."""
    if not values:
        return None
    return float(half_up(Decimal(sum(values)) / Decimal(len(values)), places))
