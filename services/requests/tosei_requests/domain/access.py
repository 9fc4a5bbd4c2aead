"""Who may do what with the joint requests.

- A municipal officer drafts and edits only their own town's items: a town's own item until its
  year's agenda is fixed, a joint item (any of its towns' officers) only while it is a draft.
  They read every item of the programme except other towns' drafts.
- Coordinators adopt, return, order, fix the agenda, schedule the briefing and record the
  prefecture's answers; once the agenda is fixed, they alone change its items, with a reason.
- Auditors read everything and change nothing.
- The public sees nothing until a year's request book is published, then that book and its
  answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tosei_common.platform.errors import Forbidden, NotFound
from tosei_common.platform.principal import Principal, Role, ensure_role
from tosei_common.region.municipalities import municipality
from tosei_requests.domain.briefing import Briefing
from tosei_requests.domain.labels import STATUS, towns_label
from tosei_requests.domain.request_item import RequestItem, locked
from tosei_requests.domain.status import ItemStatus

READERS = (Role.COORDINATOR, Role.MUNICIPALITY, Role.AUDITOR)
#: Who reads the audit trail: coordinators, who read every item, and auditors.
AUDIT_READERS = (Role.COORDINATOR, Role.AUDITOR)
#: What an officer may still change on their town's own item (not on a joint one).
OWN_ITEM_EDITABLE = frozenset(
    {ItemStatus.DRAFT, ItemStatus.SUBMITTED, ItemStatus.RETURNED, ItemStatus.ADOPTED}
)
#: Moves only a coordinator makes.
COORDINATORS_MOVES = frozenset({ItemStatus.ADOPTED, ItemStatus.RETURNED})


@dataclass(frozen=True)
class Visibility:
    """Which items a reader may list: all, or everything but other towns' drafts."""

    all_items: bool
    town: str | None = None


def _town(who: Principal) -> str:
    assert who.municipality is not None  # a municipality token always names it
    return who.municipality


def ensure_may_read(who: Principal) -> Visibility:
    ensure_role(who, *READERS, doing="重点要望の閲覧")
    if who.role is Role.MUNICIPALITY:
        return Visibility(all_items=False, town=_town(who))
    return Visibility(all_items=True)


def ensure_may_read_item(who: Principal, item: RequestItem) -> None:
    """Another town's draft is not an officer's business: it does not exist for them."""
    seen = ensure_may_read(who)
    if seen.all_items or seen.town in item.municipalities or item.status is not ItemStatus.DRAFT:
        return
    raise NotFound(f"要望 {item.id} はありません", en=f"no request item {item.id}")


def ensure_coordinator(who: Principal, doing: str) -> None:
    ensure_role(who, Role.COORDINATOR, doing=doing)


def _officer_of(who: Principal, towns: Iterable[str], what: str) -> None:
    """The caller is a coordinator, or an officer of one of ``towns``."""
    ensure_role(who, Role.COORDINATOR, Role.MUNICIPALITY, doing=what)
    if who.role is Role.COORDINATOR:
        return
    town = municipality(_town(who)).name
    listed = list(towns)
    if _town(who) not in listed:
        raise Forbidden(
            f"{town}の職員は{town}の要望だけを扱えます（この要望は{towns_label(listed)}の要望です）",
            en=f"an officer of {town} handles only {town}'s requests; this one is "
            f"{', '.join(listed)}'s",
        )


def ensure_may_draft(who: Principal, towns: Iterable[str]) -> None:
    """A new item (or a carried, merged or split one) must be the officer's own town's."""
    listed = list(towns)
    ensure_role(who, Role.COORDINATOR, Role.MUNICIPALITY, doing="要望の作成")
    if who.role is Role.MUNICIPALITY and _town(who) not in listed:
        town = municipality(_town(who)).name
        raise Forbidden(
            f"要望する市町村に{town}を含めてください",
            en=f"the requesting towns must include {town}",
            fields={"municipalities": f"{town}を含めてください"},
        )


def ensure_may_revise(
    who: Principal, item: RequestItem, *, agenda_fixed: bool, towns_after: Iterable[str]
) -> None:
    _officer_of(who, item.municipalities, "要望の編集")
    if who.role is Role.COORDINATOR:
        return
    if locked(item, agenda_fixed):
        raise Forbidden(
            f"{item.label}は説明会の議題が確定しているため、コーディネーターだけが理由を記録して変更できます",
            en=f"the agenda of FY{item.fiscal_year} is fixed: only a coordinator changes request "
            f"{item.reference}, with a reason",
        )
    if item.joint and item.status is not ItemStatus.DRAFT:
        raise Forbidden(
            f"共同要望は作成中の間だけ各市町村の職員が編集できます（今は{STATUS[item.status]}です）",
            en=f"a joint request is edited by its towns' officers only while a draft; "
            f"{item.reference} is {item.status}",
        )
    if not item.joint and item.status not in OWN_ITEM_EDITABLE:
        raise Forbidden(
            f"{item.label}は{STATUS[item.status]}のため編集できません",
            en=f"request {item.reference} is {item.status}",
        )
    ensure_may_draft(who, towns_after)


def ensure_may_move(who: Principal, item: RequestItem, to: ItemStatus) -> None:
    """Towns submit, withdraw and rework their items; coordinators adopt and return, and make
    every move of an adopted item (so the fixed agenda's items move only by a coordinator)."""
    _officer_of(who, item.municipalities, "要望の状態の変更")
    if who.role is Role.COORDINATOR:
        return
    if to in COORDINATORS_MOVES or item.status is ItemStatus.ADOPTED:
        raise Forbidden(
            f"採択・差戻しと採択済みの要望の変更はコーディネーターが行います（{item.label}）",
            en="adopting, returning and changing an adopted request is a coordinator's decision",
        )
    if item.joint and to is ItemStatus.WITHDRAWN and item.status is not ItemStatus.DRAFT:
        raise Forbidden(
            "提出後の共同要望の取下げはコーディネーターが行います",
            en="a submitted joint request is withdrawn by a coordinator",
        )


def ensure_may_read_published(who: Principal | None, briefing: Briefing | None) -> None:
    """The book and the answers: staff always; the public once the book is published."""
    if who is not None:
        ensure_may_read(who)
        return
    if briefing is None or not briefing.published:
        raise NotFound(
            "この年度の要望書は公開されていません", en="the request book of this year is not public"
        )
