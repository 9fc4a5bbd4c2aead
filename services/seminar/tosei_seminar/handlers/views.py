"""Queries: what the screens and reports read. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from tosei_common.catalogue.seminar import AttendanceMode
from tosei_common.platform.errors import NotFound
from tosei_common.platform.service import Runtime
from tosei_common.region.municipalities import Municipality
from tosei_seminar.db import queries as q
from tosei_seminar.db.rows import (
    BudgetRow,
    ChangeRow,
    PlaceRow,
    RegistrationRow,
    SeminarRow,
    SpeakerRow,
    VenueRow,
)
from tosei_seminar.domain import rotation, sizing
from tosei_seminar.domain.registration import Place, RegistrationStatus, offered
from tosei_seminar.domain.reports import (
    AttendanceReport,
    BudgetLine,
    BudgetSummary,
    FeedbackSummary,
    attendance,
    summarise_budget,
    summarise_feedback,
)
from tosei_seminar.domain.seminar import PUBLISHED, SeminarState
from tosei_seminar.handlers.seminars import load_seminar


def _published(seminar: SeminarRow) -> SeminarRow:
    """The public does not see seminars still being planned: to them they do not exist yet."""
    if seminar.state not in PUBLISHED:
        raise NotFound(f"no seminar {seminar.id}")
    return seminar


async def rotation_years(rt: Runtime, first: int, years: int) -> list[rotation.RotationYear]:
    async with rt.pool.acquire() as conn:
        overrides = await q.overrides(conn)
    return rotation.upcoming(first, years, overrides)


@dataclass(frozen=True)
class SeminarDetail:
    seminar: SeminarRow
    speakers: list[SpeakerRow]
    venues: list[VenueRow]
    places: list[PlaceRow]
    budget: list[BudgetRow]
    budget_summary: BudgetSummary


async def seminar_detail(rt: Runtime, seminar_id: UUID, *, staff: bool) -> SeminarDetail:
    """A seminar with everything about it; the public sees it only once it is scheduled."""
    async with rt.pool.acquire() as conn:
        seminar = await load_seminar(conn, seminar_id)
        if not staff:
            _published(seminar)
        speakers = await q.speakers(conn, seminar_id)
        venues = await q.venues(conn, seminar_id)
        places = await q.places(conn, seminar_id)
        budget = await q.budget_lines(conn, seminar_id) if staff else []
    chosen = next((v for v in venues if v.id == seminar.chosen_venue_id), None)
    summary = summarise_budget(
        [BudgetLine(b.category, b.planned, b.actual) for b in budget],
        venue_fee=chosen.fee if chosen else None,
        speaker_fees=sum(s.fee for s in speakers),
    )
    return SeminarDetail(seminar, speakers, venues, places, budget, summary)


async def seminars(rt: Runtime, *, staff: bool) -> list[SeminarRow]:
    states = [s.value for s in (SeminarState if staff else PUBLISHED)]
    async with rt.pool.acquire() as conn:
        return await q.seminars(conn, states)


async def options(
    rt: Runtime, seminar_id: UUID, town: Municipality
) -> tuple[SeminarRow, list[Place]]:
    """The places offered to someone of ``town``, the ones meant for them first."""
    async with rt.pool.acquire() as conn:
        seminar = _published(await load_seminar(conn, seminar_id))
        places = [p.place for p in await q.places(conn, seminar_id)]
    return seminar, offered(places, town.code, seminar.host_municipality)


async def venue_recommendation(
    rt: Runtime,
    seminar_id: UUID,
    *,
    no_show_rate: float,
    margin: float,
    expected_turnout: int | None,
) -> sizing.Recommendation:
    async with rt.pool.acquire() as conn:
        await load_seminar(conn, seminar_id)
        venues = await q.venues(conn, seminar_id)
        places = await q.places(conn, seminar_id)
    in_person = sum(p.seated + p.waiting for p in places if p.mode is AttendanceMode.VENUE)
    return sizing.recommend(
        [sizing.Candidate(v.id, v.name, v.municipality, v.capacity, v.fee) for v in venues],
        in_person if expected_turnout is None else expected_turnout,
        no_show_rate=no_show_rate,
        margin=margin,
        basis="registrations" if expected_turnout is None else "expected_turnout",
    )


async def registrations(
    rt: Runtime,
    seminar_id: UUID,
    *,
    status: RegistrationStatus | None,
    mode: AttendanceMode | None,
    attended: bool | None,
) -> tuple[SeminarRow, list[PlaceRow], list[RegistrationRow]]:
    statuses = [status.value] if status else [s.value for s in RegistrationStatus]
    async with rt.pool.acquire() as conn:
        seminar = await load_seminar(conn, seminar_id)
        places = await q.places(conn, seminar_id)
        rows = await q.registrations(
            conn,
            seminar_id,
            statuses=statuses,
            mode=mode.value if mode else None,
            attended=attended,
        )
    return seminar, places, rows


async def attendance_report(rt: Runtime, seminar_id: UUID) -> tuple[SeminarRow, AttendanceReport]:
    async with rt.pool.acquire() as conn:
        seminar = await load_seminar(conn, seminar_id)
        attendees = await q.attendees(conn, seminar_id)
    return seminar, attendance(attendees)


async def feedback_summary(rt: Runtime, seminar_id: UUID) -> tuple[SeminarRow, FeedbackSummary]:
    async with rt.pool.acquire() as conn:
        seminar = await load_seminar(conn, seminar_id)
        answers = await q.feedback(conn, seminar_id)
        attended = await q.checked_in_count(conn, seminar_id)
    return seminar, summarise_feedback(answers, attended)


async def history(rt: Runtime, seminar_id: UUID) -> list[ChangeRow]:
    async with rt.pool.acquire() as conn:
        await load_seminar(conn, seminar_id)
        return await q.changes(conn, seminar_id)
