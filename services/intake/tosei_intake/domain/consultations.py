"""A consultation: who came, about which business, on what topics. Each one opens a case."""

from __future__ import annotations

from dataclasses import dataclass
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
from tosei_common.platform.errors import Unprocessable
from tosei_common.region.text import name_key, pseudonym
from tosei_intake.domain.clients import Person


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
    person: Person
    business_name: str | None
    stage: BusinessStage
    municipality: str  # six-digit code
    categories: tuple[Category, ...]
    channel: Channel
    description: str
    consent_to_share: bool
    consulted_at: datetime  # UTC
    origin: Origin = Origin.NEW_DESK
    legacy: LegacyRecord | None = None

    def __post_init__(self) -> None:
        if not self.categories:
            raise Unprocessable(
                "a consultation needs at least one category",
                fields={"categories": "give at least one category"},
            )
        if (self.origin is Origin.NEW_DESK) != (self.legacy is None):
            raise ValueError("handed-over consultations, and only they, carry a legacy record")


def unique_categories(categories: list[Category] | tuple[Category, ...]) -> tuple[Category, ...]:
    """The categories in the order given, each once."""
    return tuple(dict.fromkeys(categories))


def staff_pseudonym(secret: str, staff_name: str | None) -> str | None:
    """The old desk's staff member as caseflow can recognise them, without the name on a topic."""
    if not staff_name or not name_key(staff_name):
        return None
    return pseudonym(secret, "staff", name_key(staff_name))


def case_opened(
    consultation_id: UUID, client_id: UUID, new: NewConsultation, *, pseudonym_secret: str
) -> CaseOpened:
    """The event for a registered consultation: codes, ids and dates only, no personal data."""
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
        legacy_staff=(
            staff_pseudonym(pseudonym_secret, new.legacy.staff_name) if new.legacy else None
        ),
    )
