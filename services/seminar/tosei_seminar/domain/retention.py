"""Which seminars' registrants' contacts are past their period on a given day (pure).

A registrant's e-mail and phone are kept for ``years`` after the seminar (研修会の開催から1年,
the council's setting): until then the council may still write to them about it. The day
counted from is the seminar's day in Japan; a cancelled seminar counts from the day it was
planned for. What their certificate shows (name, furigana, organisation, role, town) is kept as
issued.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from tosei_common.region.retention_periods import period_ends

#: States after which nothing more happens to a seminar's registrations.
OVER = frozenset({"held", "cancelled"})


@dataclass(frozen=True)
class SeminarContacts:
    seminar_id: UUID
    state: str
    held_on: date | None
    #: Registrations whose contacts are still on file.
    with_contacts: int


@dataclass(frozen=True)
class ContactsDue:
    seminar_id: UUID
    due: bool
    why: str


def contacts_due(seminar: SeminarContacts, today: date, years: int) -> ContactsDue:
    if seminar.state not in OVER or seminar.held_on is None:
        return ContactsDue(seminar.seminar_id, False, "まだ開催されていません")
    ends = period_ends(seminar.held_on, years)
    what = "開催" if seminar.state == "held" else "中止された研修会の開催予定日"
    if today < ends:
        return ContactsDue(
            seminar.seminar_id,
            False,
            f"{what} {seminar.held_on.isoformat()} から{years}年（{ends.isoformat()}まで保存）",
        )
    return ContactsDue(
        seminar.seminar_id,
        True,
        f"{what} {seminar.held_on.isoformat()} から{years}年が過ぎました"
        f"（{ends.isoformat()}に満了）。申込{seminar.with_contacts}件の連絡先",
    )
