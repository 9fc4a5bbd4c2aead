"""Figures of the seminar that do not identify people: municipal officers and integrators
read no group of fewer than three (TOSEI_SMALL_CELL_THRESHOLD); coordinators read them all."""

from __future__ import annotations

import csv
import io
import json

import httpx

from tests.seminar.conftest import COORDINATOR, ok, open_seminar, person, register
from tests.seminar.test_registrations import check_in_everyone_and_hold
from tests.support.auth import bearer
from tests.support.waiting import header, read_topic
from tosei_common.catalogue.seminar import SEMINARS
from tosei_common.platform.clock import SettableClock
from tosei_common.platform.service import Runtime

OFFICER = bearer("municipality", "imabetsu-1", municipality="今別町")
NOTE = "3人未満の区分は、個人が特定されないよう「―」（秘匿）としています"


async def _held_with_one_physician(client: httpx.AsyncClient, clock: SettableClock) -> str:
    """Four nurses of Aomori at the venue, three of Hiranai online, one physician of 今別町
    online; all came and answered."""
    seminar = await open_seminar(client)
    crowd = [person(n) for n in range(1, 5)]
    crowd += [person(n, municipality="平内町", mode="online") for n in range(5, 8)]
    crowd += [person(8, municipality="今別町", mode="online", role="physician")]
    references = [(await register(client, seminar, body))["reference"] for body in crowd]
    await check_in_everyone_and_hold(client, seminar, references, clock)
    for reference, body in zip(references, crowd, strict=True):
        satisfaction = 2 if body["role"] == "physician" else 4
        ok(
            await client.post(
                f"/registrations/{reference}/feedback",
                json={"satisfaction": satisfaction, "usefulness": 5},
            ),
            201,
        )
    return seminar.id


async def test_an_officer_reads_no_mean_of_a_role_one_person_answered_for(
    client: httpx.AsyncClient, clock: SettableClock
) -> None:
    sid = await _held_with_one_physician(client, clock)
    staff = ok(await client.get(f"/seminars/{sid}/feedback", headers=COORDINATOR))
    assert staff["satisfaction_by_role"] == {"看護師": 4.0, "医師": 2.0}
    assert staff["satisfaction_distribution"]["2"] == 1
    assert "small_cells" not in staff

    theirs = ok(await client.get(f"/seminars/{sid}/feedback", headers=OFFICER))
    assert theirs["satisfaction_by_role"] == {"看護師": 4.0, "医師": None}
    assert theirs["responses"] == 8
    # the physician's 2 is alone on its rating: hidden, and the mean that would give it back
    assert theirs["satisfaction_distribution"] == {"1": 0, "2": None, "3": 0, "4": None, "5": 0}
    assert theirs["satisfaction_mean"] is None
    assert (theirs["usefulness_distribution"]["5"], theirs["usefulness_mean"]) == (8, 5.0)
    assert theirs["small_cells"]["note"] == NOTE
    assert "satisfaction_by_role.医師" in theirs["small_cells"]["suppressed"]
    sheet = await client.get(f"/seminars/{sid}/feedback.csv", headers=OFFICER)
    rows = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    assert rows[-2][:6] == ["職種別の満足度", "医師", "", "", "", "―"]
    assert rows[-1][:2] == ["注記", NOTE]
    satisfaction = next(r for r in rows if r[:2] == ["設問", "満足度"])
    assert (satisfaction[5], satisfaction[7]) == ("―", "―")  # the mean, and 2点's one answer
    staff_sheet = await client.get(f"/seminars/{sid}/feedback.csv", headers=COORDINATOR)
    assert "―" not in staff_sheet.content.decode("utf-8-sig")


async def test_an_officer_reads_the_attendance_of_small_groups_as_hidden(
    client: httpx.AsyncClient, clock: SettableClock
) -> None:
    sid = await _held_with_one_physician(client, clock)
    theirs = ok(await client.get(f"/seminars/{sid}/attendance", headers=OFFICER))
    towns = {r["key"]: (r["registered"], r["attended"]) for r in theirs["by_municipality"]}
    # 今別町's one physician, and 平内町's three with it (8 − 4 would give 今別町 back)
    assert towns == {
        "022012": (4, 4), "023019": (None, None), "023035": (None, None),
        "023043": (0, 0), "023078": (0, 0),
    }  # fmt: skip
    roles = {r["key"]: r["attended"] for r in theirs["by_role"]}
    assert (roles["physician"], roles["nurse"]) == (None, None)
    assert (theirs["registered"], theirs["attended"]) == (8, 8)
    assert theirs["small_cells"]["note"] == NOTE
    sheet = await client.get(f"/seminars/{sid}/attendance.csv", headers=OFFICER)
    rows = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    assert ["市町村", "今別町", "―", "―", "―"] in rows
    assert rows[-1][:2] == ["注記", NOTE]

    staff = ok(await client.get(f"/seminars/{sid}/attendance", headers=COORDINATOR))
    came = {r["key"]: r["attended"] for r in staff["by_municipality"]}
    assert (came["023035"], came["023019"]) == (1, 3)
    assert "small_cells" not in staff


async def test_the_held_event_leaves_out_a_town_of_one_attendee_and_names_it(
    client: httpx.AsyncClient, clock: SettableClock, service: Runtime
) -> None:
    await _held_with_one_physician(client, clock)
    records = await read_topic(service.kafka_bootstrap, SEMINARS.name, expect=4)
    [held] = [r for r in records if header(r, "ce_type") == "jp.tosei.seminar.seminar.held.v1"]
    body = json.loads(held.value)
    assert body["attended"] == 8
    assert body["attended_by_municipality"] == {"022012": 4}
    assert "023035" not in body["attended_by_municipality"]
    assert body["attended_by_mode"] == {"venue": 4, "online": 4}
    assert body["suppressed"] == [
        "attended_by_municipality.023019", "attended_by_municipality.023035",
        "attended_by_role.nurse", "attended_by_role.physician",
    ]  # fmt: skip
    assert body["suppression_threshold"] == 3
