"""Retention periods as dates (pure): when a period of whole years counted from a day ends."""

from __future__ import annotations

from datetime import date, datetime

from tosei_common.region.fiscal import TOKYO

#: What an erased text column says instead (a NOT NULL column, or a value a reader should see
#: was there).
ERASED = "（消去済み）"


def period_ends(start: date, years: int) -> date:
    """The first day past a period of ``years`` counted from ``start`` (29 Feb → 1 Mar)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return date(start.year + years, 3, 1)


def japan_day(moment: datetime) -> date:
    """The calendar day in Japan of a stored moment."""
    return moment.astimezone(TOKYO).date()
