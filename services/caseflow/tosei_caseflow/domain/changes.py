"""What a decision on a case returns: its events, in order, each with what the person said.

The events go on the topic and into the read model; the notes (reasons, minutes, confidential
notes, hand-over text) stay in caseflow's journal and never leave it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from tosei_common.catalogue.caseflow import (
    CaseAssigned,
    CaseClosed,
    CaseOutcomeRecorded,
    CaseOutcomeVoided,
    CaseReferred,
    CaseSessionRecorded,
    CaseSessionVoided,
    CaseStateChanged,
    CaseTransferred,
)
from tosei_common.platform.audit import changed

CaseEvent = (
    CaseAssigned
    | CaseTransferred
    | CaseStateChanged
    | CaseClosed
    | CaseSessionRecorded
    | CaseReferred
    | CaseOutcomeRecorded
    | CaseSessionVoided
    | CaseOutcomeVoided
)


@dataclass(frozen=True)
class Note:
    """What a person said about a change; never leaves caseflow."""

    reason: str | None = None
    note: str | None = None
    minutes: str | None = None
    confidential: str | None = None


@dataclass(frozen=True)
class Entry:
    """One event of a change and the note that goes with it."""

    event: CaseEvent
    note: Note


@dataclass(frozen=True)
class Change:
    """What a decision changed, as the events that announce it, in the order they happen."""

    entries: tuple[Entry, ...]

    @classmethod
    def of(cls, event: CaseEvent, note: Note | None = None) -> Change:
        return cls((Entry(event, note or Note()),))

    def then(self, event: CaseEvent, note: Note | None = None) -> Change:
        return Change((*self.entries, Entry(event, note or Note())))

    @property
    def events(self) -> tuple[CaseEvent, ...]:
        return tuple(e.event for e in self.entries)


def audit_action(event: CaseEvent) -> str:
    """How the audit trail names what an event did: ``case.transferred``, ``case.closed`` …"""
    name = event.ce_type.removeprefix("jp.tosei.caseflow.")
    return name.rsplit(".v", 1)[0]


#: The note fields a change may carry, as the audit trail names them.
_NOTE_FIELDS = {"note": "note", "minutes": "minutes", "confidential": "confidential_notes"}


def audit_changes(
    event: CaseEvent,
    note: Note,
    event_id: UUID,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> dict[str, dict[str, Any]]:
    """One change as the audit trail keeps it, ``{field: {"old", "new"}}``: what it changed on
    the case (its row before and after), the facts of what it added (a session, a referral, an
    outcome: the event's own fields), and which notes it wrote. The notes' text stays in the
    journal, which the entry points to: the trail says that confidential notes were written,
    and leaves it to the journal (and its readers' rules) to say what they say."""
    shown = changed(before, after)
    facts = event.model_dump(mode="json", exclude={"case_id"})
    for field, value in facts.items():
        if field not in shown and after.get(field) != value:
            shown[field] = {"old": None, "new": value}
    for attribute, field in _NOTE_FIELDS.items():
        if getattr(note, attribute):
            shown[field] = {"old": None, "new": f"journal:{event_id}"}
    return shown


def audit_reason(event: CaseEvent, note: Note) -> str | None:
    """Why, as the person said it, or the reason code the event carries (a transfer's)."""
    code = getattr(event, "reason", None)
    return note.reason or (str(code) if code is not None else None)
