"""Where a seminar takes place: candidate venues, the chosen main venue, the stream and its
online seats, the viewing sites in the other towns.

While registration is open a place may still change: a bigger hall or more seats seat the
first people waiting; a place never shrinks below those seated. Once the seminar is announced a
new place, new seats or another town are published (``place.changed``) before the promotions
they cause; a new name or stream address alone is nothing integrators hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from tosei_common.catalogue.seminar import AttendanceMode
from tosei_common.platform.errors import Conflict, Message, NotFound, Unprocessable
from tosei_common.platform.events import Event
from tosei_common.region.text import name_key
from tosei_seminar.domain.places import (
    ONLINE_PLACE,
    Place,
    check_capacity_change,
    place_changed,
)
from tosei_seminar.domain.registration import Registration, Seating, fill_free_seats
from tosei_seminar.domain.seminar import ARRANGEABLE, Seminar, ensure_state


@dataclass(frozen=True)
class Venue:
    """A candidate hall for the main venue."""

    id: UUID
    name: str
    municipality: str
    capacity: int
    fee: int  # 会場使用料, yen


@dataclass(frozen=True)
class PlaceChange:
    """What a change to a place did: the place after it (counts before promotions), whether it
    is new or gone, whom its wait list seated, the seminar when it changed too, the events in
    order and what the audit records."""

    place: Place
    seating: Seating
    events: tuple[Event, ...]
    changes: dict[str, Any] = field(default_factory=dict)
    seminar: Seminar | None = None
    created: bool = False
    removed: bool = False


# candidate venues -------------------------------------------------------------------------------


def add_venue(seminar: Seminar, venues: Sequence[Venue], venue: Venue) -> Venue:
    ensure_state(seminar, ARRANGEABLE, Message("候補会場の追加", "add a venue"))
    if any(name_key(v.name) == name_key(venue.name) for v in venues):
        raise Conflict(
            f"「{venue.name}」はすでに候補会場です",
            en=f"{venue.name} is a candidate venue already",
            fields={"name": Message("同じ名前の候補会場があります", "a candidate has this name")},
        )
    return venue


def remove_venue(seminar: Seminar, venue: Venue | None, venue_id: UUID) -> Venue:
    ensure_state(seminar, ARRANGEABLE, Message("候補会場の削除", "remove a venue"))
    if seminar.chosen_venue_id == venue_id:
        raise Conflict(
            "選定済みの会場です。削除する前に別の会場を選んでください",
            en="this is the chosen venue: choose another one before removing it",
        )
    return _found_venue(venue, venue_id)


def _found_venue(venue: Venue | None, venue_id: UUID) -> Venue:
    if venue is None:
        raise NotFound(
            "この研修会にその候補会場はありません",
            en=f"the seminar has no candidate venue {venue_id}",
        )
    return venue


# the main venue and the stream --------------------------------------------------------------


def choose_venue(
    seminar: Seminar,
    venue: Venue | None,
    venue_id: UUID,
    current: Place | None,
    waiting: Sequence[Registration],
    *,
    place_id: UUID,
    actor: str,
    at: datetime,
) -> PlaceChange:
    """Make a candidate the main venue; its seats become the venue's capacity.

    ``current`` is the venue place (locked) when there is one, ``waiting`` its wait list;
    ``place_id`` names the place when it is created now.
    """
    ensure_state(seminar, ARRANGEABLE, Message("会場の選定", "choose its venue"))
    hall = _found_venue(venue, venue_id)
    change = _set_place(
        seminar,
        AttendanceMode.VENUE,
        current,
        waiting,
        place_id=place_id,
        name=hall.name,
        town=hall.municipality,
        capacity=hall.capacity,
        at=at,
    )
    return replace(
        change,
        seminar=seminar.changed(actor, at, chosen_venue_id=hall.id),
        changes={"venue_id": hall.id, **what_changed(current, change.place)},
    )


def set_online(
    seminar: Seminar,
    current: Place | None,
    waiting: Sequence[Registration],
    *,
    stream_url: str | None,
    capacity: int | None,
    place_id: UUID,
    actor: str,
    at: datetime,
) -> PlaceChange:
    """The stream the other towns watch, and how many may join it online; what is left out
    (None) stays as it is, so new seats need not repeat the address. The first time both are
    needed."""
    ensure_state(seminar, ARRANGEABLE, Message("配信の変更", "change its stream"))
    ensure_something_to_change(stream_url, capacity)
    missing: dict[str, Message] = {}
    if stream_url is None and seminar.stream_url is None:
        missing["stream_url"] = Message("配信のURLを入力してください", "give the stream's address")
    if capacity is None and current is None:
        missing["capacity"] = Message(
            "オンライン参加の定員を入力してください", "give the number of online seats"
        )
    if missing:
        raise Unprocessable(
            "配信を初めて設定するときは、配信のURLとオンライン参加の定員の両方を入力してください",
            en="the first time, give both the stream's address and the online seats",
            fields=missing,
        )
    seats = current.capacity if capacity is None and current is not None else capacity
    assert seats is not None  # the first time it was required above
    change = _set_place(
        seminar,
        AttendanceMode.ONLINE,
        current,
        waiting,
        place_id=place_id,
        name=ONLINE_PLACE,
        town=None,
        capacity=seats,
        at=at,
    )
    changes = what_changed(current, change.place)
    stream = stream_url or seminar.stream_url
    if stream != seminar.stream_url:
        changes["stream_url"] = {"from": seminar.stream_url, "to": stream}
    return replace(
        change,
        seminar=seminar.changed(actor, at, stream_url=stream),
        changes=changes,
    )


def ensure_something_to_change(*values: object) -> None:
    """A change that leaves every field out is refused rather than recorded as a change."""
    if all(v is None for v in values):
        raise Unprocessable(
            "変更する項目がありません。変更したい項目だけを送ってください",
            en="nothing to change: send the fields to change",
            fields={"body": Message("変更する項目がありません", "no fields given")},
        )


def _set_place(
    seminar: Seminar,
    mode: AttendanceMode,
    current: Place | None,
    waiting: Sequence[Registration],
    *,
    place_id: UUID,
    name: str,
    town: str | None,
    capacity: int,
    at: datetime,
) -> PlaceChange:
    """Create the seminar's one place of ``mode`` or give it new seats (seating the wait list
    when it grows; refusing to shrink below those seated)."""
    if current is None:
        new = Place(place_id, mode, name, town, capacity, 0, 0)
        announced = (place_changed(seminar.id, new, at=at),) if seminar.announced else ()
        return PlaceChange(new, Seating(new), announced, created=True)
    check_capacity_change(current, capacity)
    place = replace(current, name=name, municipality=town, capacity=capacity)
    events: list[Event] = []
    if seminar.announced and (capacity, town) != (current.capacity, current.municipality):
        events.append(place_changed(seminar.id, place, at=at))
    seating = fill_free_seats(place, waiting, at)
    return PlaceChange(place, seating, (*events, *seating.events))


def what_changed(before: Place | None, after: Place) -> dict[str, Any]:
    """The place by name, and each of its name, town and seats that changed (from → to; from
    None when the place is new): the history says what happened, not only which id."""
    changes: dict[str, Any] = {"place": after.name, "mode": after.mode.value}
    for key, old, new in (
        ("name", before.name if before else None, after.name),
        ("municipality", before.municipality if before else None, after.municipality),
        ("capacity", before.capacity if before else None, after.capacity),
    ):
        if old != new:
            changes[key] = {"from": old, "to": new}
    return changes


# viewing sites ----------------------------------------------------------------------------------


def add_site(
    seminar: Seminar,
    sites: Sequence[Place],
    *,
    site_id: UUID,
    name: str,
    town: str,
    capacity: int,
    at: datetime,
) -> PlaceChange:
    ensure_state(seminar, ARRANGEABLE, Message("サテライト会場の追加", "add a viewing site"))
    _ensure_unique_name(sites, name, site_id)
    site = Place(site_id, AttendanceMode.VIEWING_SITE, name, town, capacity, 0, 0)
    events = (place_changed(seminar.id, site, at=at),) if seminar.announced else ()
    changes = {"site_id": site_id, **what_changed(None, site)}
    return PlaceChange(site, Seating(site), events, changes, created=True)


def change_site(
    seminar: Seminar,
    site: Place | None,
    site_id: UUID,
    sites: Sequence[Place],
    waiting: Sequence[Registration],
    *,
    name: str | None,
    capacity: int | None,
    at: datetime,
) -> PlaceChange:
    """A new name or new seats (``site`` locked, ``waiting`` its wait list)."""
    ensure_state(seminar, ARRANGEABLE, Message("サテライト会場の変更", "change a viewing site"))
    ensure_something_to_change(name, capacity)
    found = _found_site(site, site_id)
    new_capacity = found.capacity if capacity is None else capacity
    check_capacity_change(found, new_capacity)
    if name is not None:
        _ensure_unique_name(sites, name, site_id)
    place = replace(found, name=name or found.name, capacity=new_capacity)
    events: list[Event] = []
    if seminar.announced and new_capacity != found.capacity:
        events.append(place_changed(seminar.id, place, at=at))
    seating = fill_free_seats(place, waiting, at)
    changes = {"site_id": site_id, **what_changed(found, place)}
    return PlaceChange(place, seating, (*events, *seating.events), changes)


def remove_site(
    seminar: Seminar, site: Place | None, site_id: UUID, *, registered: int, at: datetime
) -> PlaceChange:
    """A site nobody registered for (cancelled registrations still count: they keep it
    referenced) may be removed."""
    ensure_state(seminar, ARRANGEABLE, Message("サテライト会場の削除", "remove a viewing site"))
    found = _found_site(site, site_id)
    if registered:
        raise Conflict(
            "このサテライト会場には申込があります。削除せずに席数を変更してください",
            en="people registered for this viewing site; set its capacity instead of removing it",
        )
    gone = replace(found, capacity=0, seated=0, waiting=0)
    events = (place_changed(seminar.id, gone, at=at, removed=True),) if seminar.announced else ()
    changes = {"site_id": site_id, "place": found.name, "mode": found.mode.value}
    return PlaceChange(found, Seating(found), events, changes, removed=True)


def _found_site(site: Place | None, site_id: UUID) -> Place:
    if site is None or site.mode is not AttendanceMode.VIEWING_SITE:
        raise NotFound(
            "この研修会にそのサテライト会場はありません",
            en=f"the seminar has no viewing site {site_id}",
        )
    return site


def _ensure_unique_name(sites: Sequence[Place], name: str, site_id: UUID) -> None:
    """Two viewing sites of one seminar are not called the same (spelled alike is the same)."""
    for other in sites:
        same = name_key(other.name) == name_key(name)
        if other.mode is AttendanceMode.VIEWING_SITE and other.place_id != site_id and same:
            raise Conflict(
                f"「{name}」はすでにサテライト会場です",
                en=f"{name} is another viewing site already",
                fields={
                    "name": Message("同じ名前のサテライト会場があります", "a site has this name")
                },
            )
