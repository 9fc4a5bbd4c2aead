"""The daily retention run's timing and the council's periods (pure)."""

from __future__ import annotations

import uuid
from datetime import date

from tosei_common.platform.clock import japan_moment
from tosei_common.platform.retention import DESK_RECORDS, due_today
from tosei_common.platform.settings import Settings
from tosei_seminar.db.personal_data import CONTACTS
from tosei_seminar.domain.retention import SeminarContacts, contacts_due


def test_the_daily_run_is_due_once_a_day_from_its_hour_in_japan() -> None:
    # 02:30 in Japan is 17:30 UTC the day before: the hour and the day are Japan's
    assert not due_today(japan_moment("2026-06-01 02:30"), 3, None)
    assert due_today(japan_moment("2026-06-01 03:00"), 3, None)
    assert not due_today(japan_moment("2026-06-01 23:00"), 3, date(2026, 6, 1))
    assert due_today(japan_moment("2026-06-02 03:01"), 3, date(2026, 6, 1))


def test_the_council_s_settings_change_the_declared_periods() -> None:
    assert DESK_RECORDS.years_in_force(Settings()) == 5
    assert CONTACTS.years_in_force(Settings()) == 1
    council = Settings(retention_desk_years=7, retention_seminar_contact_years=2)
    assert DESK_RECORDS.years_in_force(council) == 7
    assert CONTACTS.years_in_force(council) == 2
    assert DESK_RECORDS.setting_variable == "TOSEI_RETENTION_DESK_YEARS"
    assert Settings().retention_schedule is True  # on in production; tests turn it off


def test_registrants_contacts_go_a_year_after_a_held_or_cancelled_seminar() -> None:
    held = SeminarContacts(uuid.uuid4(), "held", date(2025, 10, 17), 120)
    assert not contacts_due(held, date(2026, 10, 16), 1).due
    due = contacts_due(held, date(2026, 10, 17), 1)
    assert due.due
    assert "申込120件" in due.why
    cancelled = SeminarContacts(uuid.uuid4(), "cancelled", date(2025, 10, 17), 3)
    assert contacts_due(cancelled, date(2026, 10, 17), 1).due
    coming = SeminarContacts(uuid.uuid4(), "registration_open", date(2020, 10, 17), 3)
    assert not contacts_due(coming, date(2030, 1, 1), 1).due
