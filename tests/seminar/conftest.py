"""The seminar service on the real database and broker, and a seminar ready for registrations."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.support.auth import bearer
from tests.support.runtime import Start
from tosei_common.platform.clock import japan_moment
from tosei_common.platform.http import build_app
from tosei_common.platform.service import Runtime
from tosei_seminar.app import SERVICE

COORDINATOR = bearer("coordinator", "kikaku-sato")
AUDITOR = bearer("auditor")


@pytest.fixture
async def service(schema: str, start: Start) -> AsyncIterator[Runtime]:
    async with start(SERVICE, schema=schema) as rt:
        yield rt


@pytest.fixture
async def client(service: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_app(service))
    async with httpx.AsyncClient(transport=transport, base_url="http://seminar") as c:
        yield c


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


#: The FY2027 seminar's day, after its start (13:30): check-in is open, it may be marked held.
ON_THE_DAY = japan_moment("2027-10-17 14:00")
#: The morning of that day: check-in is open, the seminar has not started.
THAT_MORNING = japan_moment("2027-10-17 09:00")


@dataclass
class Seminar:
    """A seminar of FY2027 (令和9年度), Aomori City's turn to host, open for registration."""

    id: str
    venue_place: str
    hiranai_site: str
    online_place: str
    small_venue: str
    large_venue: str


async def open_seminar(
    client: httpx.AsyncClient,
    *,
    venue_seats: int = 100,
    site_seats: int = 2,
    online_seats: int = 300,
    fiscal_year: int = 2027,
) -> Seminar:
    seminar = ok(
        await client.post(
            "/seminars",
            json={
                "fiscal_year": fiscal_year,
                "title": "地域で支える在宅医療 — 退院から看取りまで",
                "date": f"{fiscal_year}年10月17日",
                "start_time": "13:30",
                "end_time": "16:30",
            },
            headers=COORDINATOR,
        ),
        201,
    )
    sid = seminar["id"]
    small = ok(
        await client.post(
            f"/seminars/{sid}/venues",
            json={
                "name": "青森市民ホール 大会議室",
                "municipality": "青森市",
                "capacity": venue_seats,
                "fee": 45000,
            },
            headers=COORDINATOR,
        ),
        201,
    )["id"]
    large = ok(
        await client.post(
            f"/seminars/{sid}/venues",
            json={
                "name": "リンクステーションホール青森",
                "municipality": "青森市",
                "capacity": venue_seats * 4,
                "fee": 180000,
            },
            headers=COORDINATOR,
        ),
        201,
    )["id"]
    ok(await client.put(f"/seminars/{sid}/venue", json={"venue_id": small}, headers=COORDINATOR))
    site = ok(
        await client.post(
            f"/seminars/{sid}/sites",
            json={
                "name": "平内町中央公民館 研修室",
                "municipality": "平内",
                "capacity": site_seats,
            },
            headers=COORDINATOR,
        ),
        201,
    )["id"]
    detail = ok(
        await client.put(
            f"/seminars/{sid}/online",
            json={
                "stream_url": "https://stream.example.jp/tosei-zaitaku",
                "capacity": online_seats,
            },
            headers=COORDINATOR,
        )
    )
    for state in ("scheduled", "registration_open"):
        ok(await client.post(f"/seminars/{sid}/state", json={"state": state}, headers=COORDINATOR))
    places = {p["mode"]: p["id"] for p in detail["places"]}
    return Seminar(sid, places["venue"], site, places["online"], small, large)


def person(n: int, **overrides: Any) -> dict[str, Any]:
    """A registrant of Aomori City at the main venue, the n-th of a crowd."""
    body: dict[str, Any] = {
        "name": f"青森 太郎{n}",
        "name_kana": "あおもり たろう",
        "organisation": "青森市民病院",
        "role": "nurse",
        "municipality": "青森市",
        "email": f"taro{n}@hospital.example.jp",
        "phone": "017-734-2171",
        "mode": "venue",
    }
    body.update(overrides)
    return body


async def register(client: httpx.AsyncClient, seminar: Seminar, body: dict[str, Any]) -> Any:
    return ok(await client.post(f"/seminars/{seminar.id}/registrations", json=body), 201)
