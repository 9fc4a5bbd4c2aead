"""What a registrant reads: every code comes with the Japanese word for it."""

from __future__ import annotations

import httpx

from tests.seminar.conftest import ok, open_seminar, person, register


async def test_the_registrant_reads_their_role_mode_and_status_in_japanese(
    client: httpx.AsyncClient,
) -> None:
    seminar = await open_seminar(client, site_seats=1)
    hiranai = {"municipality": "平内町", "mode": "viewing_site", "role": "visiting_nurse"}
    seated = await register(client, seminar, person(1, **hiranai))
    waiting = await register(client, seminar, person(2, **hiranai))

    own = ok(await client.get(f"/registrations/{seated['reference']}"))
    assert (own["role"], own["role_label"]) == ("visiting_nurse", "訪問看護師")
    assert (own["mode"], own["mode_label"]) == ("viewing_site", "サテライト会場")
    assert (own["status"], own["status_label"]) == ("accepted", "参加確定")
    second = ok(await client.get(f"/registrations/{waiting['reference']}"))
    assert (second["status_label"], second["position"]) == ("キャンセル待ち", 1)


async def test_the_options_say_in_japanese_whether_one_would_get_a_seat_now(
    client: httpx.AsyncClient,
) -> None:
    seminar = await open_seminar(client, site_seats=1)
    await register(client, seminar, person(1, municipality="平内町", mode="viewing_site"))
    offered = ok(await client.get(f"/seminars/{seminar.id}/options?municipality=平内町"))
    now = [
        (o["mode"], o["if_registered_now"], o["if_registered_now_label"])
        for o in offered["options"]
    ]
    assert now == [
        ("viewing_site", "waitlisted", "キャンセル待ち"),
        ("online", "accepted", "参加確定"),
        ("venue", "accepted", "参加確定"),
    ]
