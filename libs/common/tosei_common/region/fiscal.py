"""Japanese fiscal years (April–March), era labels (令和3年度) and dates as people type them.

FY2019 runs from 1 April 2019 to 31 March 2020. The era changed inside it (平成 ended on
30 April 2019, 令和 began on 1 May 2019), so it is labelled 令和元年度 and also written 平成31年度.
The first year of an era is 元年, never 1年.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from tosei_common.region.said import InputError

TOKYO = ZoneInfo("Asia/Tokyo")


@dataclass(frozen=True)
class Era:
    name: str  # 令和
    letter: str  # R
    start: date  # first day of the era

    def year_of(self, gregorian_year: int) -> int:
        return gregorian_year - self.start.year + 1


# Newest first. Dates before 大正 are outside anything this platform records.
ERAS: tuple[Era, ...] = (
    Era("令和", "R", date(2019, 5, 1)),
    Era("平成", "H", date(1989, 1, 8)),
    Era("昭和", "S", date(1926, 12, 25)),
    Era("大正", "T", date(1912, 7, 30)),
)
_BY_NAME = {e.name: e for e in ERAS} | {e.letter: e for e in ERAS}


class DateParseError(InputError):
    """Text that is not a date, or names a date that does not exist.

    ``str()`` is the English message; ``message`` holds it in Japanese and English.
    """


def era_of(day: date) -> Era:
    """The era in effect on ``day``."""
    for era in ERAS:
        if day >= era.start:
            return era
    raise ValueError(f"{day} is before {ERAS[-1].name}")


def era_year_text(year: int) -> str:
    """元年 for the first year of an era, else N年."""
    return "元年" if year == 1 else f"{year}年"


def japanese_date(day: date) -> str:
    """令和元年5月1日 style, with the era in effect on that very day."""
    era = era_of(day)
    return f"{era.name}{era_year_text(era.year_of(day.year))}{day.month}月{day.day}日"


def fiscal_year(day: date | datetime) -> int:
    """The fiscal year a day belongs to: April to March, named by the year it starts in.

    A datetime is placed in Japan's calendar first (23:30 UTC on 31 March is 1 April in Tokyo).
    """
    if isinstance(day, datetime):
        day = (day if day.tzinfo else day.replace(tzinfo=UTC)).astimezone(TOKYO).date()
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(fy: int) -> tuple[date, date]:
    """First and last day of a fiscal year (both inclusive)."""
    return date(fy, 4, 1), date(fy + 1, 3, 31)


def fiscal_year_labels(fy: int) -> list[str]:
    """Every way the fiscal year is written in the Japanese era, the usual one first.

    The usual label uses the newest era that has begun by the end of the fiscal year and whose
    numbering covers the year it starts in (FY2019: 令和元年度); when the year started under the
    previous era, that spelling follows (平成31年度).
    """
    start, end = fiscal_year_bounds(fy)
    labels: list[str] = []
    for era in ERAS:
        if era.start <= end and era.year_of(fy) >= 1:
            labels.append(f"{era.name}{era_year_text(era.year_of(fy))}度")
            if era.start <= start:
                break
    return labels


def fiscal_year_label(fy: int) -> str:
    """The usual era label of a fiscal year: 令和3年度 for FY2021."""
    return fiscal_year_labels(fy)[0]


def fiscal_year_display(fy: int) -> str:
    """Both calendars, as reports head their columns: 令和3年度 (FY2021)."""
    return f"{fiscal_year_label(fy)} (FY{fy})"


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip()
    return re.sub(r"\s+", "", text)


_ERA_FY = re.compile(r"^(令和|平成|昭和|大正|[RHST])(元|\d{1,2})年?度?$", re.IGNORECASE)
_FY = re.compile(r"^(?:FY)?(\d{4})(?:年度)?$", re.IGNORECASE)


def parse_fiscal_year(text: str) -> int:
    """A fiscal year from 2021, FY2021, 2021年度, 令和3年度, 令和元年度, 平成31年度 or R3."""
    t = _normalise(text)
    if m := _FY.match(t):
        return int(m[1])
    if m := _ERA_FY.match(t):
        era = _BY_NAME[m[1].upper() if len(m[1]) == 1 else m[1]]
        year = 1 if m[2] == "元" else int(m[2])
        if year < 1:
            raise _era_year_zero(text)
        return era.start.year + year - 1
    raise DateParseError(
        f"「{text}」は年度として読めません（例: 2021、令和3年度、R3）",
        f"{text!r} is not a fiscal year (e.g. 2021, 令和3年度, R3)",
    )


_GREGORIAN = re.compile(r"^(\d{4})[/\-.年](\d{1,2})[/\-.月](\d{1,2})日?$")
_ERA_DATE = re.compile(
    r"^(令和|平成|昭和|大正|[RHST])(元|\d{1,2})[/\-.年](\d{1,2})[/\-.月](\d{1,2})日?$",
    re.IGNORECASE,
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(text: str) -> date:
    """A date as people type it in Japan.

    Accepts 2020/9/15, 2020-09-15, 2020.9.15, 2020年9月15日, 20200915, 令和2年9月15日,
    令和元年5月1日, R2.9.15, r02/09/15 and H31.4.30, in full-width digits too. Raises
    DateParseError naming the problem: not a date at all, or one that does not exist (2021/2/30).
    """
    t = _normalise(text)
    if not t:
        raise DateParseError("日付がありません", "no date given")
    if m := _GREGORIAN.match(t) or _COMPACT.match(t):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _ERA_DATE.match(t):
        era = _BY_NAME[m[1].upper() if len(m[1]) == 1 else m[1]]
        era_year = 1 if m[2] == "元" else int(m[2])
        if era_year < 1:
            raise _era_year_zero(text)
        year, month, day = era.start.year + era_year - 1, int(m[3]), int(m[4])
    else:
        raise DateParseError(
            f"「{text}」は日付として読めません（例: 2020/9/15、令和2年9月15日）",
            f"{text!r} is not a date (e.g. 2020/9/15 or 令和2年9月15日)",
        )
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DateParseError(
            f"「{text}」は存在しない日付です",
            f"{text!r} does not exist: {exc}",
        ) from exc


def _era_year_zero(text: str) -> DateParseError:
    return DateParseError(
        f"「{text}」: 元号の年は元年から数えます", f"{text!r}: an era year starts at 元年"
    )


def tokyo_date(moment: datetime) -> date:
    """The calendar day in Japan of a stored (UTC) moment."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(TOKYO).date()
