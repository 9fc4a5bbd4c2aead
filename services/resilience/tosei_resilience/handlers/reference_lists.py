"""Coordinators extend the plan's lists: risk scenarios (with their goal) and policy areas."""

from __future__ import annotations

from tosei_common.platform.errors import Conflict
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_resilience.db import reference_lists as lists_db
from tosei_resilience.domain import access
from tosei_resilience.domain.reference import (
    POLICY_AREA,
    PolicyArea,
    Scenario,
    add_scenario,
    ensure_unlisted,
)


def _raced() -> Conflict:
    """The lists' unique keys back the domain's checks: a writer racing past them meets this."""
    return Conflict(
        "同じ番号か名前が同時に追加されました。一覧を確かめてください",
        en="the same code or name was added meanwhile; look at the list again",
    )


async def add_risk_scenario(
    uow: UnitOfWork, who: Principal, *, code: str, name: str, goal_name: str | None
) -> Scenario:
    access.ensure_may_keep_lists(who, doing="起きてはならない最悪の事態の追加")
    goals = {g.number: g for g in await lists_db.goals(uow.conn)}
    decided = add_scenario(code, name, goal_name, goals, await lists_db.scenarios(uow.conn))
    if decided.new_goal is not None and not await lists_db.insert_goal(uow.conn, decided.new_goal):
        raise _raced()
    if not await lists_db.insert_scenario(uow.conn, decided.scenario, uow.actor, uow.at):
        raise _raced()
    await uow.audit("risk_scenario", code, "added")
    return decided.scenario


async def add_policy_area(uow: UnitOfWork, who: Principal, area: PolicyArea) -> PolicyArea:
    access.ensure_may_keep_lists(who, doing="施策分野の追加")
    listed = await lists_db.policy_areas(uow.conn)
    ensure_unlisted(POLICY_AREA, area.code, area.name, ((a.code, a.name) for a in listed))
    if not await lists_db.insert_policy_area(uow.conn, area, uow.actor, uow.at):
        raise _raced()
    await uow.audit("policy_area", area.code, "added")
    return area
