"""Reviews a funding programme's change asks for: a flag on each plan item relying on it, open
until the item's owner (or a coordinator) confirms they looked at the item again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from tosei_common.platform.errors import InvalidTransition

#: How a retired item's open flags are closed: nothing is left to review.
RETIRED_NOTE = "事業の廃止により確認不要"


@dataclass(frozen=True)
class ReviewFlag:
    id: UUID
    item_id: UUID
    item_number: int
    item_title: str
    municipality: str | None
    programme_id: UUID
    programme_name: str
    programme_version: int
    changed_fields: list[str]
    flagged_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None
    resolution_note: str | None

    @property
    def open(self) -> bool:
        return self.resolved_at is None


def ensure_open(flag: ReviewFlag) -> None:
    """A review is confirmed once; the first confirmation stays on record."""
    if not flag.open:
        raise InvalidTransition(
            f"計画事業 No.{flag.item_number} の確認は{flag.resolved_by}が済ませています",
            en=f"the review of plan item No.{flag.item_number} was confirmed already "
            f"by {flag.resolved_by}",
        )
