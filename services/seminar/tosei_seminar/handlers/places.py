"""Coordinators' commands on the places people watch from: the stream with its online seats,
and the viewing sites in the other towns. Every change to a place's seats runs under that
place's lock, after the seminar's (the lock order every command keeps)."""

from __future__ import annotations

import uuid
from uuid import UUID

from tosei_common.catalogue.seminar import AttendanceMode
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_common.region.municipalities import Municipality
from tosei_seminar.db import places as places_db
from tosei_seminar.db import registrations as registrations_db
from tosei_seminar.db import seminars as seminars_db
from tosei_seminar.domain import access
from tosei_seminar.domain.arrangements import (
    PlaceChange,
    add_site,
    change_site,
    remove_site,
    set_online,
)
from tosei_seminar.domain.history import SEMINAR
from tosei_seminar.domain.seminar import Seminar
from tosei_seminar.handlers import loading
from tosei_seminar.handlers import notices as notify


async def save(uow: UnitOfWork, seminar: Seminar, change: PlaceChange, action: str) -> None:
    """Persist a place's change, whom it seated and the seminar's own change; emit the events
    (the place's first, then the promotions), audit it and tell those it seated."""
    seminar_id = seminar.id
    if change.created:
        await places_db.insert(uow.conn, seminar_id, change.place, uow.actor, uow.at)
    elif change.removed:
        await places_db.delete(uow.conn, change.place.place_id)
    else:
        await places_db.update(uow.conn, change.place, uow.actor, uow.at)
    await registrations_db.promote(uow.conn, change.seating.promoted)
    if change.seminar is not None:
        await seminars_db.update(uow.conn, change.seminar)
    await uow.emit(*change.events)
    changes = change.changes
    if change.seating.promoted:
        changes = {**changes, "promoted": [r.id for r in change.seating.promoted]}
    await uow.audit(SEMINAR, seminar_id, action, changes=changes)
    await notify.promoted(uow, change.seminar or seminar, change.seating.promoted)


async def put_online(
    uow: UnitOfWork,
    who: Principal,
    seminar_id: UUID,
    *,
    stream_url: str | None,
    capacity: int | None,
) -> None:
    """The stream the other towns watch, and how many may join it online (None: unchanged)."""
    access.ensure_may_manage(who)
    seminar = await loading.seminar(uow.conn, seminar_id, lock=True)
    current = await places_db.lock_of_mode(uow.conn, seminar_id, AttendanceMode.ONLINE)
    waiting = await registrations_db.waiting(uow.conn, current.place_id) if current else []
    change = set_online(
        seminar,
        current,
        waiting,
        stream_url=stream_url,
        capacity=capacity,
        place_id=uuid.uuid4(),
        actor=uow.actor,
        at=uow.at,
    )
    await save(uow, seminar, change, "online.set")


async def add(
    uow: UnitOfWork,
    who: Principal,
    seminar_id: UUID,
    *,
    name: str,
    town: Municipality,
    capacity: int,
) -> UUID:
    """A viewing site in a town."""
    access.ensure_may_manage(who)
    seminar = await loading.seminar(uow.conn, seminar_id, lock=True)
    change = add_site(
        seminar,
        await places_db.of_seminar(uow.conn, seminar_id),
        site_id=uuid.uuid4(),
        name=name,
        town=town.code,
        capacity=capacity,
        at=uow.at,
    )
    await save(uow, seminar, change, "site.added")
    return change.place.place_id


async def change(
    uow: UnitOfWork,
    who: Principal,
    seminar_id: UUID,
    site_id: UUID,
    *,
    name: str | None,
    capacity: int | None,
) -> None:
    """A viewing site's new name or seats; more seats seat its wait list."""
    access.ensure_may_manage(who)
    seminar = await loading.seminar(uow.conn, seminar_id, lock=True)
    site = await places_db.lock(uow.conn, seminar_id, site_id)
    waiting = await registrations_db.waiting(uow.conn, site_id) if site else []
    decided = change_site(
        seminar,
        site,
        site_id,
        await places_db.of_seminar(uow.conn, seminar_id),
        waiting,
        name=name,
        capacity=capacity,
        at=uow.at,
    )
    await save(uow, seminar, decided, "site.changed")


async def remove(uow: UnitOfWork, who: Principal, seminar_id: UUID, site_id: UUID) -> None:
    """A viewing site nobody registered for."""
    access.ensure_may_manage(who)
    seminar = await loading.seminar(uow.conn, seminar_id, lock=True)
    site = await places_db.lock(uow.conn, seminar_id, site_id)
    registered = await registrations_db.count_at_place(uow.conn, site_id) if site else 0
    decided = remove_site(seminar, site, site_id, registered=registered, at=uow.at)
    await save(uow, seminar, decided, "site.removed")
