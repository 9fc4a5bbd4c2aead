"""The one source of "now" and "today" for the whole platform: Japan time, injected, settable.

The region lives on Japan time, so "today" is the calendar day in Tokyo and the fiscal year is
the one that day belongs to. Computing either from UTC is wrong for nine hours a day (00:00–09:00
JST is still yesterday in UTC). Every service gets a ``Clock`` from its runtime; tests give it a
``SettableClock`` and say what day it is.

This module is the only place that reads the system's wall clock for dates (ruff's banned-API
rule keeps ``datetime.now`` and ``date.today`` out of everything else).
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

from tosei_common.region.fiscal import TOKYO, fiscal_year


class Clock:
    """What time it is, in Japan. Subclasses say what ``now`` is; the rest follows from it."""

    def now(self) -> datetime:
        """The current moment, time-zone aware, in Japan time (+09:00)."""
        raise NotImplementedError

    def utc_now(self) -> datetime:
        """The same moment in UTC, as event payloads and CloudEvents headers carry it."""
        return self.now().astimezone(UTC)

    def today(self) -> date:
        """The calendar day in Japan."""
        return self.now().astimezone(TOKYO).date()

    def fiscal_year(self) -> int:
        """The fiscal year (April–March) that today belongs to."""
        return fiscal_year(self.today())


class SystemClock(Clock):
    """The machine's clock, read in Japan time."""

    def now(self) -> datetime:
        return datetime.now(TOKYO)


class SettableClock(Clock):
    """A clock that says what it is told: tests and rehearsals set it to any moment.

    A moment given as text is read as Japan time: ``SettableClock("2026-06-15 07:30")``. A
    frozen clock (the default) says exactly that moment until it is set again; a ``ticking``
    one goes on from it as real time passes, so things done one after the other are dated one
    after the other.
    """

    def __init__(self, moment: datetime | str, *, ticking: bool = False) -> None:
        self.ticking = ticking
        self.set(moment)

    def now(self) -> datetime:
        if not self.ticking:
            return self._base
        return self._base + timedelta(seconds=time.monotonic() - self._set_at)

    def set(self, moment: datetime | str) -> None:
        self._base = japan_moment(moment)
        self._set_at = time.monotonic()

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        """Move forward by ``delta`` (or ``days=``, ``hours=``, …); return the new now."""
        self._base += delta if delta is not None else timedelta(**parts)
        return self.now()


def japan_moment(moment: datetime | str) -> datetime:
    """A moment as given, or ``2026-06-15 07:30`` read as Japan time; naive moments are refused."""
    if isinstance(moment, str):
        parsed = datetime.fromisoformat(moment)
        moment = parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=TOKYO)
    if moment.tzinfo is None:
        raise ValueError(f"a moment without a time zone is ambiguous: {moment}")
    return moment.astimezone(TOKYO)


#: The clock of processes that are not handed one (command-line tools, the plumbing's timestamps).
SYSTEM_CLOCK: Clock = SystemClock()
