"""What a decision on a case returns: its events, in order, each with what the person said.

The events go on the topic and into the read model; the notes (reasons, minutes, confidential
notes, hand-over text) stay in caseflow's journal and never leave it.
"""

from __future__ import annotations

from dataclasses import dataclass

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
