"""The places people watch from change a field at a time: new seats do not repeat the stream's
address, and what is left out stays as it was."""

from __future__ import annotations

from typing import Any

import httpx

from tests.seminar.conftest import COORDINATOR, ok, open_seminar


def online_of(detail: dict[str, Any]) -> tuple[str | None, int]:
    online = next(p for p in detail["places"] if p["mode"] == "online")
    return detail["stream_url"], online["capacity"]


def refused(response: httpx.Response, field: str) -> str:
    """The 422's message for ``field`` (in Japanese)."""
    assert response.status_code == 422, response.text
    problems = {f["field"]: f["message"] for f in response.json()["fields"]}
    assert field in problems, response.text
    message: str = problems[field]
    return message


async def test_new_online_seats_alone_keep_the_stream_and_a_new_address_alone_keeps_the_seats(
    client: httpx.AsyncClient,
) -> None:
    seminar = await open_seminar(client, online_seats=300)
    url = f"/seminars/{seminar.id}/online"
    seats = ok(await client.put(url, json={"capacity": 250}, headers=COORDINATOR))
    assert online_of(seats) == ("https://stream.example.jp/tosei-zaitaku", 250)
    moved = ok(
        await client.put(
            url, json={"stream_url": "https://stream.example.jp/2"}, headers=COORDINATOR
        )
    )
    assert online_of(moved) == ("https://stream.example.jp/2", 250)


async def test_a_bad_or_missing_place_field_is_refused_in_japanese_naming_it_and_nothing_changes(
    client: httpx.AsyncClient,
) -> None:
    seminar = await open_seminar(client, online_seats=300)
    url = f"/seminars/{seminar.id}/online"
    site = f"/seminars/{seminar.id}/sites/{seminar.hiranai_site}"
    assert "https://" in refused(
        await client.put(url, json={"stream_url": "ftp://stream.example.jp"}, headers=COORDINATOR),
        "stream_url",
    )
    assert refused(
        await client.put(url, json={"stream_url": ""}, headers=COORDINATOR), "stream_url"
    )
    assert refused(await client.put(url, json={"capacity": -1}, headers=COORDINATOR), "capacity")
    assert refused(await client.put(url, json={"seats": 5}, headers=COORDINATOR), "seats")
    nothing = await client.put(url, json={}, headers=COORDINATOR)
    assert "変更する項目がありません" in refused(nothing, "body")
    assert "変更する項目がありません" in nothing.json()["message"]
    assert refused(await client.patch(site, json={}, headers=COORDINATOR), "body")
    kept = ok(await client.get(f"/seminars/{seminar.id}", headers=COORDINATOR))
    assert online_of(kept) == ("https://stream.example.jp/tosei-zaitaku", 300)


async def test_the_first_time_the_stream_needs_both_its_address_and_its_seats(
    client: httpx.AsyncClient,
) -> None:
    created = await client.post(
        "/seminars", json={"fiscal_year": 2028, "title": "在宅医療 2028"}, headers=COORDINATOR
    )
    url = f"/seminars/{ok(created, 201)['id']}/online"
    no_address = await client.put(url, json={"capacity": 100}, headers=COORDINATOR)
    assert refused(no_address, "stream_url") == "配信のURLを入力してください"
    no_seats = await client.put(
        url, json={"stream_url": "https://stream.example.jp/2028"}, headers=COORDINATOR
    )
    assert refused(no_seats, "capacity") == "オンライン参加の定員を入力してください"
    both = {"stream_url": "https://stream.example.jp/2028", "capacity": 100}
    assert online_of(ok(await client.put(url, json=both, headers=COORDINATOR))) == (
        both["stream_url"],
        100,
    )
