"""How a request item moves: drafted by its towns, submitted to the coordinators, adopted into
the joint list or returned with a reason, or withdrawn.

    draft ──► submitted ──► adopted
      │           │  └─────► returned ──► draft (reworked by the town)
      └───────────┴──────────────┴──────► withdrawn (final)

An adopted item can still be returned or withdrawn by a coordinator, but not while it is on the
agenda: it is taken off the agenda first, so the agenda never names an item that is not adopted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from tosei_common.catalogue.requests import RequestAdopted, RequestSubmitted
from tosei_common.platform.errors import InvalidTransition, Message
from tosei_common.platform.events import Event
from tosei_requests.domain.labels import STATUS
from tosei_requests.domain.request_item import AFTER_FIXING, ItemChange, RequestItem
from tosei_requests.domain.revisions import diff, ensure_reason
from tosei_requests.domain.status import ItemStatus

TRANSITIONS: Mapping[ItemStatus, frozenset[ItemStatus]] = {
    ItemStatus.DRAFT: frozenset({ItemStatus.SUBMITTED, ItemStatus.WITHDRAWN}),
    ItemStatus.SUBMITTED: frozenset(
        {ItemStatus.ADOPTED, ItemStatus.RETURNED, ItemStatus.WITHDRAWN}
    ),
    ItemStatus.ADOPTED: frozenset({ItemStatus.RETURNED, ItemStatus.WITHDRAWN}),
    ItemStatus.RETURNED: frozenset({ItemStatus.DRAFT, ItemStatus.WITHDRAWN}),
    ItemStatus.WITHDRAWN: frozenset(),
}

#: Moves that must say why, and what the reason field's message says.
NEEDS_REASON: Mapping[ItemStatus, Message] = {
    ItemStatus.RETURNED: Message("差し戻しです", "a return says why"),
    ItemStatus.WITHDRAWN: Message("取下げです", "a withdrawal says why"),
}

#: What each move is called in the item's history.
ACTIONS: Mapping[ItemStatus, str] = {
    ItemStatus.DRAFT: "redrafted",
    ItemStatus.SUBMITTED: "submitted",
    ItemStatus.ADOPTED: "adopted",
    ItemStatus.RETURNED: "returned",
    ItemStatus.WITHDRAWN: "withdrawn",
}


def move(
    item: RequestItem,
    to: ItemStatus,
    *,
    on_agenda: bool,
    agenda_fixed: bool,
    reason: str | None,
    at: datetime,
) -> ItemChange:
    """The item in its new state, with the event that announces it (submitted, adopted)."""
    if to not in TRANSITIONS[item.status]:
        raise InvalidTransition(
            f"{item.label}は{STATUS[item.status]}のため、{STATUS[to]}にはできません",
            en=f"request {item.reference} cannot go from {item.status} to {to}",
            fields={
                "to": Message(f"{STATUS[item.status]}からはできません", f"not from {item.status}")
            },
        )
    if on_agenda and to in (ItemStatus.RETURNED, ItemStatus.WITHDRAWN):
        raise InvalidTransition(
            f"{item.label}は説明会の議題に載っています。先に議題から外してください",
            en=f"request {item.reference} is on the agenda; take it off the agenda first",
            fields={"to": Message("議題に載っています", "on the agenda")},
        )
    if to in NEEDS_REASON:
        ensure_reason(reason, NEEDS_REASON[to])
    if agenda_fixed and ItemStatus.ADOPTED in (item.status, to):
        ensure_reason(reason, AFTER_FIXING)
    # The reason for a return stays visible while the town reworks the item, until it is
    # submitted again.
    returned = {ItemStatus.RETURNED: reason, ItemStatus.SUBMITTED: None}
    moved = item.model_copy(
        update={
            "status": to,
            "return_reason": returned.get(to, item.return_reason),
            "version": item.version + 1,
        }
    )
    events = _events(moved, at)
    return ItemChange(
        ACTIONS[to], moved, diff(item, moved, ("status", "return_reason")), reason, events
    )


def _events(item: RequestItem, at: datetime) -> tuple[Event, ...]:
    if item.status is ItemStatus.SUBMITTED:
        return (
            RequestSubmitted(
                item_id=item.id,
                fiscal_year=item.fiscal_year,
                number=item.number,
                municipalities=list(item.municipalities),
                departments=list(item.departments),
                requested_amount_yen=item.requested_amount_yen,
                plan_item_ids=list(item.plan_item_ids),
                version=item.version,
                submitted_at=at,
            ),
        )
    if item.status is ItemStatus.ADOPTED:
        return (
            RequestAdopted(
                item_id=item.id,
                fiscal_year=item.fiscal_year,
                number=item.number,
                municipalities=list(item.municipalities),
                departments=list(item.departments),
                version=item.version,
                adopted_at=at,
            ),
        )
    return ()
