"""Registrations: who may sit where, the wait list, the reference a registrant keeps.

Every place (the main venue, each viewing site, the online stream) has its own seats. A
registrant takes a free seat or joins that place's wait list; a seat that comes free goes to
the first person waiting. The database makes this hold under concurrency (the place's row is
locked while its seats are counted); the rules themselves are here.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from tosei_common.catalogue.seminar import AttendanceMode, AttendeeRole
from tosei_common.platform.errors import Unprocessable
from tosei_common.region.municipalities import municipality
from tosei_common.region.text import email_key, name_key, phone_key

ROLE_LABELS: dict[AttendeeRole, str] = {
    AttendeeRole.PHYSICIAN: "医師",
    AttendeeRole.NURSE: "看護師",
    AttendeeRole.VISITING_NURSE: "訪問看護師",
    AttendeeRole.CARE_WORKER: "介護職員",
    AttendeeRole.CARE_MANAGER: "介護支援専門員",
    AttendeeRole.PHARMACIST: "薬剤師",
    AttendeeRole.DENTAL: "歯科医師・歯科衛生士",
    AttendeeRole.RESIDENT: "住民",
    AttendeeRole.OTHER: "その他",
}

MODE_LABELS: dict[AttendanceMode, str] = {
    AttendanceMode.VENUE: "会場参加",
    AttendanceMode.VIEWING_SITE: "サテライト会場",
    AttendanceMode.ONLINE: "オンライン",
}


class RegistrationStatus(StrEnum):
    ACCEPTED = "accepted"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[RegistrationStatus, str] = {
    RegistrationStatus.ACCEPTED: "参加確定",
    RegistrationStatus.WAITLISTED: "キャンセル待ち",
    RegistrationStatus.CANCELLED: "取消",
}


# references -----------------------------------------------------------------------------------

#: Crockford's base32: no I, L, O or U, so a reference read aloud or typed is not misread.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_GROUPS, _GROUP = 4, 4  # 16 characters: 80 random bits, far beyond guessing
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1"})
REFERENCE_PATTERN = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


def new_reference() -> str:
    """An unguessable registration reference, e.g. ``7KQ2-M9XD-4TPA-R3WB``.

    Whoever holds it may see, cancel and give feedback on that one registration, so it is drawn
    from the operating system's secure random source.
    """
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(_GROUPS * _GROUP))
    return "-".join(chars[i : i + _GROUP] for i in range(0, len(chars), _GROUP))


def normalise_reference(text: str) -> str | None:
    """A reference as people type it (lower case, full width, without hyphens, O for 0), or None
    when it cannot be one."""
    compact = re.sub(r"[\s\-‐ー－]", "", unicodedata.normalize("NFKC", text)).upper()
    compact = compact.translate(_FOLD)
    if len(compact) != _GROUPS * _GROUP or any(c not in _ALPHABET for c in compact):
        return None
    return "-".join(compact[i : i + _GROUP] for i in range(0, len(compact), _GROUP))


# seats -----------------------------------------------------------------------------------------


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


def seat_or_wait(place: Place) -> RegistrationStatus:
    """A newcomer's status: a seat when one is free and nobody waits before them."""
    if place.waiting == 0 and place.seated < place.capacity:
        return RegistrationStatus.ACCEPTED
    return RegistrationStatus.WAITLISTED


def promotions(capacity: int, seated: int, waiting: int) -> int:
    """How many of the first waiting registrants get the seats that are free now."""
    return max(0, min(capacity - seated, waiting))


def check_capacity_change(place: Place, capacity: int) -> None:
    """A place cannot shrink below the people already seated there."""
    if capacity < place.seated:
        raise Unprocessable(
            f"{place.name} has {place.seated} accepted registrations; "
            f"it cannot have fewer seats than that",
            fields={"capacity": f"at least {place.seated}"},
        )


def choose_place(
    places: Sequence[Place],
    mode: AttendanceMode,
    registrant_town: str,
    site_id: UUID | None,
) -> Place:
    """The place a registrant asked for, checked against the rules of its mode."""
    if mode is AttendanceMode.VIEWING_SITE:
        own = [p for p in places if p.mode is mode and p.municipality == registrant_town]
        if site_id is not None:
            site = next((p for p in places if p.place_id == site_id and p.mode is mode), None)
            if site is None:
                raise Unprocessable(
                    "no such viewing site for this seminar", fields={"site_id": "unknown site"}
                )
            if site.municipality != registrant_town:
                town = municipality(site.municipality or "").name
                raise Unprocessable(
                    f"{site.name} is the viewing site of {town}; viewing sites are for people "
                    f"of their own town. Choose online or the main venue, or your town's site",
                    fields={"site_id": f"a site in {municipality(registrant_town).name}"},
                )
            return site
        if len(own) == 1:
            return own[0]
        if not own:
            raise Unprocessable(
                f"{municipality(registrant_town).name} has no viewing site for this seminar; "
                "choose online or the main venue",
                fields={"mode": "no viewing site in your town"},
            )
        raise Unprocessable(
            f"{municipality(registrant_town).name} has {len(own)} viewing sites: say which",
            fields={"site_id": "required: " + "、".join(p.name for p in own)},
        )
    if site_id is not None:
        raise Unprocessable(
            "a site is chosen only for mode viewing_site", fields={"site_id": "leave it out"}
        )
    place = next((p for p in places if p.mode is mode), None)
    if place is None:
        raise Unprocessable(
            f"this seminar offers no {mode.value} attendance",
            fields={"mode": "not offered: " + ", ".join(sorted({p.mode.value for p in places}))},
        )
    return place


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


# the same person ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """What recognises a person registering twice: the name with an e-mail or a phone."""

    name_key: str
    email_key: str | None
    phone_key: str | None


def identity(name: str, email: str | None, phone: str | None) -> Identity:
    """The matching keys of a registrant, or a 422 naming the contact that is not usable."""
    problems: dict[str, str] = {}
    e_key = email_key(email)
    p_key = phone_key(phone)
    if email and e_key is None:
        problems["email"] = "not an e-mail address (e.g. hanako@example.jp)"
    if phone and p_key is None:
        problems["phone"] = "not a Japanese phone number (e.g. 017-723-1111)"
    if not problems and e_key is None and p_key is None:
        problems["email"] = "give an e-mail address or a phone number"
    if not name_key(name):
        problems["name"] = "required"
    if problems:
        raise Unprocessable("; ".join(f"{k}: {v}" for k, v in problems.items()), fields=problems)
    return Identity(name_key(name), e_key, p_key)
