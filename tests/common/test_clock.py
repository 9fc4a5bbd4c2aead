"""One clock for "now" and "today": Japan's calendar, settable, and the only one there is."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tosei_common.platform.clock import SYSTEM_CLOCK, SettableClock, japan_moment
from tosei_common.region.fiscal import TOKYO

ROOT = Path(__file__).resolve().parents[2]


def test_today_is_the_day_in_japan_even_while_utc_is_still_on_yesterday() -> None:
    clock = SettableClock("2026-06-15 07:30")
    assert clock.now().astimezone(UTC).date() == date(2026, 6, 14)
    assert clock.today() == date(2026, 6, 15)


def test_the_fiscal_year_turns_on_1_april_in_japan_not_at_utc_midnight() -> None:
    clock = SettableClock(datetime(2027, 3, 31, 15, 30, tzinfo=UTC))  # 00:30 on 1 April in Japan
    assert clock.today() == date(2027, 4, 1)
    assert clock.fiscal_year() == 2027
    clock.set("2027-03-31 23:59")
    assert clock.fiscal_year() == 2026


def test_a_frozen_clock_says_what_it_was_told_and_a_ticking_one_goes_on_from_there() -> None:
    frozen = SettableClock("2026-11-16 07:30")
    assert frozen.now() == frozen.now() == japan_moment("2026-11-16 07:30")
    assert frozen.advance(days=1).date() == date(2026, 11, 17)
    ticking = SettableClock("2026-11-16 07:30", ticking=True)
    first, second = ticking.now(), ticking.now()
    assert japan_moment("2026-11-16 07:30") <= first < second < first + timedelta(seconds=5)


def test_a_moment_without_a_zone_is_refused_and_text_is_read_as_japan_time() -> None:
    with pytest.raises(ValueError, match="time zone"):
        japan_moment(datetime(2026, 1, 1))  # noqa: DTZ001  (the point of the test)
    assert japan_moment("2026-01-01 09:00").astimezone(UTC).hour == 0
    assert SYSTEM_CLOCK.now().tzinfo == TOKYO


def test_lint_refuses_a_date_taken_from_the_machine_or_in_utc(tmp_path: Path) -> None:
    """The one-clock rule is enforced: ruff's banned-API and DTZ rules run in `make test`."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from datetime import UTC, date, datetime\n\n"
        "A = date.today()\n"
        "B = datetime.now(UTC).date()\n"
        "C = datetime.now()\n",
        encoding="utf-8",
    )
    ruff = Path(sys.executable).with_name("ruff")
    found = subprocess.run(
        [ruff, "check", "--no-cache", "--config", ROOT / "pyproject.toml", sample],
        capture_output=True,
        text=True,
    )
    assert found.returncode == 1
    assert found.stdout.count("TID251") == 3, found.stdout
    assert "DTZ005" in found.stdout
    assert "DTZ011" in found.stdout
