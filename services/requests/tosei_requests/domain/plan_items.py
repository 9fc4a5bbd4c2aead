"""The service's own copy of the resilience plan's items, kept from the plan_item events.

A request shows a linked plan item's current number, title, town and status without asking the
resilience service; an item retired from the plan is shown as retired (廃止). Events published
before titles travelled carry none: the copy keeps the last title it saw (None until one comes).
"""

from __future__ import annotations

import re
import unicodedata
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

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class PlanItemCopy:
    item_id: UUID
    number: int
    title: str | None
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
        """国土強靱化地域計画 事業番号12「除雪機械の更新」（平内町・実施中）"""
        town = WHOLE_REGION if self.municipality is None else municipality(self.municipality).name
        title = "" if self.title is None else f"「{self.title}」"
        return (
            f"国土強靱化地域計画 事業番号{self.number}{title}（{town}・{PLAN_STATUS[self.status]}）"
        )


def copy_of(event: PlanItemEvent, previous_title: str | None = None) -> PlanItemCopy:
    """The plan item as the event leaves it (an event without a title keeps the previous one)."""
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
        title=previous_title if event.title is None else event.title,
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
    return copy_of(event, None if current is None else current.title)


@dataclass(frozen=True)
class PlanItemSearch:
    """Which copies a search lists (for a person linking plan items to a request): those whose
    title contains ``title`` (as a search key), or those of ``ids``; retired ones only when
    asked, since a new link to a retired item is refused."""

    title: str | None = None
    ids: tuple[UUID, ...] = ()
    include_retired: bool = False
    limit: int = 20

    @property
    def title_key(self) -> str | None:
        return None if self.title is None else search_key(self.title)


def search_key(text: str) -> str:
    """A title reduced for search: NFKC, no spaces, lower case (ＪＲ　津軽線 finds JR津軽線).
    The SQL of the search reduces the stored titles the same way."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).lower()
