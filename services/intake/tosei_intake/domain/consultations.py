"""A consultation: who came, about which business, on what topics. Each one opens a case.

Registering one is decided here: the consultation's moment, the client it belongs to (one on
file who is the same person, or a new one), the keys the client is to be known by from now on,
and the ``case.opened`` event. The handler loads the candidates and stores the decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from tosei_common.catalogue.intake import (
    BusinessStage,
    CaseOpened,
    Category,
    Channel,
    LegacyStatus,
    Origin,
)
from tosei_common.platform.errors import InputError, Message, Unprocessable
from tosei_common.region.text import name_key, pseudonym
from tosei_intake.domain import values
from tosei_intake.domain.clients import Key, KnownClient, Person, find_match, new_keys


@dataclass(frozen=True)
class LegacyRecord:
    """What the old desk knew of a handed-over case, kept for the desk staff to read."""

    status: LegacyStatus
    staff_name: str | None
    categories_as_written: str | None
    file: str
    line: int
    fingerprint: str


@dataclass(frozen=True)
class NewConsultation:
    """A consultation as given: at the desk, or in a row of an old desk's export."""

    person: Person
    business_name: str | None
    stage: BusinessStage
    municipality: str  # six-digit code
    categories: tuple[Category, ...]
    channel: Channel
    description: str
    consent_to_share: bool
    consulted_at: datetime | None  # UTC; None: at the moment it is registered
    origin: Origin = Origin.NEW_DESK
    legacy: LegacyRecord | None = None

    def __post_init__(self) -> None:
        if not self.categories:
            raise Unprocessable(
                "相談区分を1つ以上選んでください",
                en="a consultation needs at least one category",
                fields={
                    "categories": Message("1つ以上選んでください", "give at least one category")
                },
            )
        if (self.origin is Origin.NEW_DESK) != (self.legacy is None):
            raise ValueError("handed-over consultations, and only they, carry a legacy record")


@dataclass(frozen=True)
class AssignedExpert:
    """caseflow's word on who is on the case, since when."""

    expert_id: UUID
    track: str
    since: datetime


@dataclass(frozen=True)
class Consultation:
    """A consultation on file, as desk staff read it."""

    id: UUID
    client_id: UUID
    #: The client it was registered (and announced) under; differs from client_id after a merge.
    registered_client_id: UUID
    person_name: str
    furigana: str | None
    phone: str | None
    email: str | None
    business_name: str | None
    stage: BusinessStage
    municipality: str
    categories: tuple[Category, ...]
    channel: Channel
    description: str
    consent_to_share: bool
    consulted_at: datetime
    origin: Origin
    legacy: LegacyRecord | None
    expert: AssignedExpert | None
    created_at: datetime
    created_by: str
    #: Every expert who has had the case (the current one too): each may read it.
    experts_ever: frozenset[UUID] = frozenset()


@dataclass(frozen=True)
class Registration:
    """What registering a consultation changes, and the event that announces it."""

    consultation_id: UUID
    consultation: NewConsultation  # with its moment
    client_id: UUID
    client_created: bool
    #: Keys of the person the client was not known by yet (all of them for a new client).
    new_keys: tuple[Key, ...]
    events: tuple[CaseOpened, ...]

    @property
    def furigana_to_fill(self) -> str | None:
        """A client on file without furigana takes the first furigana given later."""
        return None if self.client_created else self.consultation.person.furigana


def register(
    new: NewConsultation,
    known: Sequence[KnownClient],
    *,
    at: datetime,
    consultation_id: UUID,
    new_client_id: UUID,
    legacy_staff: str | None = None,
) -> Registration:
    """Register ``new`` at ``at``: with the client on file it is (``known``: the candidates
    sharing a phone or an e-mail), or a new client ``new_client_id``. ``legacy_staff`` is the
    old staff member's pseudonym for the event (``staff_pseudonym``)."""
    dated = replace(new, consulted_at=_moment(new, at))
    match = find_match(new.person, known)
    client_id = new_client_id if match is None else match.id
    event = case_opened(consultation_id, client_id, dated, legacy_staff=legacy_staff)
    return Registration(
        consultation_id=consultation_id,
        consultation=dated,
        client_id=client_id,
        client_created=match is None,
        new_keys=tuple(new_keys(new.person, match, business_name=new.business_name)),
        events=(event,),
    )


def _moment(new: NewConsultation, at: datetime) -> datetime:
    if new.consulted_at is None:
        return at
    try:
        return values.not_in_future(new.consulted_at, at)
    except InputError as exc:
        raise Unprocessable(
            "相談日時（consulted_at）が未来になっています",
            en="consulted_at is in the future",
            fields={"consulted_at": exc.message},
        ) from None


def unique_categories(categories: Sequence[Category]) -> tuple[Category, ...]:
    """The categories in the order given, each once."""
    return tuple(dict.fromkeys(categories))


def staff_pseudonym(secret: str, staff_name: str | None) -> str | None:
    """The old desk's staff member as caseflow can recognise them, without the name on a topic."""
    if not staff_name or not name_key(staff_name):
        return None
    return pseudonym(secret, "staff", name_key(staff_name))


def case_opened(
    consultation_id: UUID, client_id: UUID, new: NewConsultation, *, legacy_staff: str | None
) -> CaseOpened:
    """The event for a registered consultation: codes, ids and dates only, no personal data."""
    if new.consulted_at is None:
        raise ValueError("a case opens at the consultation's moment; date it first")
    return CaseOpened(
        case_id=consultation_id,
        client_id=client_id,
        municipality=new.municipality,
        stage=new.stage,
        categories=list(new.categories),
        channel=new.channel,
        origin=new.origin,
        consent_to_share=new.consent_to_share,
        opened_at=new.consulted_at,
        legacy_status=new.legacy.status if new.legacy else None,
        legacy_staff=legacy_staff if new.legacy else None,
    )
