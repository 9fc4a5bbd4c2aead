"""The briefing's agenda: the adopted items in the joint order, grouped as the council decides,
fixed at a moment after which it changes only by a coordinator, with a recorded reason.

The agenda is what the request book is made from; its numbering (1, 2, …) is the book's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from tosei_common.catalogue.requests import BriefingAgendaFixed
from tosei_common.platform.errors import Conflict, Message, Unprocessable
from tosei_common.region.fiscal import fiscal_year_label
from tosei_common.region.municipalities import municipality
from tosei_requests.domain.briefing import Briefing, BriefingChange, Grouping
from tosei_requests.domain.labels import REGION_CODES, STATUS
from tosei_requests.domain.request_item import AFTER_FIXING, RequestItem
from tosei_requests.domain.revisions import diff, ensure_changed, ensure_reason
from tosei_requests.domain.status import ItemStatus

JOINT_GROUP = "共同要望"


@dataclass(frozen=True)
class AgendaEntry:
    """One item of the agenda: its number in the book, its group and the item."""

    number: int
    group: str | None  # 共同要望 or the town's name; None when the agenda is one list
    item: RequestItem


def set_agenda(
    briefing: Briefing,
    order: Sequence[UUID],
    grouping: Grouping,
    items: Mapping[UUID, RequestItem],
    *,
    reason: str | None,
    at: datetime,
) -> BriefingChange:
    """The agenda in this joint order; once fixed, a change says why and is announced again."""
    repeated = sorted({str(i) for i in order if list(order).count(i) > 1})
    if repeated:
        raise Unprocessable(
            f"議題に同じ要望が2回以上あります: {'、'.join(repeated)}",
            en=f"the agenda names an item more than once: {', '.join(repeated)}",
            fields={"items": Message("各要望は1回ずつにしてください", "each item once")},
        )
    for i, item_id in enumerate(order):
        _ensure_on_agenda_possible(briefing, items.get(item_id), item_id, f"items.{i}")
    if briefing.agenda_fixed:
        ensure_reason(reason, AFTER_FIXING)
    revised = briefing.model_copy(
        update={
            "agenda": tuple(order),
            "grouping": grouping,
            "agenda_version": briefing.agenda_version + (1 if briefing.agenda_fixed else 0),
            "version": briefing.version + 1,
        }
    )
    changes = diff(briefing, revised, ("agenda", "grouping"))
    ensure_changed(changes, ("items", "grouping"), f"{briefing.label}の議題")
    if not briefing.agenda_fixed:
        return BriefingChange("agenda_set", revised, changes, reason)
    event = _fixed(revised, items, at)
    return BriefingChange("agenda_changed", revised, changes, reason, (event,))


def _ensure_on_agenda_possible(
    briefing: Briefing, item: RequestItem | None, item_id: UUID, field: str
) -> None:
    if item is None or item.fiscal_year != briefing.fiscal_year:
        year = fiscal_year_label(briefing.fiscal_year)
        raise Unprocessable(
            f"{year}の要望に {item_id} はありません",
            en=f"no request item {item_id} in fiscal year {briefing.fiscal_year}",
            fields={field: Message(f"{year}の要望にありません", "not a request of this year")},
        )
    if item.status is not ItemStatus.ADOPTED:
        raise Unprocessable(
            f"{item.label}は採択されていないため議題にできません（{STATUS[item.status]}）",
            en=f"request {item.reference} is not adopted ({item.status}); only adopted items "
            "go on the agenda",
            fields={field: Message(f"未採択です（{STATUS[item.status]}）", "not adopted")},
        )


def fix_agenda(
    briefing: Briefing, items: Mapping[UUID, RequestItem], *, at: datetime
) -> BriefingChange:
    """Fix the agenda now: from here on it and its items change only by a coordinator."""
    if briefing.agenda_fixed_at is not None:
        raise Conflict(
            f"{briefing.label}の議題は確定済みです（{briefing.agenda_fixed_at:%Y-%m-%d %H:%M}）",
            en=f"the agenda was fixed already at {briefing.agenda_fixed_at.isoformat()}",
        )
    if not briefing.agenda:
        raise Unprocessable(
            f"{briefing.label}の議題に要望がありません。先に議題を設定してください",
            en="the agenda is empty; set it first (PUT /briefings/{fiscal_year}/agenda)",
            fields={"agenda": Message("要望がありません", "empty")},
        )
    fixed = briefing.model_copy(
        update={"agenda_fixed_at": at, "agenda_version": 1, "version": briefing.version + 1}
    )
    changes = diff(briefing, fixed, ("agenda_fixed_at",))
    return BriefingChange("agenda_fixed", fixed, changes, events=(_fixed(fixed, items, at),))


def _fixed(
    briefing: Briefing, items: Mapping[UUID, RequestItem], at: datetime
) -> BriefingAgendaFixed:
    assert briefing.agenda_fixed_at is not None
    return BriefingAgendaFixed(
        briefing_id=briefing.id,
        fiscal_year=briefing.fiscal_year,
        item_ids=[e.item.id for e in arrange(briefing, items)],
        agenda_version=briefing.agenda_version,
        fixed_at=briefing.agenda_fixed_at,
        changed_at=at,
    )


def arrange(briefing: Briefing, items: Mapping[UUID, RequestItem]) -> list[AgendaEntry]:
    """The agenda in the book's order, numbered: joint items first, then each town's own in the
    council's order of the towns (or one list in the joint order)."""
    ordered = [items[i] for i in briefing.agenda if i in items]
    if briefing.grouping is Grouping.JOINT_ORDER:
        return [AgendaEntry(n, None, item) for n, item in enumerate(ordered, start=1)]
    groups: list[tuple[str, list[RequestItem]]] = [(JOINT_GROUP, [i for i in ordered if i.joint])]
    for code in REGION_CODES:
        own = [i for i in ordered if not i.joint and i.municipalities == (code,)]
        groups.append((municipality(code).name, own))
    entries: list[AgendaEntry] = []
    for group, members in groups:
        for item in members:
            entries.append(AgendaEntry(len(entries) + 1, group, item))
    return entries
