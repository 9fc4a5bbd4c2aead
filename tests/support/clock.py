"""The moment the tests' services believe it is (the ``clock`` fixture of tests/conftest.py).

Early morning in Japan on purpose: at 07:30 JST it is still the previous day in UTC, so code
that takes "today" from a UTC clock instead of the service's clock fails every time, not only
between 00:00 and 09:00 JST.
"""

from __future__ import annotations

from tosei_common.platform.clock import japan_moment

TEST_NOW = japan_moment("2026-11-16 07:30")
TODAY = TEST_NOW.date()
