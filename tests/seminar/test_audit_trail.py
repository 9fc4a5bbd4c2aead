"""The seminar's audit trail: who saw a registrant's contacts (the list, the attendee CSV, one
registration) and what was done to their registration, read per registrant."""

from __future__ import annotations

import httpx

from tests.seminar.conftest import AUDITOR, COORDINATOR, ok, open_seminar, person, register
from tests.support.auth import bearer


async def test_reads_of_registrants_contacts_are_recorded_per_registrant(
    client: httpx.AsyncClient,
) -> None:
    seminar = await open_seminar(client)
    first = await register(client, seminar, person(1))
    await register(client, seminar, person(2))
    listed = ok(await client.get(f"/seminars/{seminar.id}/registrations", headers=COORDINATOR))
    registration_id = next(
        r["id"] for r in listed["registrations"] if r["reference"] == first["reference"]
    )
    csv = await client.get(f"/seminars/{seminar.id}/attendees.csv", headers=AUDITOR)
    assert csv.status_code == 200
    ok(await client.get(f"/registrations/{first['reference']}"))  # the registrant: not staff
    ok(await client.get(f"/registrations/{first['reference']}", headers=COORDINATOR))

    officer = bearer("municipality", "hiranai-1", municipality="023019")
    assert (await client.get("/audit-log", headers=officer)).status_code == 403
    trail = ok(await client.get("/audit-log", params={"subject": registration_id}, headers=AUDITOR))
    seen = [(e["actor"], e["viewed"]["part"]) for e in trail["entries"] if e["action"] == "viewed"]
    assert seen == [
        ("coordinator:kikaku-sato", "registration"),
        ("auditor:auditor-1", "attendee_list"),
        ("coordinator:kikaku-sato", "contacts"),
    ]
    accepted = next(e for e in trail["entries"] if e["action"] == "registration.accepted")
    assert accepted["changes"]["status"] == {"old": None, "new": "accepted"}
    assert accepted["actor"] == f"registrant:{registration_id}"
    assert "青森 太郎1" not in str(trail)
