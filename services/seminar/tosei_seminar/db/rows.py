"""The service's rows as typed values (what db/queries.py returns)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

import asyncpg

from tosei_common.catalogue.seminar import AttendanceMode, AttendeeRole
from tosei_seminar.domain.registration import Place, RegistrationStatus
from tosei_seminar.domain.reports import BudgetCategory
from tosei_seminar.domain.seminar import SeminarState

T = TypeVar("T")


def row_of(cls: type[T], record: asyncpg.Record) -> T:
    """Build a row dataclass from the record's columns of the same names."""
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in record.items() if k in names})


@dataclass(frozen=True)
class SeminarRow:
    id: UUID
    fiscal_year: int
    title: str
    host_municipality: str
    state: SeminarState
    starts_at: datetime | None
    ends_at: datetime | None
    stream_url: str | None
    chosen_venue_id: UUID | None
    cancel_reason: str | None
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "state", SeminarState(self.state))


@dataclass(frozen=True)
class SpeakerRow:
    id: UUID
    name: str
    affiliation: str
    profession: str | None
    keynote: bool
    fee: int


@dataclass(frozen=True)
class VenueRow:
    id: UUID
    name: str
    municipality: str
    capacity: int
    fee: int


@dataclass(frozen=True)
class PlaceRow:
    id: UUID
    mode: AttendanceMode
    name: str
    municipality: str | None
    capacity: int
    seated: int
    waiting: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "mode", AttendanceMode(self.mode))

    @property
    def place(self) -> Place:
        return Place(
            self.id,
            self.mode,
            self.name,
            self.municipality,
            self.capacity,
            self.seated,
            self.waiting,
        )


@dataclass(frozen=True)
class RegistrationRow:
    id: UUID
    seq: int
    reference: str
    seminar_id: UUID
    place_id: UUID
    mode: AttendanceMode
    name: str
    name_kana: str | None
    organisation: str | None
    role: AttendeeRole
    municipality: str
    email: str | None
    phone: str | None
    status: RegistrationStatus
    registered_at: datetime
    accepted_at: datetime | None
    promoted_at: datetime | None
    cancelled_at: datetime | None
    checked_in_at: datetime | None

    def __post_init__(self) -> None:
        object.__setattr__(self, "mode", AttendanceMode(self.mode))
        object.__setattr__(self, "role", AttendeeRole(self.role))
        object.__setattr__(self, "status", RegistrationStatus(self.status))


@dataclass(frozen=True)
class BudgetRow:
    id: UUID
    category: BudgetCategory
    item: str
    planned: int
    actual: int | None
    updated_by: str
    updated_at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "category", BudgetCategory(self.category))


@dataclass(frozen=True)
class ChangeRow:
    at: datetime
    actor: str
    action: str
    detail: dict[str, Any]
