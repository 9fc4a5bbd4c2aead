"""Queries: what the screens and reports read, each checking first who may read it. Nothing
here writes."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from uuid import UUID

from tosei_common.catalogue.seminar import AttendanceMode
from tosei_common.platform.audit import Viewed
from tosei_common.platform.db import Connection
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_common.region.municipalities import Municipality
from tosei_seminar.db import budget as budget_db
from tosei_seminar.db import feedback as feedback_db
from tosei_seminar.db import history as history_db
from tosei_seminar.db import places as places_db
from tosei_seminar.db import registrations as registrations_db
from tosei_seminar.db import rotation as rotation_db
from tosei_seminar.db import seminars as seminars_db
from tosei_seminar.db import speakers as speakers_db
from tosei_seminar.db import venues as venues_db
from tosei_seminar.domain import access, rotation, sizing
from tosei_seminar.domain.arrangements import Venue
from tosei_seminar.domain.attendance import certificate_available
from tosei_seminar.domain.budget import BudgetEntry, BudgetSummary, summarise_budget
from tosei_seminar.domain.history import Entry
from tosei_seminar.domain.places import Place, offered
from tosei_seminar.domain.registration import ON_THE_LIST, Registration, RegistrationStatus
from tosei_seminar.domain.reports import (
    AttendanceReport,
    FeedbackSummary,
    attendance,
    summarise_feedback,
)
from tosei_seminar.domain.seminar import PUBLISHED, Seminar, SeminarState
from tosei_seminar.domain.small_cells import Hidden, attendance_hidden, feedback_hidden
from tosei_seminar.domain.speakers import Speaker
from tosei_seminar.handlers import loading


async def rotation_years(conn: Connection, first: int, years: int) -> list[rotation.RotationYear]:
    """The hosts of ``years`` fiscal years from ``first`` (anyone may read them)."""
    return rotation.upcoming(first, years, await rotation_db.overrides(conn))


# seminars --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeminarDetail:
    seminar: Seminar
    speakers: list[Speaker]
    venues: list[Venue]
    places: list[Place]
    budget: list[BudgetEntry]
    budget_summary: BudgetSummary
    staff: bool  # the caller sees fees, candidate venues, the stream and the budget

    @property
    def chosen_venue(self) -> Venue | None:
        return next((v for v in self.venues if v.id == self.seminar.chosen_venue_id), None)


async def seminar_detail(
    conn: Connection, who: Principal | None, seminar_id: UUID
) -> SeminarDetail:
    """A seminar with everything about it; the public sees it only once it is scheduled."""
    seminar = access.ensure_visible(who, await loading.seminar(conn, seminar_id))
    staff = access.is_staff(who)
    speakers = await speakers_db.of_seminar(conn, seminar_id)
    venues = await venues_db.of_seminar(conn, seminar_id)
    budget = await budget_db.of_seminar(conn, seminar_id) if staff else []
    chosen = next((v for v in venues if v.id == seminar.chosen_venue_id), None)
    summary = summarise_budget(
        [b.amounts for b in budget],
        venue_fee=chosen.fee if chosen else None,
        speaker_fees=sum(s.fee for s in speakers),
    )
    places = await places_db.of_seminar(conn, seminar_id)
    return SeminarDetail(seminar, speakers, venues, places, budget, summary, staff)


async def seminars(conn: Connection, who: Principal | None) -> list[Seminar]:
    """The published seminars, or all of them for staff."""
    if access.is_staff(who):
        return await seminars_db.listed(conn, list(SeminarState))
    return [s for s in await seminars_db.listed(conn, PUBLISHED) if s.published]


async def options(
    conn: Connection, seminar_id: UUID, town: Municipality
) -> tuple[Seminar, list[Place]]:
    """The places offered to someone of ``town``, the ones meant for them first."""
    seminar = access.ensure_published(await loading.seminar(conn, seminar_id))
    places = await places_db.of_seminar(conn, seminar_id)
    return seminar, offered(places, town.code, seminar.host_municipality)


async def venue_recommendation(
    conn: Connection,
    who: Principal,
    seminar_id: UUID,
    *,
    no_show_rate: float | None,
    margin: float,
    expected_turnout: int | None,
) -> sizing.Recommendation:
    access.ensure_may_manage(who, doing="会場の推奨")
    seminar = await loading.seminar(conn, seminar_id)
    venues = await venues_db.of_seminar(conn, seminar_id)
    places = await places_db.of_seminar(conn, seminar_id)
    in_person = sum(p.seated + p.waiting for p in places if p.mode is AttendanceMode.VENUE)
    wanted = sizing.demand(
        expected_turnout=expected_turnout,
        registrations=in_person,
        last_year=await _last_years_venue(conn, seminar.fiscal_year - 1),
        no_show_rate=no_show_rate,
    )
    return sizing.recommend(
        [sizing.Candidate(v.id, v.name, v.municipality, v.capacity, v.fee) for v in venues],
        wanted,
        margin=margin,
    )


async def _last_years_venue(conn: Connection, fiscal_year: int) -> sizing.PastTurnout | None:
    """Who registered for and came to the main venue of that year's seminar, if it was held."""
    held = await seminars_db.of_year(conn, fiscal_year)
    if held is None or held.state is not SeminarState.HELD:
        return None
    at_venue = [
        a for a in await registrations_db.attendees(conn, held.id) if a.mode is AttendanceMode.VENUE
    ]
    return sizing.PastTurnout(fiscal_year, len(at_venue), sum(a.attended for a in at_venue))


# registrations ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Registrants:
    seminar: Seminar
    places: list[Place]
    registrations: list[Registration]  # in arrival order

    def positions(self) -> dict[UUID, int]:
        """Each waiting registration's place on its wait list."""
        counted: dict[UUID, int] = {}
        positions: dict[UUID, int] = {}
        for r in self.registrations:
            if r.status is RegistrationStatus.WAITLISTED:
                positions[r.id] = counted[r.place_id] = counted.get(r.place_id, 0) + 1
        return positions


async def registrants(
    uow: UnitOfWork,
    who: Principal,
    seminar_id: UUID,
    *,
    status: RegistrationStatus | None,
    mode: AttendanceMode | None,
    attended: bool | None,
) -> Registrants:
    """The registrants (personal data: coordinators and auditors)."""
    statuses = [status] if status else list(RegistrationStatus)
    found = await _registrants(uow.conn, who, seminar_id, statuses, mode=mode, attended=attended)
    await uow.viewed(*_seen(found, "contacts"))
    return found


def _seen(found: Registrants, part: str) -> list[Viewed]:
    """Each registrant shown, as a read of their contacts (閲覧記録, one entry per person:
    ``tosei_common.platform.audit.record_views`` says why)."""
    return [Viewed("registration", r.id, r.id, part) for r in found.registrations]


async def attendee_list(
    uow: UnitOfWork, who: Principal, seminar_id: UUID, *, attended: bool | None
) -> Registrants:
    """The organisers' list (名簿): everyone seated or waiting, the seated first, then each
    wait list in its order; a cancelled registration is not on it."""
    found = await _registrants(uow.conn, who, seminar_id, ON_THE_LIST, mode=None, attended=attended)
    await uow.viewed(*_seen(found, "attendee_list"))
    seated_first = sorted(
        found.registrations, key=lambda r: r.status is not RegistrationStatus.ACCEPTED
    )
    return Registrants(found.seminar, found.places, seated_first)


async def _registrants(
    conn: Connection,
    who: Principal,
    seminar_id: UUID,
    statuses: Collection[RegistrationStatus],
    *,
    mode: AttendanceMode | None,
    attended: bool | None,
) -> Registrants:
    access.ensure_may_read_personal(who)
    seminar = await loading.seminar(conn, seminar_id)
    places = await places_db.of_seminar(conn, seminar_id)
    rows = await registrations_db.of_seminar(
        conn, seminar_id, statuses=statuses, mode=mode, attended=attended
    )
    return Registrants(seminar, places, rows)


@dataclass(frozen=True)
class OwnRegistration:
    """What a registrant sees of their registration."""

    registration: Registration
    seminar: Seminar
    place: Place
    position: int | None  # on the wait list
    feedback_given: bool

    @property
    def stream_url(self) -> str | None:
        return access.stream_for(self.registration, self.seminar)

    @property
    def certificate_available(self) -> bool:
        return certificate_available(self.registration, self.seminar)


async def own_registration(
    uow: UnitOfWork, who: Principal | None, reference: str
) -> OwnRegistration:
    """The registration the reference names (the reference is the registrant's credential).
    Staff who look one up for a registrant (a phone call) are recorded as having read it."""
    conn = uow.conn
    registration = await loading.registration(conn, reference)
    if who is not None:
        await uow.viewed(Viewed("registration", registration.id, registration.id, "registration"))
    seminar = await loading.seminar(conn, registration.seminar_id)
    place = next(
        p
        for p in await places_db.of_seminar(conn, seminar.id)
        if p.place_id == registration.place_id
    )
    position = None
    if registration.status is RegistrationStatus.WAITLISTED:
        waiting = await registrations_db.waiting(conn, place.place_id)
        position = next(i for i, r in enumerate(waiting, start=1) if r.id == registration.id)
    answered = await feedback_db.answered(conn, registration.id)
    return OwnRegistration(registration, seminar, place, position, answered)


# reports ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRead:
    seminar: Seminar
    report: AttendanceReport
    #: For a reader without access to the registrations: the rows too small to show.
    hidden: Hidden | None


async def attendance_report(
    conn: Connection, who: Principal, seminar_id: UUID, *, small_cells: int
) -> AttendanceRead:
    """The attendance report; rows of fewer than ``small_cells`` people hidden from officers."""
    access.ensure_may_read_figures(who)
    seminar = await loading.seminar(conn, seminar_id)
    report = attendance(await registrations_db.attendees(conn, seminar_id))
    shut = None if access.is_staff(who) else attendance_hidden(report, small_cells)
    return AttendanceRead(seminar, report, shut)


@dataclass(frozen=True)
class FeedbackRead:
    seminar: Seminar
    summary: FeedbackSummary
    with_comments: bool  # the free-text comments are for those who read personal data
    #: For a reader without access to the registrations: the figures too few to show.
    hidden: Hidden | None = None


async def feedback_summary(
    conn: Connection, who: Principal, seminar_id: UUID, *, small_cells: int
) -> FeedbackRead:
    """The feedback summary; figures of fewer than ``small_cells`` answers hidden from officers."""
    access.ensure_may_read_figures(who)
    seminar = await loading.seminar(conn, seminar_id)
    answers = await feedback_db.of_seminar(conn, seminar_id)
    attendees = await registrations_db.attendees(conn, seminar_id)
    summary = summarise_feedback(answers, sum(1 for a in attendees if a.attended))
    shut = None if access.is_staff(who) else feedback_hidden(answers, summary, small_cells)
    return FeedbackRead(seminar, summary, access.reads_comments(who), shut)


async def history(conn: Connection, who: Principal, seminar_id: UUID) -> list[Entry]:
    """Who changed what, in order."""
    access.ensure_may_read_personal(who, doing="変更履歴の閲覧")
    await loading.seminar(conn, seminar_id)
    return await history_db.of_seminar(conn, seminar_id)
