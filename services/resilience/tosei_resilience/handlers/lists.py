"""Coordinators extend the plan's lists: risk scenarios (with their goal) and policy areas."""

from __future__ import annotations

from tosei_common.platform.errors import Conflict, Unprocessable
from tosei_resilience.db import reference_lists
from tosei_resilience.domain.access import Editor
from tosei_resilience.domain.reference import Goal, PolicyArea, Scenario, goal_of
from tosei_resilience.handlers.context import Deps


async def add_scenario(
    deps: Deps, editor: Editor, *, code: str, name: str, goal_name: str | None
) -> Scenario:
    goal = goal_of(code)
    async with deps.pool.acquire() as conn, conn.transaction():
        known = {g.number: g for g in await reference_lists.goals(conn)}
        if goal not in known:
            if goal_name is None:
                raise Unprocessable(
                    f"the plan has no goal {goal} yet; name it to add it with this scenario",
                    fields={"goal": f"give the name of goal {goal} (事前に備えるべき目標)"},
                )
            if not await reference_lists.insert_goal(conn, Goal(goal, goal_name)):
                raise Conflict(f"another goal is named 「{goal_name}」 already")
        elif goal_name is not None and goal_name != known[goal].name:
            raise Unprocessable(
                f"goal {goal} is 「{known[goal].name}」; leave goal out or give that name",
                fields={"goal": f"goal {goal} exists under another name"},
            )
        scenario = Scenario(code, goal, name)
        if not await reference_lists.insert_scenario(conn, scenario, editor.actor, deps.clock()):
            raise Conflict(f"the plan has a risk scenario {code} or one named 「{name}」 already")
    return scenario


async def add_policy_area(
    deps: Deps, editor: Editor, *, code: str, name: str, cross_cutting: bool
) -> PolicyArea:
    area = PolicyArea(code, name, cross_cutting)
    async with deps.pool.acquire() as conn, conn.transaction():
        if not await reference_lists.insert_policy_area(conn, area, editor.actor, deps.clock()):
            raise Conflict(f"the plan has a policy area {code!r} or one named 「{name}」 already")
    return area
