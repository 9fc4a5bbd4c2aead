"""Giving free seats to the wait list: shared by cancellations and by places that grow."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from tosei_common.catalogue.seminar import RegistrationPromoted
from tosei_common.db import Connection
from tosei_common.outbox import Outbox
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
    events = [
        RegistrationPromoted(
            seminar_id=seminar_id,
            registration_id=r.id,
            place_id=place.id,
            role=r.role,
            municipality=r.municipality,
            mode=r.mode,
            capacity=capacity,
            seated=place.seated + i,
            waiting=place.waiting - i,
            promoted_at=at,
        )
        for i, r in enumerate(promoted, start=1)
    ]
    await outbox.add(conn, *events)
    return promoted
