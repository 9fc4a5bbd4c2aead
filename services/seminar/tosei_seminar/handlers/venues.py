"""Coordinators' commands on the candidate venues and the choice of the main venue."""

from __future__ import annotations

import uuid
from uuid import UUID

from tosei_common.catalogue.seminar import AttendanceMode
from tosei_common.platform.audit import removed
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_common.region.municipalities import Municipality
from tosei_seminar.db import places as places_db
from tosei_seminar.db import registrations as registrations_db
from tosei_seminar.db import venues as venues_db
from tosei_seminar.domain import access
from tosei_seminar.domain.arrangements import Venue, add_venue, choose_venue, remove_venue
from tosei_seminar.domain.history import SEMINAR
from tosei_seminar.handlers import loading
from tosei_seminar.handlers.places import save


async def add(
    uow: UnitOfWork,
    who: Principal,
    seminar_id: UUID,
    *,
    name: str,
    town: Municipality,
    capacity: int,
    fee: int,
) -> UUID:
    access.ensure_may_manage(who)
    seminar = await loading.seminar(uow.conn, seminar_id, lock=True)
    candidates = await venues_db.of_seminar(uow.conn, seminar_id)
    venue = add_venue(seminar, candidates, Venue(uuid.uuid4(), name, town.code, capacity, fee))
    await venues_db.insert(uow.conn, seminar_id, venue, uow.actor, uow.at)
    recorded = {"venue_id": venue.id, "venue": venue.name, "capacity": {"to": venue.capacity}}
    await uow.audit(SEMINAR, seminar_id, "venue.added", changes=recorded)
    return venue.id


async def remove(uow: UnitOfWork, who: Principal, seminar_id: UUID, venue_id: UUID) -> None:
    access.ensure_may_manage(who)
    seminar = await loading.seminar(uow.conn, seminar_id, lock=True)
    venue = remove_venue(seminar, await venues_db.get(uow.conn, seminar_id, venue_id), venue_id)
    await venues_db.delete(uow.conn, seminar_id, venue_id)
    recorded = removed({"venue_id": venue_id, "venue": venue.name})
    await uow.audit(SEMINAR, seminar_id, "venue.removed", changes=recorded)


async def choose(uow: UnitOfWork, who: Principal, seminar_id: UUID, venue_id: UUID) -> None:
    """Make a candidate the main venue; its seats become the venue's capacity.

    While registration is open a bigger hall may still be chosen: the wait list moves up into
    the new seats. A hall with fewer seats than people accepted is refused.
    """
    access.ensure_may_manage(who)
    seminar = await loading.seminar(uow.conn, seminar_id, lock=True)
    venue = await venues_db.get(uow.conn, seminar_id, venue_id)
    current = await places_db.lock_of_mode(uow.conn, seminar_id, AttendanceMode.VENUE)
    waiting = await registrations_db.waiting(uow.conn, current.place_id) if current else []
    change = choose_venue(
        seminar,
        venue,
        venue_id,
        current,
        waiting,
        place_id=uuid.uuid4(),
        actor=uow.actor,
        at=uow.at,
    )
    await save(uow, seminar, change, "venue.chosen")
