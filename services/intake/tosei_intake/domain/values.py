"""Single values as desk staff type them and the old desks exported them: checked and tidied.

Each function returns the value to store (tidied for display) or raises ValueError with a
message a person can act on. The HTTP models and the hand-over import use the same functions,
so a name or a phone number is judged the same way whichever door it came through.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta

from tosei_common.region.fiscal import TOKYO
from tosei_common.region.text import email_key, name_key, phone_key, tidy

NAME_MAX = 100
PHONE_MAX = 30
EMAIL_MAX = 254
BUSINESS_MAX = 200
DESCRIPTION_MAX = 4000
#: The desk keeps no consultations older than this; anything earlier is a typing error.
EARLIEST_CONSULTATION = date(2000, 1, 1)


def text(value: str, *, max_length: int, multiline: bool = False) -> str:
    """Text that PostgreSQL can store and a person can read: valid Unicode, no control
    characters (line breaks only where ``multiline``), tidied, at most ``max_length``."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains characters that are not valid Unicode text") from None
    allowed = "\n\r\t" if multiline else "\t"
    if any(unicodedata.category(c) == "Cc" and c not in allowed for c in value):
        raise ValueError("contains control characters")
    if multiline:
        cleaned = "\n".join(tidy(line) for line in value.replace("\r\n", "\n").split("\n"))
        cleaned = cleaned.strip("\n")
    else:
        cleaned = tidy(value)
    if len(cleaned) > max_length:
        raise ValueError(f"is longer than {max_length} characters")
    return cleaned


def optional_text(value: str | None, *, max_length: int, multiline: bool = False) -> str | None:
    if value is None:
        return None
    return text(value, max_length=max_length, multiline=multiline) or None


def person_name(value: str) -> str:
    """A person's (or business's) name: something that leaves a matching key when tidied."""
    cleaned = text(value, max_length=NAME_MAX)
    if not name_key(cleaned):
        raise ValueError("is empty")
    return cleaned


def phone(value: str | None) -> str | None:
    """A Japanese phone number as typed (tidied), or None when none was given."""
    cleaned = optional_text(value, max_length=PHONE_MAX)
    if cleaned is None:
        return None
    if phone_key(cleaned) is None:
        raise ValueError(f"「{cleaned}」 is not a Japanese phone number (e.g. 017-723-1111)")
    return cleaned


def email(value: str | None) -> str | None:
    """An e-mail address, lower-cased, or None when none was given."""
    cleaned = optional_text(value, max_length=EMAIL_MAX)
    if cleaned is None:
        return None
    key = email_key(cleaned)
    if key is None:
        raise ValueError(f"「{cleaned}」 is not an e-mail address")
    return key


def consultation_moment(moment: datetime) -> datetime:
    """When a consultation took place, in UTC. A time without a zone is Japan time; the years
    before the desk kept records are refused (the future is refused by ``not_in_future``, which
    needs the service's clock)."""
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
        raise ValueError(f"is before {EARLIEST_CONSULTATION}; the desk keeps nothing that old")
    return moment.astimezone(UTC)


def not_in_future(moment: datetime, now: datetime) -> datetime:
    """A moment that has happened (five minutes of grace for clocks that differ)."""
    if moment > now + timedelta(minutes=5):
        raise ValueError("is in the future")
    return moment


def consultation_time(moment: datetime, now: datetime) -> datetime:
    """When a consultation took place, in UTC: neither before the desk's records nor ahead."""
    return not_in_future(consultation_moment(moment), now)


def consultation_day(day: date, today: date) -> datetime:
    """A consultation known only by its day (the old desks' 受付日): midnight in Japan, UTC."""
    if day < EARLIEST_CONSULTATION:
        raise ValueError(f"{day} is before {EARLIEST_CONSULTATION}; the desk keeps nothing older")
    if day > today:
        raise ValueError(f"{day} is in the future")
    return datetime(day.year, day.month, day.day, tzinfo=TOKYO).astimezone(UTC)
