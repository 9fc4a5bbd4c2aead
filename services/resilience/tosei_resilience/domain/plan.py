"""The plan as people read it: which items to list, and the names behind the codes they hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from tosei_common.catalogue.resilience import PlanItemStatus
from tosei_common.region.said import Message
from tosei_resilience.domain.funding import FundingProgramme, ProgrammeRevision
from tosei_resilience.domain.plan_item import PlanItem
from tosei_resilience.domain.reference import Goal, PolicyArea, Scenario
from tosei_resilience.domain.review import ReviewFlag
from tosei_resilience.domain.revisions import RevisionRecord


@dataclass(frozen=True)
class ItemFilter:
    """Which items to list. ``municipality`` None with ``any_municipality`` False: region items."""

    any_municipality: bool = True
    municipality: str | None = None
    status: PlanItemStatus | None = None
    risk_scenario: str | None = None
    policy_area: str | None = None
    funding_programme: UUID | None = None
    include_retired: bool = False

    @property
    def with_retired(self) -> bool:
        """Retired items are listed when asked for, or when the filter is on their status."""
        return self.include_retired or self.status is PlanItemStatus.RETIRED


@dataclass(frozen=True)
class Lists:
    """The names behind the codes an item holds, for showing it to people."""

    goals: dict[int, Goal]
    scenarios: dict[str, Scenario]
    areas: dict[str, PolicyArea]
    programmes: dict[UUID, FundingProgramme]


@dataclass(frozen=True)
class PlanView:
    items: list[PlanItem]
    lists: Lists
    open_flags: dict[UUID, list[ReviewFlag]]  # only for the current plan
    numbers: dict[UUID, int]  # 事業番号 of the items named as origins or successors
    #: Why the reader may not change an item (absent: they may), for the items listed.
    refusals: dict[UUID, Message] = field(default_factory=dict)


#: What a screen says of an item of the plan as it stood on a past date.
PAST_PLAN = Message(
    "過去の時点の計画です。変更は今の計画で行ってください",
    "this is the plan as it stood then; changes are made to the plan as it is now",
)


@dataclass(frozen=True)
class HistoryView:
    """An item's revisions, and the lists that name the codes in their diffs."""

    revisions: list[RevisionRecord]
    lists: Lists


@dataclass(frozen=True)
class ProgrammeDetail:
    """A funding programme, its history, and the items relying on it now."""

    programme: FundingProgramme
    history: list[ProgrammeRevision]
    items: list[PlanItem]
