"""Who changed what: the entries of a seminar's audit trail, as the history shows them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Entry:
    at: datetime
    actor: str  # role:subject, or registrant:<registration id>
    action: str  # seminar.created, venue.chosen, registration.accepted, …
    changes: dict[str, Any]
    reason: str | None


#: How the audit trail names a seminar (and everything about it: its places, registrations…).
SEMINAR = "seminar"
#: ... and a year of the host rotation (its id is the fiscal year).
ROTATION = "rotation"
