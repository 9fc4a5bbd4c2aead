"""What caseflow discloses to a person about themselves (本人開示): their cases with the whole
history — states, assignments and transfers, sessions, referrals, outcomes, who did what and
what they said — and the experts' confidential notes only when the council's setting says so
(``TOSEI_DISCLOSE_CONFIDENTIAL_NOTES``). Withheld notes are not hidden silently: the case says
how many there are, and why they were withheld.

Pure assembling: the handler loads each case, this decides what of it is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from uuid import UUID

from tosei_caseflow.domain.cases import Tenure
from tosei_caseflow.domain.views import (
    CaseRow,
    OutcomeRow,
    ReferralRow,
    SessionRow,
    TimelineRow,
)

#: Why the notes are withheld when the setting keeps them back, as the bundle says it.
WITHHELD_BECAUSE = (
    "支援人材の非公開メモは、支援人材自身の所見であり、開示すると協議会の相談支援の事務の"
    "適正な遂行に支障を及ぼすおそれがあるため（個人情報の保護に関する法律 第78条第1項第7号）、"
    "協議会の定めにより開示していません"
)


@dataclass(frozen=True)
class CaseLoaded:
    """One case of the person's, as the database holds it."""

    case: CaseRow
    tenures: list[Tenure]
    timeline: list[TimelineRow]
    sessions: list[SessionRow]
    referrals: list[ReferralRow]
    outcomes: list[OutcomeRow]


@dataclass(frozen=True)
class DisclosedCase:
    loaded: CaseLoaded
    timeline: list[TimelineRow]  # the notes withheld when the setting says so
    confidential_withheld: int


@dataclass(frozen=True)
class CaseflowDisclosure:
    client_id: UUID
    cases: list[DisclosedCase]
    confidential_disclosed: bool
    expert_names: dict[UUID, str]

    @property
    def confidential_withheld(self) -> int:
        return sum(c.confidential_withheld for c in self.cases)

    @property
    def withheld_because(self) -> str | None:
        return WITHHELD_BECAUSE if self.confidential_withheld else None


def disclose_case(loaded: CaseLoaded, *, confidential: bool) -> DisclosedCase:
    """The case as the person is shown it: every entry, its confidential note only when
    ``confidential`` (the council's setting)."""
    if confidential:
        return DisclosedCase(loaded, list(loaded.timeline), 0)
    withheld = sum(1 for row in loaded.timeline if row.confidential)
    shown = [replace(row, confidential=None) for row in loaded.timeline]
    return DisclosedCase(loaded, shown, withheld)


def disclosure(
    client_id: UUID,
    cases: Sequence[CaseLoaded],
    *,
    confidential: bool,
    expert_names: dict[UUID, str],
) -> CaseflowDisclosure:
    return CaseflowDisclosure(
        client_id,
        [disclose_case(c, confidential=confidential) for c in cases],
        confidential,
        expert_names,
    )
