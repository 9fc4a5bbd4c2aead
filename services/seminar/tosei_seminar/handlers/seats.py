"""Giving free seats to the wait list: shared by cancellations and by places that grow."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID

from tosei_common.catalogue.seminar import RegistrationPromoted
from tosei_common.platform.db import Connection
from tosei_common.platform.outbox import Outbox
from tosei_seminar.db import queries as q
from tosei_seminar.db.rows import PlaceRow, RegistrationRow
from tosei_seminar.domain.registration import promotions


async def fill_free_seats(
    conn: Connection,
    outbox: Outbox,
    seminar_id: UUID,
    place: PlaceRow,
    capacity: int,
    at: datetime,
) -> list[RegistrationRow]:
    """Promote the first waiting registrants of a locked place into its free seats, in order.

    ``place`` carries the counts taken under the lock; ``capacity`` is the place's capacity
    after the change that freed the seats.
    """
    promoted = await q.promote_first_waiting(
        conn, place.id, promotions(capacity, place.seated, place.waiting), at
    )
    resized = replace(place, capacity=capacity)
    events = [
        RegistrationPromoted(
            **place_change(r, counted(resized, seated=place.seated + i, waiting=place.waiting - i)),
            promoted_at=at,
        )
        for i, r in enumerate(promoted, start=1)
    ]
    await outbox.add(conn, *events)
    return promoted


def counted(place: PlaceRow, *, seated: int, waiting: int) -> PlaceRow:
    """The place with its counts after a change."""
    return replace(place, seated=seated, waiting=waiting)


def place_change(registration: RegistrationRow, place: PlaceRow) -> dict[str, Any]:
    """The fields every registration event carries: the registrant's role, town and mode, and
    the place's counts after the change (``place``)."""
    return {
        "seminar_id": registration.seminar_id,
        "registration_id": registration.id,
        "place_id": place.id,
        "role": registration.role,
        "municipality": registration.municipality,
        "mode": registration.mode,
        "capacity": place.capacity,
        "seated": place.seated,
        "waiting": place.waiting,
    }
