"""The places people attend at — the main venue, each viewing site, the online stream — and
their seats.

Every place has its own seats and its own wait list. The database makes the counts hold under
concurrency (a place's row is locked while its seats are counted); the rules are here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from tosei_common.catalogue.seminar import AttendanceMode, PlaceChanged
from tosei_common.platform.errors import Message, Unprocessable
from tosei_common.region.municipalities import municipality
from tosei_seminar.domain.labels import MODE_LABELS

#: The name of the online place (it has no town).
ONLINE_PLACE = "オンライン配信"


@dataclass(frozen=True)
class Place:
    place_id: UUID
    mode: AttendanceMode
    name: str
    municipality: str | None  # the venue's or site's town; None online
    capacity: int
    seated: int
    waiting: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.seated)

    def counted(self, *, seated: int, waiting: int) -> Place:
        """The place with its counts after a change."""
        return replace(self, seated=seated, waiting=waiting)


def promotions(capacity: int, seated: int, waiting: int) -> int:
    """How many of the first waiting registrants get the seats that are free now."""
    return max(0, min(capacity - seated, waiting))


def check_capacity_change(place: Place, capacity: int) -> None:
    """A place cannot shrink below the people already seated there."""
    if capacity < place.seated:
        raise Unprocessable(
            f"{place.name}には参加確定の方が{place.seated}人います。席数はそれより少なくできません",
            en=f"{place.name} has {place.seated} accepted registrations; "
            "it cannot have fewer seats than that",
            fields={
                "capacity": Message(f"{place.seated}以上にしてください", f"at least {place.seated}")
            },
        )


def place_changed(
    seminar_id: UUID, place: Place, *, at: datetime, removed: bool = False
) -> PlaceChanged:
    """The ``place.changed`` event of a place as it is after the change (counts before any
    promotion it causes)."""
    return PlaceChanged(
        seminar_id=seminar_id,
        place_id=place.place_id,
        mode=place.mode,
        municipality=place.municipality,
        capacity=place.capacity,
        seated=place.seated,
        waiting=place.waiting,
        removed=removed,
        changed_at=at,
    )


def choose_place(
    places: Sequence[Place],
    mode: AttendanceMode,
    registrant_town: str,
    site_id: UUID | None,
) -> Place:
    """The place a registrant asked for, checked against the rules of its mode."""
    if mode is AttendanceMode.VIEWING_SITE:
        return _viewing_site(places, registrant_town, site_id)
    if site_id is not None:
        raise Unprocessable(
            "サテライト会場を選べるのは、参加方法がサテライト会場のときだけです",
            en="a site is chosen only for mode viewing_site",
            fields={"site_id": Message("指定しないでください", "leave it out")},
        )
    place = next((p for p in places if p.mode is mode), None)
    if place is None:
        offered_modes = sorted({p.mode for p in places}, key=list(AttendanceMode).index)
        raise Unprocessable(
            f"この研修会は「{MODE_LABELS[mode]}」での参加を受け付けていません",
            en=f"this seminar offers no {mode.value} attendance",
            fields={
                "mode": Message(
                    "受け付けているのは: " + "、".join(MODE_LABELS[m] for m in offered_modes),
                    "not offered: " + ", ".join(sorted(m.value for m in offered_modes)),
                )
            },
        )
    return place


def _viewing_site(places: Sequence[Place], registrant_town: str, site_id: UUID | None) -> Place:
    """Viewing sites are for the people of their own town."""
    mode = AttendanceMode.VIEWING_SITE
    town = municipality(registrant_town).name
    own = [p for p in places if p.mode is mode and p.municipality == registrant_town]
    if site_id is not None:
        site = next((p for p in places if p.place_id == site_id and p.mode is mode), None)
        if site is None:
            raise Unprocessable(
                "この研修会にそのサテライト会場はありません",
                en="no such viewing site for this seminar",
                fields={
                    "site_id": Message("この研修会のサテライト会場ではありません", "unknown site")
                },
            )
        if site.municipality != registrant_town:
            site_town = municipality(site.municipality or "").name
            raise Unprocessable(
                f"{site.name}は{site_town}のサテライト会場です。サテライト会場はその町の方のための"
                f"会場です。オンラインかメイン会場、または{town}のサテライト会場を選んでください",
                en=f"{site.name} is the viewing site of {site_town}; viewing sites are for people "
                "of their own town. Choose online or the main venue, or your town's site",
                fields={
                    "site_id": Message(
                        f"{town}のサテライト会場を選んでください", f"a site in {town}"
                    )
                },
            )
        return site
    if len(own) == 1:
        return own[0]
    if not own:
        raise Unprocessable(
            f"{town}にはこの研修会のサテライト会場がありません。オンラインかメイン会場を選んでください",
            en=f"{town} has no viewing site for this seminar; choose online or the main venue",
            fields={
                "mode": Message(
                    "お住まいの町にはサテライト会場がありません", "no viewing site in your town"
                )
            },
        )
    names = "、".join(p.name for p in own)
    raise Unprocessable(
        f"{town}にはサテライト会場が{len(own)}か所あります。どちらの会場か選んでください",
        en=f"{town} has {len(own)} viewing sites: say which",
        fields={"site_id": Message(f"選んでください: {names}", f"required: {names}")},
    )


def offered(places: Sequence[Place], registrant_town: str, host: str) -> list[Place]:
    """The places to offer a registrant, the ones meant for them first.

    People of the host town are offered the main venue first. People of the other towns are
    offered their own town's viewing site first, then online, and the main venue last (they join
    online: that is the point of the viewing sites). Other towns' sites are not offered.
    """
    own_sites = [
        p
        for p in places
        if p.mode is AttendanceMode.VIEWING_SITE and p.municipality == registrant_town
    ]
    venue = [p for p in places if p.mode is AttendanceMode.VENUE]
    online = [p for p in places if p.mode is AttendanceMode.ONLINE]
    if registrant_town == host:
        return [*venue, *own_sites, *online]
    return [*own_sites, *online, *venue]
