"""Who may do what, in one place: every town reads every item; an officer changes only their
town's items.

Coordinators (the council's and the towns' planning staff) change any item, including items of
the whole region (圏域全体), and maintain funding programmes and the plan's reference lists.
Auditors read everything and change nothing; the desk and the experts do not use the plan.
Handlers call these before they act or answer; the HTTP layer only authenticates.
"""

from __future__ import annotations

from tosei_common.platform.errors import Forbidden, Message
from tosei_common.platform.principal import Principal, Role, ensure_role
from tosei_resilience.domain.labels import REGION_NAME, owner_name
from tosei_resilience.domain.plan_item import PlanItem

#: Every town reads every item; auditors read everything.
READERS = (Role.MUNICIPALITY, Role.COORDINATOR, Role.AUDITOR)
#: Officers change their own town's items; coordinators any.
EDITORS = (Role.MUNICIPALITY, Role.COORDINATOR)
#: Who reads the plan's audit trail: coordinators, who change any item, and auditors.
AUDIT_READERS = (Role.COORDINATOR, Role.AUDITOR)

THIS_ITEM = Message("この計画事業", "this plan item")


def ensure_may_read(who: Principal) -> None:
    """The plan, its history, summaries, exports, lists and the change feed."""
    ensure_role(who, *READERS, doing="国土強靱化地域計画の閲覧")


def ensure_may_keep_lists(who: Principal, doing: str) -> None:
    """Funding programmes and the plan's reference lists are kept by the coordinators."""
    ensure_role(who, Role.COORDINATOR, doing=doing)


def ensure_may_import_history(who: Principal) -> None:
    """The plan's past is loaded by the coordinators, for every town at once."""
    ensure_role(who, Role.COORDINATOR, doing="計画の履歴の取り込み")


def ensure_may_change(who: Principal) -> None:
    """Plan items are changed by officers and coordinators (which items: ``ensure_may_edit``)."""
    ensure_role(who, *EDITORS, doing="計画事業の変更")


def officer_town(who: Principal) -> str | None:
    """The municipality an officer works for (None for anyone else)."""
    return who.municipality if who.role is Role.MUNICIPALITY else None


def ensure_may_edit(who: Principal, owner: str | None, what: Message = THIS_ITEM) -> None:
    """An officer may change an item only when it belongs to their own municipality."""
    ensure_may_change(who)
    if who.role is Role.COORDINATOR:
        return
    town = officer_town(who)
    if town is None:
        raise Forbidden(
            "市町村が分からないため計画事業を変更できません",
            en="only coordinators and municipal officers change plan items",
        )
    if owner is None:
        raise Forbidden(
            f"{what.ja}は{REGION_NAME}の事業です。変更できるのはコーディネーターだけです",
            en=f"{what.en} belongs to the whole region ({REGION_NAME}); "
            "only a coordinator changes it",
        )
    if owner != town:
        name = owner_name(town)
        raise Forbidden(
            f"{name}の職員が変更できるのは{name}の計画事業だけです"
            f"（{what.ja}は{owner_name(owner)}の事業です）",
            en=f"an officer of {name} changes only {name}'s plan items; "
            f"{what.en} belongs to {owner_name(owner)}",
        )


def change_refusal(who: Principal, item: PlanItem) -> Message | None:
    """Why ``who`` may not change ``item`` now (None: they may), in the words a refusal of the
    change would use: so a screen offers only the changes that would be accepted, and says why."""
    if who.role not in EDITORS:
        return Message(
            "計画事業を変更できるのはコーディネーターと市町村の職員だけです",
            "only coordinators and municipal officers change plan items",
        )
    try:
        ensure_may_edit(who, item.municipality, item.label)
    except Forbidden as refused:
        return refused.message
    if item.retirement is not None:
        return Message(
            f"{item.label.ja}は廃止済みのため変更できません",
            f"{item.label.en} is retired; a retired item is not revised",
        )
    return None


def ensure_may_move(who: Principal, old_owner: str | None, new_owner: str | None) -> None:
    """Handing an item to another town (or to the whole region) is a coordinator's decision."""
    if old_owner != new_owner and who.role is not Role.COORDINATOR:
        old, new = owner_name(old_owner), owner_name(new_owner)
        raise Forbidden(
            f"計画事業を{old}から{new}へ移すのはコーディネーターが行います",
            en=f"moving a plan item from {old} to {new} is done by a coordinator",
            fields={
                "municipality": Message("コーディネーターだけが変更できます", "coordinators only")
            },
        )
