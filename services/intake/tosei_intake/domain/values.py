"""Limits of what the desk records, and the moments a consultation can have taken place.

Text is checked by the platform's input rules (``tosei_common.region.inputs``: ``FreeText``,
``Phone``, ``Email`` on the request models, ``check_text`` and friends for the old desks'
files) and stored as typed; only the keys used to recognise a client are normalised
(``tosei_common.region.text``). The HTTP models and the hand-over import use the functions
here, so a name or a date is judged the same way whichever door it came through. Each raises
``InputError``, in Japanese and English.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tosei_common.region.fiscal import TOKYO
from tosei_common.region.said import InputError
from tosei_common.region.text import name_key

NAME_MAX = 100
PHONE_MAX = 30
EMAIL_MAX = 254
BUSINESS_MAX = 200
DESCRIPTION_MAX = 4000
MUNICIPALITY_MAX = 40
#: The desk keeps no consultations older than this; anything earlier is a typing error.
EARLIEST_CONSULTATION = date(2000, 1, 1)
_EARLIEST_JA = "2000年1月1日"


def recognisable_name(typed: str) -> str:
    """A name (already checked as free text) that leaves a key to recognise the person by:
    not only dots and spaces."""
    if not name_key(typed):
        raise InputError("名前を入力してください（記号や空白だけになっています）", "is empty")
    return typed


def consultation_moment(moment: datetime) -> datetime:
    """When a consultation took place, in UTC. A time without a zone is Japan time; the years
    before the desk kept records are refused (the future is refused by ``not_in_future``, which
    needs the command's moment)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TOKYO)
    earliest = datetime(
        EARLIEST_CONSULTATION.year,
        EARLIEST_CONSULTATION.month,
        EARLIEST_CONSULTATION.day,
        tzinfo=TOKYO,
    )
    # Compare before converting: converting a far-off moment could overflow.
    if moment < earliest:
        raise InputError(
            f"{_EARLIEST_JA}より前の日時です（窓口の記録はそれより古いものがありません）",
            f"is before {EARLIEST_CONSULTATION}; the desk keeps nothing that old",
        )
    return moment.astimezone(UTC)


def not_in_future(moment: datetime, now: datetime) -> datetime:
    """A moment that has happened (five minutes of grace for clocks that differ)."""
    if moment > now + timedelta(minutes=5):
        raise InputError("未来の日時です", "is in the future")
    return moment


def consultation_time(moment: datetime, now: datetime) -> datetime:
    """When a consultation took place, in UTC: neither before the desk's records nor ahead."""
    return not_in_future(consultation_moment(moment), now)


def consultation_day(day: date, today: date) -> datetime:
    """A consultation known only by its day (the old desks' 受付日): midnight in Japan, UTC."""
    if day < EARLIEST_CONSULTATION:
        raise InputError(
            f"{day}は{_EARLIEST_JA}より前です（窓口の記録はそれより古いものがありません）",
            f"{day} is before {EARLIEST_CONSULTATION}; the desk keeps nothing older",
        )
    if day > today:
        raise InputError(f"{day}は未来の日付です", f"{day} is in the future")
    return datetime(day.year, day.month, day.day, tzinfo=TOKYO).astimezone(UTC)
