"""Moving a seminar along its states, with the event each move publishes.

planned → scheduled → registration open → registration closed → held; cancelled at any point
before it is held. Closed registration may be opened again (a late decision to take more
people); nothing leaves ``held`` or ``cancelled``.

The decision takes everything it needs as loaded under the seminar's and its places' locks: the
places with their counts and the accepted registrations with whether they came.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tosei_common.catalogue.seminar import (
    AttendanceMode,
    SeminarCancelled,
    SeminarHeld,
    SeminarRegistrationClosed,
    SeminarRegistrationOpened,
    SeminarScheduled,
)
from tosei_common.platform.errors import Conflict, InvalidTransition, Message, Unprocessable
from tosei_common.platform.events import Event
from tosei_common.region.fiscal import tokyo_date
from tosei_seminar.domain.places import Place
from tosei_seminar.domain.reports import Attendee, attended_counts
from tosei_seminar.domain.seminar import Seminar, SeminarChange, SeminarState
from tosei_seminar.domain.small_cells import event_counts

ALLOWED: dict[SeminarState, frozenset[SeminarState]] = {
    SeminarState.PLANNED: frozenset({SeminarState.SCHEDULED, SeminarState.CANCELLED}),
    SeminarState.SCHEDULED: frozenset({SeminarState.REGISTRATION_OPEN, SeminarState.CANCELLED}),
    SeminarState.REGISTRATION_OPEN: frozenset(
        {SeminarState.REGISTRATION_CLOSED, SeminarState.CANCELLED}
    ),
    SeminarState.REGISTRATION_CLOSED: frozenset(
        {SeminarState.HELD, SeminarState.REGISTRATION_OPEN, SeminarState.CANCELLED}
    ),
    SeminarState.HELD: frozenset(),
    SeminarState.CANCELLED: frozenset(),
}


@dataclass(frozen=True)
class Readiness:
    """What a seminar has, as far as the transitions care."""

    has_schedule: bool
    has_venue: bool
    has_stream: bool
    remote_places: int  # viewing sites and the online place
    checked_in: int
    started: bool = True  # its start time has come


def next_states(current: SeminarState) -> list[SeminarState]:
    """Where a seminar may go from ``current``, in the order of the lifecycle (cancelling last)."""
    return sorted(ALLOWED[current], key=list(SeminarState).index)


def next_state(
    current: SeminarState, target: SeminarState, ready: Readiness, reason: str | None
) -> SeminarState:
    """The state after moving ``current`` to ``target``, or the reason it cannot move."""
    if target not in ALLOWED[current]:
        allowed = next_states(current)
        allowed_ja = "、".join(s.label for s in allowed) or "なし"
        raise InvalidTransition(
            f"「{current.label}」の研修会は「{target.label}」にできません"
            f"（「{current.label}」から移れるのは: {allowed_ja}）",
            en=f"a seminar that is {current.value} ({current.label}) cannot become "
            f"{target.value} ({target.label}); from {current.value} it can become: "
            f"{', '.join(sorted(s.value for s in allowed)) or 'none'}",
            state=current.value,
        )
    if target is SeminarState.SCHEDULED:
        missing = [
            what
            for what, ok in (
                (Message("開催日時", "a date and time"), ready.has_schedule),
                (Message("会場", "a venue"), ready.has_venue),
            )
            if not ok
        ]
        if missing:
            raise Conflict(
                f"開催決定にするには、先に{'と'.join(m.ja for m in missing)}を決めてください",
                en=f"to schedule the seminar, give it {' and '.join(m.en for m in missing)} first",
            )
    if target is SeminarState.REGISTRATION_OPEN and ready.remote_places and not ready.has_stream:
        raise Conflict(
            "サテライト会場とオンラインの参加者は配信を視聴します。申込受付を始める前に"
            "配信URLを設定してください（PUT /seminars/{id}/online）",
            en="viewing sites and online attendees watch the stream: set the stream URL "
            "(PUT /seminars/{id}/online) before opening registration",
        )
    if target is SeminarState.HELD and not ready.started:
        raise Conflict(
            "開催日時の前には「開催済み」にできません",
            en="a seminar cannot be marked held before it starts",
            reason="not_yet",
        )
    if target is SeminarState.HELD and ready.checked_in == 0:
        raise Conflict(
            "受付（チェックイン）済みの参加者がいません。開催済みにする前に参加者の受付をしてください",
            en="nobody has been checked in: check attendees in before marking it held",
        )
    if target is SeminarState.CANCELLED and not (reason and reason.strip()):
        raise Unprocessable(
            "中止の理由を入力してください",
            en="say why the seminar is cancelled",
            fields={"reason": Message("中止するときは入力してください", "required to cancel")},
        )
    return target


def move(
    seminar: Seminar,
    target: SeminarState,
    reason: str | None,
    *,
    places: Sequence[Place],
    attendees: Sequence[Attendee],
    actor: str,
    at: datetime,
    small_cells: int,
) -> SeminarChange:
    """Move the seminar to ``target`` if the state machine allows it, with its event (whose
    attendance figures leave out groups of fewer than ``small_cells``)."""
    ready = Readiness(
        has_schedule=seminar.starts_at is not None,
        has_venue=seminar.chosen_venue_id is not None,
        has_stream=seminar.stream_url is not None,
        remote_places=sum(1 for p in places if p.mode is not AttendanceMode.VENUE),
        checked_in=sum(1 for a in attendees if a.attended),
        started=seminar.starts_at is not None and at >= seminar.starts_at,
    )
    state = next_state(seminar.state, target, ready, reason)
    values: dict[str, Any] = {"state": state}
    if state is SeminarState.SCHEDULED and seminar.announced_at is None:
        values["announced_at"] = at
    if state is SeminarState.CANCELLED:
        values["cancel_reason"] = reason
    after = seminar.changed(actor, at, **values)
    event = _announcement(after, places, attendees, at, small_cells)
    return SeminarChange(after, {"from": seminar.state.value, "reason": reason}, (event,))


def _announcement(
    seminar: Seminar,
    places: Sequence[Place],
    attendees: Sequence[Attendee],
    at: datetime,
    small_cells: int,
) -> Event:
    """The event of the state the seminar has just reached."""
    state = seminar.state
    if state is SeminarState.SCHEDULED:
        return _scheduled(seminar, places, at)
    if state is SeminarState.REGISTRATION_OPEN:
        return SeminarRegistrationOpened(
            seminar_id=seminar.id,
            fiscal_year=seminar.fiscal_year,
            venue_capacity=_capacity(places, AttendanceMode.VENUE),
            viewing_site_capacity=_capacity(places, AttendanceMode.VIEWING_SITE),
            online_capacity=_capacity(places, AttendanceMode.ONLINE),
            opened_at=at,
        )
    accepted = sum(p.seated for p in places)
    waitlisted = sum(p.waiting for p in places)
    if state is SeminarState.REGISTRATION_CLOSED:
        return SeminarRegistrationClosed(
            seminar_id=seminar.id, accepted=accepted, waitlisted=waitlisted, closed_at=at
        )
    if state is SeminarState.HELD:
        return _held(seminar, attendees, at, small_cells)
    return SeminarCancelled(
        seminar_id=seminar.id,
        fiscal_year=seminar.fiscal_year,
        active_registrations=accepted + waitlisted,
        cancelled_at=at,
    )


def _scheduled(seminar: Seminar, places: Sequence[Place], at: datetime) -> SeminarScheduled:
    venue = next(p for p in places if p.mode is AttendanceMode.VENUE)
    assert seminar.starts_at is not None  # scheduling needs the date (next_state)
    assert seminar.ends_at is not None
    assert venue.municipality is not None  # a venue is in a town
    return SeminarScheduled(
        seminar_id=seminar.id,
        fiscal_year=seminar.fiscal_year,
        host_municipality=seminar.host_municipality,
        starts_at=seminar.starts_at,
        ends_at=seminar.ends_at,
        venue_municipality=venue.municipality,
        venue_capacity=venue.capacity,
        scheduled_at=at,
    )


def _held(
    seminar: Seminar, attendees: Sequence[Attendee], at: datetime, small_cells: int
) -> SeminarHeld:
    return SeminarHeld(**attendance_figures(seminar, attendees, at, small_cells), held_at=at)


def attendance_figures(
    seminar: Seminar, attendees: Sequence[Attendee], at: datetime, small_cells: int
) -> dict[str, Any]:
    """The figures ``seminar.held`` and ``seminar.attendance_corrected`` both announce:
    integrators read no group of fewer than ``small_cells`` attendees (named in
    ``suppressed`` instead)."""
    by_mode, by_town, by_role = attended_counts(attendees)
    attended = sum(by_mode.values())
    counts = {
        "attended_by_mode": by_mode,
        "attended_by_municipality": by_town,
        "attended_by_role": by_role,
    }
    kept, suppressed = event_counts(attended, counts, small_cells)
    return {
        "seminar_id": seminar.id,
        "fiscal_year": seminar.fiscal_year,
        "host_municipality": seminar.host_municipality,
        "held_on": tokyo_date(seminar.starts_at or at),
        "registered": len(attendees),
        "attended": attended,
        **kept,
        "suppressed": suppressed,
        "suppression_threshold": small_cells,
    }


def _capacity(places: Sequence[Place], mode: AttendanceMode) -> int:
    return sum(p.capacity for p in places if p.mode is mode)
