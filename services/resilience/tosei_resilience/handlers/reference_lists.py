"""Coordinators extend the plan's lists: risk scenarios (with their goal) and policy areas."""

from __future__ import annotations

from tosei_common.platform.errors import Conflict
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_resilience.db import reference_lists as lists_db
from tosei_resilience.domain import access
from tosei_resilience.domain.reference import PolicyArea, Scenario, add_scenario


async def add_risk_scenario(
    uow: UnitOfWork, who: Principal, *, code: str, name: str, goal_name: str | None
) -> Scenario:
    access.ensure_may_keep_lists(who, doing="起きてはならない最悪の事態の追加")
    goals = {g.number: g for g in await lists_db.goals(uow.conn)}
    decided = add_scenario(code, name, goal_name, goals)
    if decided.new_goal is not None and not await lists_db.insert_goal(uow.conn, decided.new_goal):
        raise Conflict(
            f"「{goal_name}」という名前の目標がすでにあります",
            en=f"another goal is named 「{goal_name}」 already",
        )
    if not await lists_db.insert_scenario(uow.conn, decided.scenario, uow.actor, uow.at):
        raise Conflict(
            f"計画には事態 {code} か「{name}」という名前の事態がすでにあります",
            en=f"the plan has a risk scenario {code} or one named 「{name}」 already",
        )
    await uow.audit("risk_scenario", code, "added")
    return decided.scenario


async def add_policy_area(uow: UnitOfWork, who: Principal, area: PolicyArea) -> PolicyArea:
    access.ensure_may_keep_lists(who, doing="施策分野の追加")
    if not await lists_db.insert_policy_area(uow.conn, area, uow.actor, uow.at):
        raise Conflict(
            f"計画には施策分野 {area.code} か「{area.name}」という名前の施策分野がすでにあります",
            en=f"the plan has a policy area {area.code!r} or one named 「{area.name}」 already",
        )
    await uow.audit("policy_area", area.code, "added")
    return area
