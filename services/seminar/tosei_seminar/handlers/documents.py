"""Certificates of attendance (修了証): for one attendee by their reference, or every
attendee's at once for the coordinators to print."""

from __future__ import annotations

import asyncio
from datetime import date
from uuid import UUID

from tosei_common.platform.db import Connection
from tosei_common.platform.errors import Conflict
from tosei_common.platform.principal import Principal
from tosei_common.region.fiscal import tokyo_date
from tosei_common.region.municipalities import municipality
from tosei_seminar.certificates import Certificate, render
from tosei_seminar.db import places as places_db
from tosei_seminar.db import registrations as registrations_db
from tosei_seminar.domain import access
from tosei_seminar.domain.labels import MODE_LABELS, ROLE_LABELS
from tosei_seminar.domain.places import Place
from tosei_seminar.domain.registration import Registration, RegistrationStatus
from tosei_seminar.domain.seminar import Seminar, SeminarState
from tosei_seminar.handlers import loading


async def certificate(conn: Connection, reference: str, today: date) -> tuple[bytes, Registration]:
    """The 修了証 of one attendee: only for someone checked in at a seminar that was held."""
    registration = await loading.registration(conn, reference)
    seminar = await loading.seminar(conn, registration.seminar_id)
    places = {p.place_id: p for p in await places_db.of_seminar(conn, seminar.id)}
    _ensure_held(seminar)
    if registration.checked_in_at is None:
        raise Conflict(
            "修了証は出席された方にお出ししています。この申込は受付（来場）されていません",
            en="a certificate is for attendees: this registration was not checked in",
        )
    page = _certificate(seminar, places[registration.place_id], registration, today)
    return await asyncio.to_thread(render, [page]), registration


async def certificates(
    conn: Connection, who: Principal, seminar_id: UUID, today: date
) -> tuple[bytes, Seminar]:
    """Every attendee's certificate in one PDF, a page each, to print at once."""
    access.ensure_may_manage(who, doing="修了証の一括発行")
    seminar = await loading.seminar(conn, seminar_id)
    places = {p.place_id: p for p in await places_db.of_seminar(conn, seminar_id)}
    attendees = await registrations_db.of_seminar(
        conn, seminar_id, statuses=[RegistrationStatus.ACCEPTED], attended=True
    )
    _ensure_held(seminar)
    pages = [_certificate(seminar, places[r.place_id], r, today) for r in attendees]
    if not pages:
        raise Conflict(
            "受付（来場）済みの参加者がいないため、発行する修了証がありません",
            en="nobody was checked in: there is no certificate to issue",
        )
    return await asyncio.to_thread(render, pages), seminar


def _ensure_held(seminar: Seminar) -> None:
    if seminar.state is not SeminarState.HELD:
        raise Conflict(
            f"修了証は研修会の開催後に発行します（この研修会は「{seminar.state.label}」です）",
            en="certificates are issued once the seminar has been held "
            f"(it is {seminar.state.value}, {seminar.state.label})",
        )


def _certificate(seminar: Seminar, place: Place, r: Registration, today: date) -> Certificate:
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
