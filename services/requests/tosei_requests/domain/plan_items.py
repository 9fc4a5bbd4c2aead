"""The service's own copy of the resilience plan's items, kept from the plan_item events.

A request shows a linked plan item's current number, town and status without asking the
resilience service; an item retired from the plan is shown as retired (廃止). Titles are free
text and do not travel on topics, so the copy has none: a person sees the title in the
resilience service (or the console) by the item's number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from tosei_common.catalogue.resilience import (
    PlanItemAdded,
    PlanItemField,
    PlanItemRetired,
    PlanItemRevised,
    PlanItemStatus,
)
from tosei_common.region.municipalities import municipality
from tosei_requests.domain.labels import PLAN_STATUS, WHOLE_REGION

PlanItemEvent = PlanItemAdded | PlanItemRevised | PlanItemRetired


@dataclass(frozen=True)
class PlanItemCopy:
    item_id: UUID
    number: int
    municipality: str | None
    status: PlanItemStatus
    version: int
    changed_fields: tuple[str, ...]
    changed_at: datetime

    @property
    def retired(self) -> bool:
        return self.status is PlanItemStatus.RETIRED

    @property
    def label(self) -> str:
        """事業番号12（平内町・実施中）"""
        town = WHOLE_REGION if self.municipality is None else municipality(self.municipality).name
        return f"国土強靱化地域計画 事業番号{self.number}（{town}・{PLAN_STATUS[self.status]}）"


def copy_of(event: PlanItemEvent) -> PlanItemCopy:
    """The plan item as the event leaves it."""
    if isinstance(event, PlanItemAdded):
        status, at = event.status, event.added_at
        changed = tuple(f.value for f in PlanItemField)
    elif isinstance(event, PlanItemRevised):
        status, at = event.status, event.revised_at
        changed = tuple(f.value for f in event.changed_fields)
    else:
        status, at = PlanItemStatus.RETIRED, event.retired_at
        changed = (PlanItemField.STATUS.value,)
    return PlanItemCopy(
        item_id=event.item_id,
        number=event.number,
        municipality=event.municipality,
        status=status,
        version=event.version,
        changed_fields=changed,
        changed_at=at,
    )


def apply(current: PlanItemCopy | None, event: PlanItemEvent) -> PlanItemCopy | None:
    """The copy after the event, or None when the copy already knows a later version (events of
    one item arrive in order, but a replay or a re-sent event may bring an older one again)."""
    if current is not None and current.version >= event.version:
        return None
    return copy_of(event)
