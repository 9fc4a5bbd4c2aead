"""The period a list, a count or an export covers, as people type it: dates (2020/9/1,
令和2年9月1日) or a fiscal year (令和2年度, FY2020, 2020)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from tosei_common.platform.errors import Unprocessable
from tosei_common.region.fiscal import (
    TOKYO,
    DateParseError,
    fiscal_year_bounds,
    fiscal_year_label,
    parse_date,
    parse_fiscal_year,
)

#: Reports reach no further than this; a date outside is a typing error.
FIRST_YEAR, LAST_YEAR = 2000, 2099


@dataclass(frozen=True)
class Period:
    start: datetime | None  # inclusive, UTC
    end: datetime | None  # exclusive, UTC
    label: str  # 令和2年度, 2020-09-01〜2020-09-30 or 全期間, for titles and file names


def period(from_text: str | None, to_text: str | None, fiscal_year_text: str | None) -> Period:
    """The period of the query parameters ``from``/``to`` (days, both inclusive) or
    ``fiscal_year``; Unprocessable names the parameter that cannot be read."""
    first = _day("from", from_text)
    last = _day("to", to_text)
    if fiscal_year_text and fiscal_year_text.strip():
        if first or last:
            raise Unprocessable(
                "give either a fiscal year or from/to dates, not both",
                fields={"fiscal_year": "cannot be combined with from/to"},
            )
        try:
            fy = parse_fiscal_year(fiscal_year_text)
        except DateParseError as exc:
            raise Unprocessable(str(exc), fields={"fiscal_year": str(exc)}) from None
        if not FIRST_YEAR <= fy <= LAST_YEAR:
            message = f"must be between {FIRST_YEAR} and {LAST_YEAR}"
            raise Unprocessable(f"fiscal_year {message}", fields={"fiscal_year": message})
        first, last = fiscal_year_bounds(fy)
        return Period(_midnight(first), _midnight(last + timedelta(days=1)), fiscal_year_label(fy))
    if first and last and last < first:
        raise Unprocessable(
            f"the period ends ({last}) before it starts ({first})",
            fields={"to": "is before from"},
        )
    if first is None and last is None:
        label = "全期間"
    else:
        label = f"{first.isoformat() if first else ''}〜{last.isoformat() if last else ''}"
    return Period(
        _midnight(first) if first else None,
        _midnight(last + timedelta(days=1)) if last else None,
        label,
    )


def _day(parameter: str, text: str | None) -> date | None:
    if text is None or not text.strip():
        return None
    try:
        day = parse_date(text)
    except DateParseError as exc:
        raise Unprocessable(str(exc), fields={parameter: str(exc)}) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        message = f"must be between {FIRST_YEAR} and {LAST_YEAR}"
        raise Unprocessable(f"{parameter} {message}", fields={parameter: message})
    return day


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=TOKYO).astimezone(UTC)
