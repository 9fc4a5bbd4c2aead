"""The public seminar pages' rules: which seminar is "this year's", what the registration form
sends, how a registration's status and a place's seats are said, and when to come back after a
rate limit. Pure: the pages pass in what the seminar service answered and the clock's moment.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tosei_common.region.fiscal import TOKYO

#: The honeypot's field: hidden from people (off screen, out of the tab order, labelled "leave
#: empty"), filled by form-filling bots. Named like a field a bot would want to fill.
HONEYPOT = "homepage"

#: Seminar states a registrant can still be registered for (the service decides; these only
#: say what the page offers).
OPEN = "registration_open"
_OVER = ("held", "cancelled")


def this_years_seminar(seminars: Sequence[Mapping[str, Any]], fiscal_year: int) -> str | None:
    """The id of the seminar the public page shows: the first one not yet over of this fiscal
    year or a later one (registration opens months ahead), else this year's own (held or
    cancelled: the page says so, and its attendees still come for their certificates)."""
    coming = [s for s in seminars if s["fiscal_year"] >= fiscal_year and s["state"] not in _OVER]
    if coming:
        return str(min(coming, key=lambda s: (s["fiscal_year"], s.get("starts_at") or ""))["id"])
    this_year = [s for s in seminars if s["fiscal_year"] == fiscal_year]
    return str(this_year[0]["id"]) if this_year else None


def time_span(starts_at: str | None, ends_at: str | None) -> str:
    """（日） 13:30〜16:30: the weekday and the hours (Japan time) that follow the day, which the
    pages write in the era (the ``wareki`` filter); "" while the day is not fixed."""
    if not starts_at:
        return ""
    start = datetime.fromisoformat(starts_at).astimezone(TOKYO)
    text = f"（{'月火水木金土日'[start.weekday()]}） {start:%H:%M}"
    if ends_at:
        text += f"〜{datetime.fromisoformat(ends_at).astimezone(TOKYO):%H:%M}"
    return text


# the form -------------------------------------------------------------------------------------


def _text(form: Mapping[str, Any], name: str) -> str | None:
    value = str(form.get(name, "") or "")
    return value if value.strip() else None


def mode_value(option: Mapping[str, Any]) -> str:
    """The radio button's value for a place: its mode, and the site for a viewing site."""
    if option["mode"] == "viewing_site":
        return f"viewing_site:{option['id']}"
    return str(option["mode"])


def registration_body(form: Mapping[str, Any]) -> dict[str, Any]:
    """What the seminar service is asked: blank boxes are absent (the service says what is
    missing, next to the field)."""
    chosen = _text(form, "mode") or ""
    mode, _, site = chosen.partition(":")
    return {
        "name": _text(form, "name") or "",
        "name_kana": _text(form, "name_kana"),
        "organisation": _text(form, "organisation"),
        "role": _text(form, "role"),
        "municipality": _text(form, "municipality") or "",
        "email": _text(form, "email"),
        "phone": _text(form, "phone"),
        "mode": mode or None,
        "site_id": site or None,
    }


def feedback_body(form: Mapping[str, Any]) -> dict[str, Any]:
    """The feedback form: a score not chosen stays absent (the service names it)."""

    def score(name: str) -> int | None:
        text = str(form.get(name, "") or "").strip()
        return int(text) if text.isdigit() else None

    return {
        "satisfaction": score("satisfaction"),
        "usefulness": score("usefulness"),
        "comment": _text(form, "comment"),
    }


def honeypot_filled(form: Mapping[str, Any]) -> bool:
    """A person never sees the field; anything in it was put there by a program."""
    return bool(str(form.get(HONEYPOT, "") or "").strip())


#: What a choice left unmade is told: the service's own words name the codes it accepts
#: (physician, nurse, …), which a person choosing from a list never sees.
UNCHOSEN = {
    "role": "職種を選んでください",
    "mode": "参加方法を選んでください",
    "satisfaction": "1〜5のどれかを選んでください",
    "usefulness": "1〜5のどれかを選んでください",
}


def field_errors(errors: Mapping[str, str], typed: Mapping[str, Any]) -> dict[str, str]:
    """The service's messages by the form's field names (its ``site_id`` is the mode's radio);
    a choice left blank is asked for in the form's words."""
    shown = dict(errors)
    if "site_id" in shown:
        shown.setdefault("mode", shown.pop("site_id"))
    for name, words in UNCHOSEN.items():
        if name in shown and not str(typed.get(name, "") or "").strip():
            shown[name] = words
    return shown


# what a person reads ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One way to attend, as the form offers it."""

    value: str
    label: str
    seats: str  # 残り12席 / 満席（キャンセル待ちで申込） / 残りわずか（3席）
    full: bool


def seats_text(option: Mapping[str, Any]) -> str:
    if option.get("if_registered_now") == "waitlisted" or option["seats_left"] <= 0:
        return f"満席です（申し込むとキャンセル待ち{option['waiting'] + 1}番目になります）"
    return f"残り{option['seats_left']}席"


def choices(options: Sequence[Mapping[str, Any]]) -> list[Choice]:
    """The places in the order the service recommends for the person's town."""
    found = []
    for o in options:
        where = o["mode_label"] if o["mode"] == "online" else f"{o['mode_label']}：{o['name']}"
        full = o.get("if_registered_now") == "waitlisted"
        found.append(Choice(mode_value(o), where, seats_text(o), full))
    return found


def status_words(status: str, position: int | None) -> str:
    """参加確定 / キャンセル待ち 2番目 / キャンセル済み / 中止."""
    if status == "waitlisted":
        return f"キャンセル待ち {position}番目" if position else "キャンセル待ち"
    return {
        "accepted": "参加確定",
        "cancelled": "キャンセル済み",
        "seminar_cancelled": "中止",
    }.get(status, status)


def retry_words(retry_after: timedelta, now: datetime) -> str:
    """約15分後（10:45ごろ）: when a refused client may try again, in Japan time."""
    minutes = max(1, math.ceil(retry_after.total_seconds() / 60))
    at = (now + retry_after).astimezone(TOKYO)
    if at.second or at.microsecond:  # never a time before the limit lifts
        at = at.replace(second=0, microsecond=0) + timedelta(minutes=1)
    if minutes >= 60:
        hours, rest = divmod(minutes, 60)
        span = f"約{hours}時間{rest}分後" if rest else f"約{hours}時間後"
    else:
        span = f"約{minutes}分後"
    return f"{span}（{at:%H:%M}ごろ）"


def window_words(seconds: int) -> str:
    """1時間 / 10分間: a rate limit's window as the 429 page says it."""
    if seconds % 3600 == 0:
        return f"{seconds // 3600}時間"
    if seconds % 60 == 0:
        return f"{seconds // 60}分間"
    return f"{seconds}秒間"
