"""Coordinators' commands: the rotation, seminars, speakers, venues, places, budget, states.

Each command is one transaction: load (locking what it changes), ask the domain, save, add the
events to the outbox, and log who did it.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID

from tosei_common.catalogue.seminar import (
    AttendanceMode,
    PlaceChanged,
    SeminarCancelled,
    SeminarHeld,
    SeminarRegistrationClosed,
    SeminarRegistrationOpened,
    SeminarRescheduled,
    SeminarScheduled,
)
from tosei_common.platform.db import Connection
from tosei_common.platform.errors import Conflict, InvalidTransition, NotFound, Unprocessable
from tosei_common.platform.service import Runtime
from tosei_common.region.fiscal import tokyo_date
from tosei_common.region.municipalities import Municipality
from tosei_seminar.db import queries as q
from tosei_seminar.db.rows import BudgetRow, PlaceRow, SeminarRow, SpeakerRow, VenueRow
from tosei_seminar.domain import rotation
from tosei_seminar.domain.registration import check_capacity_change
from tosei_seminar.domain.reports import BudgetCategory, attended_counts
from tosei_seminar.domain.seminar import (
    ARRANGEABLE,
    Readiness,
    Schedule,
    SeminarState,
    next_state,
)
from tosei_seminar.handlers.seats import fill_free_seats

EDITABLE = ARRANGEABLE


async def load_seminar(
    conn: Connection,
    seminar_id: UUID,
    *,
    states: Collection[SeminarState] | None = None,
    doing: str = "change it",
    lock: bool = False,
) -> SeminarRow:
    """The seminar, or 404; with ``states``, a 409 when it is in none of them."""
    found = await q.seminar(conn, seminar_id, lock=lock)
    if found is None:
        raise NotFound(f"no seminar {seminar_id}")
    if states is not None and found.state not in states:
        raise InvalidTransition(
            f"the seminar is {found.state.value} ({found.state.label}): cannot {doing} now",
            state=found.state.value,
        )
    return found


def announced(seminar: SeminarRow) -> bool:
    """Whether integrators know the seminar (``seminar.scheduled`` was published): from then on
    a change to what they were told is published too."""
    return seminar.state is not SeminarState.PLANNED


# rotation --------------------------------------------------------------------------------------


async def set_override(
    rt: Runtime, fiscal_year: int, host: Municipality, reason: str, actor: str
) -> None:
    rotation.check_override(fiscal_year, host, reason)
    async with rt.pool.acquire() as conn, conn.transaction():
        await q.lock_rotation(conn)
        existing = await q.seminar_of_year(conn, fiscal_year)
        if existing is not None:  # re-read under its lock: it may be being scheduled right now
            existing = await q.seminar(conn, existing.id, lock=True)
        if existing is not None and existing.state is not SeminarState.PLANNED:
            raise Conflict(
                f"the FY{fiscal_year} seminar is {existing.state.value} already with its host; "
                "the host can change only while it is planned"
            )
        await q.set_override(conn, rotation.Override(fiscal_year, host.code, reason, actor))
        if existing is not None:
            await q.update_seminar(conn, existing.id, actor, {"host_municipality": host.code})
        await q.log_change(
            conn,
            existing.id if existing else None,
            "rotation.override_set",
            actor,
            {"fiscal_year": fiscal_year, "host": host.code, "reason": reason},
        )


async def remove_override(rt: Runtime, fiscal_year: int, actor: str) -> None:
    async with rt.pool.acquire() as conn, conn.transaction():
        await q.lock_rotation(conn)
        existing = await q.seminar_of_year(conn, fiscal_year)
        if existing is not None:  # re-read under its lock: it may be being scheduled right now
            existing = await q.seminar(conn, existing.id, lock=True)
        if existing is not None and existing.state is not SeminarState.PLANNED:
            raise Conflict(
                f"the FY{fiscal_year} seminar is {existing.state.value} already with its host"
            )
        if not await q.delete_override(conn, fiscal_year):
            raise NotFound(f"FY{fiscal_year} has no override")
        if existing is not None:
            host = rotation.turn_of(fiscal_year).code
            await q.update_seminar(conn, existing.id, actor, {"host_municipality": host})
        await q.log_change(
            conn,
            existing.id if existing else None,
            "rotation.override_removed",
            actor,
            {"fiscal_year": fiscal_year},
        )


# seminars --------------------------------------------------------------------------------------


async def create_seminar(
    rt: Runtime, fiscal_year: int, title: str, when: Schedule | None, actor: str
) -> UUID:
    rotation.check_year(fiscal_year)
    seminar_id = uuid.uuid4()
    async with rt.pool.acquire() as conn, conn.transaction():
        await q.lock_rotation(conn)
        if (existing := await q.seminar_of_year(conn, fiscal_year)) is not None:
            raise Conflict(
                f"FY{fiscal_year} has its seminar already ({existing.id}); "
                "one joint seminar is held a year",
                seminar_id=str(existing.id),
            )
        host = rotation.host_of(fiscal_year, await q.overrides(conn)).host
        await q.insert_seminar(conn, seminar_id, fiscal_year, title, host.code, actor)
        if when is not None:
            await q.update_seminar(
                conn, seminar_id, actor, {"starts_at": when.starts_at, "ends_at": when.ends_at}
            )
        await q.log_change(conn, seminar_id, "seminar.created", actor, {"fiscal_year": fiscal_year})
    return seminar_id


async def update_seminar(
    rt: Runtime,
    seminar_id: UUID,
    *,
    title: str | None,
    when: Schedule | None,
    actor: str,
) -> None:
    async with rt.pool.acquire() as conn, conn.transaction():
        seminar = await load_seminar(conn, seminar_id, states=EDITABLE, lock=True)
        changes: dict[str, Any] = {}
        if title is not None:
            changes["title"] = title
        if when is not None:
            changes |= {"starts_at": when.starts_at, "ends_at": when.ends_at}
        await q.update_seminar(conn, seminar_id, actor, changes)
        if (
            when is not None
            and announced(seminar)
            and (when.starts_at, when.ends_at) != (seminar.starts_at, seminar.ends_at)
        ):
            await rt.outbox.add(
                conn,
                SeminarRescheduled(
                    seminar_id=seminar_id,
                    fiscal_year=seminar.fiscal_year,
                    starts_at=when.starts_at,
                    ends_at=when.ends_at,
                    rescheduled_at=rt.clock.now(),
                ),
            )
        await q.log_change(conn, seminar_id, "seminar.updated", actor, changes)


async def add_speaker(
    rt: Runtime,
    seminar_id: UUID,
    *,
    name: str,
    affiliation: str,
    profession: str | None,
    keynote: bool,
    fee: int,
    actor: str,
) -> UUID:
    speaker = SpeakerRow(uuid.uuid4(), name, affiliation, profession, keynote, fee)
    async with rt.pool.acquire() as conn, conn.transaction():
        await load_seminar(conn, seminar_id, states=EDITABLE, doing="add a speaker", lock=True)
        await q.insert_speaker(conn, seminar_id, speaker, actor)
        await q.log_change(conn, seminar_id, "speaker.added", actor, {"speaker_id": speaker.id})
    return speaker.id


async def remove_speaker(rt: Runtime, seminar_id: UUID, speaker_id: UUID, actor: str) -> None:
    async with rt.pool.acquire() as conn, conn.transaction():
        await load_seminar(conn, seminar_id, states=EDITABLE, doing="remove a speaker", lock=True)
        if not await q.delete_speaker(conn, seminar_id, speaker_id):
            raise NotFound(f"the seminar has no speaker {speaker_id}")
        await q.log_change(conn, seminar_id, "speaker.removed", actor, {"speaker_id": speaker_id})


async def add_venue(
    rt: Runtime,
    seminar_id: UUID,
    *,
    name: str,
    town: Municipality,
    capacity: int,
    fee: int,
    actor: str,
) -> UUID:
    venue = VenueRow(uuid.uuid4(), name, town.code, capacity, fee)
    async with rt.pool.acquire() as conn, conn.transaction():
        await load_seminar(conn, seminar_id, states=EDITABLE, doing="add a venue", lock=True)
        if await q.venue_named(conn, seminar_id, name):
            raise Conflict(f"{name} is a candidate venue already")
        await q.insert_venue(conn, seminar_id, venue, actor)
        await q.log_change(conn, seminar_id, "venue.added", actor, {"venue_id": venue.id})
    return venue.id


async def remove_venue(rt: Runtime, seminar_id: UUID, venue_id: UUID, actor: str) -> None:
    async with rt.pool.acquire() as conn, conn.transaction():
        seminar = await load_seminar(
            conn, seminar_id, states=EDITABLE, doing="remove a venue", lock=True
        )
        if seminar.chosen_venue_id == venue_id:
            raise Conflict("this is the chosen venue: choose another one before removing it")
        if not await q.delete_venue(conn, seminar_id, venue_id):
            raise NotFound(f"the seminar has no candidate venue {venue_id}")
        await q.log_change(conn, seminar_id, "venue.removed", actor, {"venue_id": venue_id})


async def choose_venue(rt: Runtime, seminar_id: UUID, venue_id: UUID, actor: str) -> None:
    """Make a candidate the main venue; its seats become the venue's capacity.

    While registration is open a bigger hall may still be chosen: the wait list moves up into
    the new seats. A hall with fewer seats than people accepted is refused.
    """
    now = rt.clock.now()
    async with rt.pool.acquire() as conn, conn.transaction():
        seminar = await load_seminar(
            conn, seminar_id, states=ARRANGEABLE, doing="choose its venue", lock=True
        )
        venue = next((v for v in await q.venues(conn, seminar_id) if v.id == venue_id), None)
        if venue is None:
            raise NotFound(f"the seminar has no candidate venue {venue_id}")
        await _set_place(
            conn,
            rt,
            seminar,
            AttendanceMode.VENUE,
            name=venue.name,
            town=venue.municipality,
            capacity=venue.capacity,
            actor=actor,
            at=now,
        )
        await q.update_seminar(conn, seminar_id, actor, {"chosen_venue_id": venue_id})
        await q.log_change(conn, seminar_id, "venue.chosen", actor, {"venue_id": venue_id})


async def set_online(
    rt: Runtime, seminar_id: UUID, *, stream_url: str, capacity: int, actor: str
) -> None:
    """The stream the other towns watch, and how many may join it online."""
    now = rt.clock.now()
    async with rt.pool.acquire() as conn, conn.transaction():
        seminar = await load_seminar(
            conn, seminar_id, states=ARRANGEABLE, doing="change its stream", lock=True
        )
        await q.update_seminar(conn, seminar_id, actor, {"stream_url": stream_url})
        await _set_place(
            conn,
            rt,
            seminar,
            AttendanceMode.ONLINE,
            name=ONLINE_PLACE,
            town=None,
            capacity=capacity,
            actor=actor,
            at=now,
        )
        await q.log_change(conn, seminar_id, "online.set", actor, {"capacity": capacity})


async def add_site(
    rt: Runtime, seminar_id: UUID, *, name: str, town: Municipality, capacity: int, actor: str
) -> UUID:
    site_id = uuid.uuid4()
    async with rt.pool.acquire() as conn, conn.transaction():
        seminar = await load_seminar(
            conn, seminar_id, states=ARRANGEABLE, doing="add a viewing site", lock=True
        )
        if await q.site_named(conn, seminar_id, name, site_id):
            raise Conflict(f"{name} is a viewing site already")
        await q.insert_place(
            conn,
            site_id,
            seminar_id,
            AttendanceMode.VIEWING_SITE.value,
            name,
            town.code,
            capacity,
            actor,
        )
        if announced(seminar):
            await rt.outbox.add(
                conn,
                _place_changed(
                    seminar_id,
                    PlaceRow(site_id, AttendanceMode.VIEWING_SITE, name, town.code, capacity, 0, 0),
                    at=rt.clock.now(),
                ),
            )
        await q.log_change(
            conn, seminar_id, "site.added", actor, {"site_id": site_id, "capacity": capacity}
        )
    return site_id


async def change_site(
    rt: Runtime,
    seminar_id: UUID,
    site_id: UUID,
    *,
    name: str | None,
    capacity: int | None,
    actor: str,
) -> None:
    now = rt.clock.now()
    async with rt.pool.acquire() as conn, conn.transaction():
        seminar = await load_seminar(
            conn, seminar_id, states=ARRANGEABLE, doing="change a viewing site", lock=True
        )
        place = await _site(conn, seminar_id, site_id)
        new_capacity = place.capacity if capacity is None else capacity
        check_capacity_change(place.place, new_capacity)
        if name is not None and await q.site_named(conn, seminar_id, name, site_id):
            raise Conflict(f"{name} is another viewing site already")
        await q.update_place(
            conn,
            site_id,
            name=name or place.name,
            municipality=place.municipality,
            capacity=new_capacity,
            actor=actor,
        )
        if announced(seminar) and new_capacity != place.capacity:
            await rt.outbox.add(
                conn, _place_changed(seminar_id, replace(place, capacity=new_capacity), at=now)
            )
        await fill_free_seats(conn, rt.outbox, seminar_id, place, new_capacity, now)
        await q.log_change(
            conn, seminar_id, "site.changed", actor, {"site_id": site_id, "capacity": new_capacity}
        )


async def remove_site(rt: Runtime, seminar_id: UUID, site_id: UUID, actor: str) -> None:
    async with rt.pool.acquire() as conn, conn.transaction():
        seminar = await load_seminar(
            conn, seminar_id, states=ARRANGEABLE, doing="remove a viewing site", lock=True
        )
        site = await _site(conn, seminar_id, site_id)
        if await q.registrations_at(conn, site_id):
            raise Conflict(
                "people registered for this viewing site; set its capacity instead of removing it"
            )
        await q.delete_place(conn, site_id)
        if announced(seminar):
            gone = replace(site, capacity=0, seated=0, waiting=0)
            await rt.outbox.add(
                conn, _place_changed(seminar_id, gone, at=rt.clock.now(), removed=True)
            )
        await q.log_change(conn, seminar_id, "site.removed", actor, {"site_id": site_id})


ONLINE_PLACE = "オンライン配信"


async def _set_place(
    conn: Connection,
    rt: Runtime,
    seminar: SeminarRow,
    mode: AttendanceMode,
    *,
    name: str,
    town: str | None,
    capacity: int,
    actor: str,
    at: datetime,
) -> None:
    """Create the seminar's one place of ``mode`` or give it new seats (seating the wait list
    when it grows; refusing to shrink below those seated). Once the seminar is announced, a new
    place or new seats or town are published (``place.changed``) before the promotions."""
    seminar_id = seminar.id
    place_id = await q.place_id_of(conn, seminar_id, mode.value)
    if place_id is None:
        place_id = uuid.uuid4()
        await q.insert_place(conn, place_id, seminar_id, mode.value, name, town, capacity, actor)
        if announced(seminar):
            new = PlaceRow(place_id, mode, name, town, capacity, 0, 0)
            await rt.outbox.add(conn, _place_changed(seminar_id, new, at=at))
        return
    place = await _locked_place(conn, place_id)
    check_capacity_change(place.place, capacity)
    await q.update_place(
        conn, place_id, name=name, municipality=town, capacity=capacity, actor=actor
    )
    if announced(seminar) and (capacity, town) != (place.capacity, place.municipality):
        changed = replace(place, capacity=capacity, municipality=town)
        await rt.outbox.add(conn, _place_changed(seminar_id, changed, at=at))
    await fill_free_seats(conn, rt.outbox, seminar_id, place, capacity, at)


def _place_changed(
    seminar_id: UUID, place: PlaceRow, *, at: datetime, removed: bool = False
) -> PlaceChanged:
    """The ``place.changed`` event of a place as it is after the change (counts before any
    promotion it causes)."""
    return PlaceChanged(
        seminar_id=seminar_id,
        place_id=place.id,
        mode=place.mode,
        municipality=place.municipality,
        capacity=place.capacity,
        seated=place.seated,
        waiting=place.waiting,
        removed=removed,
        changed_at=at,
    )


async def _locked_place(conn: Connection, place_id: UUID) -> PlaceRow:
    place = await q.lock_place(conn, place_id)
    assert place is not None  # the seminar is locked: its places cannot vanish meanwhile
    return place


async def _site(conn: Connection, seminar_id: UUID, site_id: UUID) -> PlaceRow:
    site = next(
        (
            p
            for p in await q.places(conn, seminar_id)
            if p.id == site_id and p.mode is AttendanceMode.VIEWING_SITE
        ),
        None,
    )
    if site is None:
        raise NotFound(f"the seminar has no viewing site {site_id}")
    return await _locked_place(conn, site_id)


# budget ----------------------------------------------------------------------------------------


async def save_budget_line(
    rt: Runtime,
    seminar_id: UUID,
    line_id: UUID | None,
    *,
    category: BudgetCategory | None,
    item: str | None,
    planned: int | None,
    actual: int | None,
    clear_actual: bool,
    actor: str,
) -> UUID:
    """Add a line (``line_id`` None) or change the given fields of one."""
    async with rt.pool.acquire() as conn, conn.transaction():
        await load_seminar(conn, seminar_id, doing="change its budget", lock=True)
        now = rt.clock.now()
        if line_id is None:
            if category is None or item is None or planned is None:
                raise Unprocessable(
                    "a budget line needs a category, an item and a planned amount",
                    fields={
                        k: "required"
                        for k, v in (("category", category), ("item", item), ("planned", planned))
                        if v is None
                    },
                )
            line = BudgetRow(uuid.uuid4(), category, item, planned, actual, actor, now)
        else:
            old = await q.budget_line(conn, seminar_id, line_id)
            if old is None:
                raise NotFound(f"the seminar has no budget line {line_id}")
            line = BudgetRow(
                old.id,
                category or old.category,
                item or old.item,
                old.planned if planned is None else planned,
                None if clear_actual else (old.actual if actual is None else actual),
                actor,
                now,
            )
        await q.save_budget_line(conn, seminar_id, line)
        await q.log_change(
            conn,
            seminar_id,
            "budget.saved",
            actor,
            {"line_id": line.id, "planned": line.planned, "actual": line.actual},
        )
    return line.id


async def remove_budget_line(rt: Runtime, seminar_id: UUID, line_id: UUID, actor: str) -> None:
    async with rt.pool.acquire() as conn, conn.transaction():
        await load_seminar(conn, seminar_id, lock=True)
        if not await q.delete_budget_line(conn, seminar_id, line_id):
            raise NotFound(f"the seminar has no budget line {line_id}")
        await q.log_change(conn, seminar_id, "budget.removed", actor, {"line_id": line_id})


# states ----------------------------------------------------------------------------------------


async def change_state(
    rt: Runtime, seminar_id: UUID, target: SeminarState, reason: str | None, actor: str
) -> SeminarState:
    """Move the seminar to ``target`` if the state machine allows it, with its event."""
    now = rt.clock.now()
    async with rt.pool.acquire() as conn, conn.transaction():
        seminar = await load_seminar(conn, seminar_id, lock=True)
        # Registrations lock their place: holding every place makes the state change and the
        # registrations strictly ordered (none is accepted after registration closed).
        await q.lock_places(conn, seminar_id)
        places = await q.places(conn, seminar_id)
        ready = Readiness(
            has_schedule=seminar.starts_at is not None,
            has_venue=seminar.chosen_venue_id is not None,
            has_stream=seminar.stream_url is not None,
            remote_places=sum(1 for p in places if p.mode is not AttendanceMode.VENUE),
            checked_in=await q.checked_in_count(conn, seminar_id),
        )
        state = next_state(seminar.state, target, ready, reason)
        changes: dict[str, Any] = {"state": state.value}
        if state is SeminarState.CANCELLED:
            changes["cancel_reason"] = reason
        await q.update_seminar(conn, seminar_id, actor, changes)
        await rt.outbox.add(conn, *await _state_events(conn, seminar, state, places, now))
        await q.log_change(
            conn,
            seminar_id,
            f"seminar.{state.value}",
            actor,
            {"from": seminar.state.value, "reason": reason},
        )
    return state


async def _state_events(
    conn: Connection,
    seminar: SeminarRow,
    state: SeminarState,
    places: list[PlaceRow],
    now: datetime,
) -> list[Any]:
    def capacity(mode: AttendanceMode) -> int:
        return sum(p.capacity for p in places if p.mode is mode)

    if state is SeminarState.SCHEDULED:
        venue = next(p for p in places if p.mode is AttendanceMode.VENUE)
        assert seminar.starts_at is not None
        assert seminar.ends_at is not None
        assert venue.municipality is not None
        return [
            SeminarScheduled(
                seminar_id=seminar.id,
                fiscal_year=seminar.fiscal_year,
                host_municipality=seminar.host_municipality,
                starts_at=seminar.starts_at,
                ends_at=seminar.ends_at,
                venue_municipality=venue.municipality,
                venue_capacity=venue.capacity,
                scheduled_at=now,
            )
        ]
    if state is SeminarState.REGISTRATION_OPEN:
        return [
            SeminarRegistrationOpened(
                seminar_id=seminar.id,
                fiscal_year=seminar.fiscal_year,
                venue_capacity=capacity(AttendanceMode.VENUE),
                viewing_site_capacity=capacity(AttendanceMode.VIEWING_SITE),
                online_capacity=capacity(AttendanceMode.ONLINE),
                opened_at=now,
            )
        ]
    counts = await q.status_counts(conn, seminar.id)
    if state is SeminarState.REGISTRATION_CLOSED:
        return [
            SeminarRegistrationClosed(
                seminar_id=seminar.id,
                accepted=counts.get("accepted", 0),
                waitlisted=counts.get("waitlisted", 0),
                closed_at=now,
            )
        ]
    if state is SeminarState.HELD:
        attendees = await q.attendees(conn, seminar.id)
        by_mode, by_town, by_role = attended_counts(attendees)
        return [
            SeminarHeld(
                seminar_id=seminar.id,
                fiscal_year=seminar.fiscal_year,
                host_municipality=seminar.host_municipality,
                held_on=tokyo_date(seminar.starts_at or now),
                registered=len(attendees),
                attended=sum(by_mode.values()),
                attended_by_mode=by_mode,
                attended_by_municipality=by_town,
                attended_by_role=by_role,
                held_at=now,
            )
        ]
    return [
        SeminarCancelled(
            seminar_id=seminar.id,
            fiscal_year=seminar.fiscal_year,
            active_registrations=counts.get("accepted", 0) + counts.get("waitlisted", 0),
            cancelled_at=now,
        )
    ]
