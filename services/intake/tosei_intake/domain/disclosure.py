"""What intake discloses to a person about themselves (本人開示): the client record with every
name and contact it knows them by, every consultation as recorded and as corrected, the
consent changes, the merges, the stops of use, and what was done to each record and why.

Pure assembling: the handler loads, this puts each piece where it belongs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from tosei_common.platform.disclosure import AuditRow
from tosei_intake.domain.clients import Client, Key, KeyKind, spellings
from tosei_intake.domain.consultations import Consultation
from tosei_intake.domain.use_stops import UseStop


@dataclass(frozen=True)
class ConsentRecord:
    consultation_id: UUID
    consent_to_share: bool
    given_on: date
    note: str | None
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True)
class MergeRecord:
    merged_client_id: UUID
    client_id: UUID
    merged_at: datetime
    merged_by: str
    undone_at: datetime | None
    undone_by: str | None
    undo_reason: str | None


@dataclass(frozen=True)
class DisclosedConsultation:
    consultation: Consultation
    consents: list[ConsentRecord]
    history: list[AuditRow]  # corrections, consent changes: what was done to it and why


@dataclass(frozen=True)
class IntakeDisclosure:
    client: Client
    keys: dict[KeyKind, list[str]]  # every spelling per kind, as registered
    consultations: list[DisclosedConsultation]
    merges: list[MergeRecord]
    use_stops: list[UseStop]
    history: list[AuditRow]  # what was done to the client record itself


def disclosure(
    client: Client,
    keys: Iterable[Key],
    consultations: Sequence[Consultation],
    consents: Iterable[ConsentRecord],
    merges: Sequence[MergeRecord],
    use_stops: Sequence[UseStop],
    client_history: Sequence[AuditRow],
    consultation_history: Iterable[AuditRow],
) -> IntakeDisclosure:
    """Everything loaded for one person, each consultation with its own consents and history."""
    known = list(keys)
    consents_of: dict[UUID, list[ConsentRecord]] = {}
    for c in consents:
        consents_of.setdefault(c.consultation_id, []).append(c)
    history_of: dict[str, list[AuditRow]] = {}
    for row in consultation_history:
        history_of.setdefault(row.entity_id, []).append(row)
    return IntakeDisclosure(
        client=client,
        keys={kind: spellings(k for k in known if k.kind is kind) for kind in KeyKind},
        consultations=[
            DisclosedConsultation(c, consents_of.get(c.id, []), history_of.get(str(c.id), []))
            for c in consultations
        ],
        merges=list(merges),
        use_stops=list(use_stops),
        history=list(client_history),
    )
