"""Which consultations a list, a count or an export covers: a period as people type it (dates
such as 2020/9/1 or 令和2年9月1日, or a fiscal year), a municipality, a category, an origin."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from tosei_common.catalogue.intake import Category, Origin
from tosei_common.platform.errors import Message, Unprocessable
from tosei_common.region.fiscal import (
    TOKYO,
    DateParseError,
    fiscal_year_bounds,
    fiscal_year_label,
    parse_date,
)

#: Reports reach no further than this; a date outside is a typing error.
FIRST_YEAR, LAST_YEAR = 2000, 2099


@dataclass(frozen=True)
class Period:
    start: datetime | None = None  # inclusive, UTC
    end: datetime | None = None  # exclusive, UTC
    label: str = "全期間"  # 令和2年度, 2020-09-01〜2020-09-30 or 全期間, for titles and file names


@dataclass(frozen=True)
class ConsultationFilter:
    """Which consultations a list, a count or an export covers."""

    period: Period = field(default_factory=Period)
    municipality: str | None = None  # six-digit code
    category: Category | None = None
    origin: Origin | None = None
    expert_id: UUID | None = None  # only this expert's cases


def period(from_text: str | None, to_text: str | None, fiscal_year: int | None) -> Period:
    """The period of the query parameters ``from``/``to`` (days, both inclusive) or
    ``fiscal_year`` (already read by ``FiscalYear``); Unprocessable names the parameter that
    cannot be read."""
    first = _day("from", from_text)
    last = _day("to", to_text)
    if fiscal_year is not None:
        if first or last:
            raise Unprocessable(
                "年度と期間（from/to）は一緒に指定できません。どちらか一方にしてください",
                en="give either a fiscal year or from/to dates, not both",
                fields={
                    "fiscal_year": Message(
                        "from/to と一緒には指定できません", "cannot be combined with from/to"
                    )
                },
            )
        first, last = fiscal_year_bounds(fiscal_year)
        return Period(
            _midnight(first), _midnight(last + timedelta(days=1)), fiscal_year_label(fiscal_year)
        )
    if first and last and last < first:
        raise Unprocessable(
            f"期間の終わり（{last}）が始まり（{first}）より前です",
            en=f"the period ends ({last}) before it starts ({first})",
            fields={"to": Message("from より前の日付です", "is before from")},
        )
    if first is None and last is None:
        return Period()
    return Period(
        _midnight(first) if first else None,
        _midnight(last + timedelta(days=1)) if last else None,
        f"{first.isoformat() if first else ''}〜{last.isoformat() if last else ''}",
    )


def _day(parameter: str, text: str | None) -> date | None:
    if text is None or not text.strip():
        return None
    try:
        day = parse_date(text)
    except DateParseError as exc:
        raise Unprocessable(
            f"{parameter}: {exc.message.ja}",
            en=f"{parameter}: {exc.message.en}",
            fields={parameter: exc.message},
        ) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        message = Message(
            f"{FIRST_YEAR}年から{LAST_YEAR}年までの日付にしてください",
            f"must be between {FIRST_YEAR} and {LAST_YEAR}",
        )
        raise Unprocessable(
            f"{parameter}: {message.ja}",
            en=f"{parameter} {message.en}",
            fields={parameter: message},
        )
    return day


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=TOKYO).astimezone(UTC)
