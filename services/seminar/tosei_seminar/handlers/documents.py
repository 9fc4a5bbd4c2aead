"""Documents for people: certificates of attendance and the organisers' spreadsheets."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any
from uuid import UUID

from tosei_common.platform.errors import Conflict
from tosei_common.platform.service import Runtime
from tosei_common.region.fiscal import tokyo_date
from tosei_common.region.municipalities import municipality
from tosei_seminar.certificates import Certificate, render
from tosei_seminar.db import queries as q
from tosei_seminar.db.rows import PlaceRow, RegistrationRow, SeminarRow
from tosei_seminar.domain.registration import MODE_LABELS, ROLE_LABELS, RegistrationStatus
from tosei_seminar.domain.reports import AttendanceReport
from tosei_seminar.domain.seminar import SeminarState
from tosei_seminar.handlers.registrations import find
from tosei_seminar.handlers.seminars import load_seminar


def _certificate(
    seminar: SeminarRow, place: PlaceRow, r: RegistrationRow, today: date
) -> Certificate:
    assert seminar.starts_at is not None  # a held seminar was scheduled
    held_on = tokyo_date(seminar.starts_at)
    return Certificate(
        name=r.name,
        organisation=r.organisation,
        role=ROLE_LABELS[r.role],
        title=seminar.title,
        fiscal_year=seminar.fiscal_year,
        held_on=held_on,
        host=municipality(seminar.host_municipality).name,
        place=place.name,
        mode=MODE_LABELS[r.mode],
        reference=r.reference,
        issued_on=max(held_on, today),
    )


async def certificate(rt: Runtime, reference: str) -> tuple[bytes, RegistrationRow]:
    """The 修了証 of one attendee: only for someone checked in at a seminar that was held."""
    registration = await find(rt, reference)
    async with rt.pool.acquire() as conn:
        seminar = await load_seminar(conn, registration.seminar_id)
        places = {p.id: p for p in await q.places(conn, seminar.id)}
    if seminar.state is not SeminarState.HELD:
        raise Conflict(
            "certificates are issued once the seminar has been held "
            f"(it is {seminar.state.value}, {seminar.state.label})"
        )
    if registration.checked_in_at is None:
        raise Conflict("a certificate is for attendees: this registration was not checked in")
    page = _certificate(seminar, places[registration.place_id], registration, rt.clock.today())
    return await asyncio.to_thread(render, [page]), registration


async def certificates(rt: Runtime, seminar_id: UUID) -> tuple[bytes, SeminarRow]:
    """Every attendee's certificate in one PDF, a page each, to print at once."""
    async with rt.pool.acquire() as conn:
        seminar = await load_seminar(conn, seminar_id)
        places = {p.id: p for p in await q.places(conn, seminar_id)}
        attendees = await q.registrations(
            conn, seminar_id, statuses=[RegistrationStatus.ACCEPTED.value], attended=True
        )
    if seminar.state is not SeminarState.HELD:
        raise Conflict("certificates are issued once the seminar has been held")
    today = rt.clock.today()
    pages = [_certificate(seminar, places[r.place_id], r, today) for r in attendees]
    if not pages:
        raise Conflict("nobody was checked in: there is no certificate to issue")
    return await asyncio.to_thread(render, pages), seminar


ATTENDEE_HEADER = [
    "受付番号",
    "氏名",
    "ふりがな",
    "所属",
    "職種",
    "市町村",
    "参加方法",
    "参加場所",
    "申込状況",
    "出席",
    "受付時刻",
    "メール",
    "電話",
    "申込日時",
]


def attendee_rows(registrations: list[RegistrationRow], places: list[PlaceRow]) -> list[list[Any]]:
    names = {p.id: p.name for p in places}
    return [
        [
            r.reference,
            r.name,
            r.name_kana,
            r.organisation,
            ROLE_LABELS[r.role],
            municipality(r.municipality).name,
            MODE_LABELS[r.mode],
            names.get(r.place_id, ""),
            r.status.label,
            r.checked_in_at is not None,
            r.checked_in_at,
            r.email,
            r.phone,
            r.registered_at,
        ]
        for r in registrations
    ]


ATTENDANCE_HEADER = ["区分", "項目", "申込者数", "出席者数", "出席率"]


def attendance_rows(report: AttendanceReport) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for section, items in (
        ("職種", report.by_role),
        ("市町村", report.by_municipality),
        ("参加方法", report.by_mode),
    ):
        for item in items:
            rate = f"{item.rate * 100:.1f}%" if item.rate is not None else ""
            rows.append([section, item.label, item.registered, item.attended, rate])
    total = f"{report.attended / report.registered * 100:.1f}%" if report.registered else ""
    rows.append(["合計", "", report.registered, report.attended, total])
    return rows
