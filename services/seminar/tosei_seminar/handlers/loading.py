"""Loading what every command and query starts from: the seminar, a registration by its
reference, a place under its lock."""

from __future__ import annotations

from uuid import UUID

from tosei_common.platform.db import Connection
from tosei_common.platform.errors import NotFound
from tosei_seminar.db import places as places_db
from tosei_seminar.db import registrations as registrations_db
from tosei_seminar.db import seminars as seminars_db
from tosei_seminar.domain.places import Place
from tosei_seminar.domain.references import no_such_reference, normalise_reference
from tosei_seminar.domain.registration import Registration
from tosei_seminar.domain.seminar import Seminar


async def seminar(conn: Connection, seminar_id: UUID, *, lock: bool = False) -> Seminar:
    """The seminar (its row locked with ``lock``), or 404."""
    found = await seminars_db.get(conn, seminar_id, lock=lock)
    if found is None:
        raise NotFound("研修会が見つかりません", en=f"no seminar {seminar_id}")
    return found


async def registration(conn: Connection, reference: str) -> Registration:
    """The registration a reference names, or 404 (also for anything that is no reference)."""
    normal = normalise_reference(reference)
    found = await registrations_db.by_reference(conn, normal) if normal else None
    if found is None:
        raise no_such_reference()
    return found


async def locked_place(conn: Connection, seminar_id: UUID, place_id: UUID) -> Place:
    """A place the command knows exists (its seminar is locked, or it has registrations: it
    cannot vanish meanwhile), locked and counted."""
    place = await places_db.lock(conn, seminar_id, place_id)
    assert place is not None
    return place
