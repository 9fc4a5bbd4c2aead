"""Coordinators' commands on a seminar itself: plan it, change its title or times, move it
along its states."""

from __future__ import annotations

import uuid
from datetime import date, time
from uuid import UUID

from tosei_common.catalogue.seminar import SeminarRescheduled
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_seminar.db import places as places_db
from tosei_seminar.db import registrations as registrations_db
from tosei_seminar.db import rotation as rotation_db
from tosei_seminar.db import seminars as seminars_db
from tosei_seminar.domain import access, notices, rotation
from tosei_seminar.domain.history import SEMINAR
from tosei_seminar.domain.lifecycle import move
from tosei_seminar.domain.seminar import Seminar, SeminarState, plan, revise, schedule_from
from tosei_seminar.handlers import loading
from tosei_seminar.handlers import notices as notify


async def create(
    uow: UnitOfWork,
    who: Principal,
    fiscal_year: int,
    title: str,
    *,
    day: date | None,
    start: time | None,
    end: time | None,
) -> UUID:
    """Plan the seminar of a fiscal year; its host comes from the rotation."""
    access.ensure_may_manage(who)
    when = schedule_from(fiscal_year, day, start, end)
    await rotation_db.lock(uow.conn)
    existing = await seminars_db.of_year(uow.conn, fiscal_year)
    host = rotation.host_of(fiscal_year, await rotation_db.overrides(uow.conn)).host
    seminar = plan(
        uuid.uuid4(),
        fiscal_year,
        title,
        when,
        host=host.code,
        existing=existing,
        actor=uow.actor,
        at=uow.at,
    )
    await seminars_db.insert(uow.conn, seminar)
    await uow.audit(SEMINAR, seminar.id, "seminar.created", changes={"fiscal_year": fiscal_year})
    return seminar.id


async def update(
    uow: UnitOfWork,
    who: Principal,
    seminar_id: UUID,
    *,
    title: str | None,
    day: date | None,
    start: time | None,
    end: time | None,
) -> None:
    """A new title, or a new date and times (published once the seminar is announced)."""
    access.ensure_may_manage(who)
    seminar = await loading.seminar(uow.conn, seminar_id, lock=True)
    when = schedule_from(seminar.fiscal_year, day, start, end)
    change = revise(seminar, title=title, when=when, actor=uow.actor, at=uow.at)
    await seminars_db.update(uow.conn, change.seminar)
    await uow.emit(*change.events)
    await uow.audit(SEMINAR, seminar_id, "seminar.updated", changes=change.changes)
    if any(isinstance(e, SeminarRescheduled) for e in change.events):
        told = await notify.on_the_list(uow, seminar_id)
        await notify.send(
            uow,
            seminar_id,
            lambda places, head: notices.rescheduled(seminar, change.seminar, told, places, head),
        )


async def change_state(
    uow: UnitOfWork,
    who: Principal,
    seminar_id: UUID,
    target: SeminarState,
    reason: str | None,
    *,
    small_cells: int,
) -> SeminarState:
    """Move the seminar to ``target`` if the state machine allows it, with its event (its
    attendance figures without groups of fewer than ``small_cells``)."""
    access.ensure_may_manage(who)
    seminar = await loading.seminar(uow.conn, seminar_id, lock=True)
    # Registrations lock their place: holding every place makes the state change and the
    # registrations strictly ordered (none is accepted after registration closed).
    await places_db.lock_all(uow.conn, seminar_id)
    change = move(
        seminar,
        target,
        reason,
        places=await places_db.of_seminar(uow.conn, seminar_id),
        attendees=await registrations_db.attendees(uow.conn, seminar_id),
        actor=uow.actor,
        at=uow.at,
        small_cells=small_cells,
    )
    await seminars_db.update(uow.conn, change.seminar)
    await uow.emit(*change.events)
    state = change.seminar.state
    await uow.audit(
        SEMINAR, seminar_id, f"seminar.{state.value}", changes=change.changes, reason=reason
    )
    await _tell_of(uow, change.seminar)
    return state


async def _tell_of(uow: UnitOfWork, seminar: Seminar) -> None:
    """A cancelled seminar is told to everyone on its list; a held one thanks those who came
    and asks for their feedback (the natural moment: the coordinator closes the day)."""
    if seminar.state is SeminarState.CANCELLED:
        told = await notify.on_the_list(uow, seminar.id)
        await notify.send(
            uow, seminar.id, lambda places, head: notices.called_off(seminar, told, places, head)
        )
    elif seminar.state is SeminarState.HELD:
        came = await notify.attendees(uow, seminar.id)
        await notify.send(
            uow,
            seminar.id,
            lambda places, head: notices.feedback_invitation(seminar, came, places, head),
        )
