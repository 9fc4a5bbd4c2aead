"""HTTP: the plan's lists — worst-case risk scenarios under their goals, and policy areas."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from tosei_common.platform.service import Runtime
from tosei_resilience.api.inputs import PolicyAreaIn, ScenarioIn
from tosei_resilience.api.parameters import Caller
from tosei_resilience.domain.reference import PolicyArea
from tosei_resilience.handlers import reads, reference_lists


def router(runtime: Runtime) -> APIRouter:
    r = APIRouter(tags=["plan lists"])

    @r.get("/risk-scenarios", summary="起きてはならない最悪の事態, under their goals")
    async def list_scenarios(who: Caller) -> dict[str, Any]:
        async with runtime.reading() as conn:
            known = await reads.lists(conn, who)
        return {
            "goals": [
                {
                    "number": goal.number,
                    "name": goal.name,
                    "scenarios": [
                        {"code": s.code, "name": s.name}
                        for s in known.scenarios.values()
                        if s.goal == goal.number
                    ],
                }
                for goal in known.goals.values()
            ]
        }

    @r.post("/risk-scenarios", status_code=201, summary="Add a risk scenario to the plan")
    async def add_scenario(body: ScenarioIn, who: Caller) -> dict[str, Any]:
        async with runtime.unit_of_work(who) as uow:
            added = await reference_lists.add_risk_scenario(
                uow, who, code=body.code, name=body.name, goal_name=body.goal
            )
        return {"code": added.code, "goal": added.goal, "name": added.name}

    @r.get("/policy-areas", summary="施策分野")
    async def list_policy_areas(who: Caller) -> dict[str, Any]:
        async with runtime.reading() as conn:
            known = await reads.lists(conn, who)
        return {
            "policy_areas": [
                {"code": a.code, "name": a.name, "cross_cutting": a.cross_cutting}
                for a in known.areas.values()
            ]
        }

    @r.post("/policy-areas", status_code=201, summary="Add a policy area to the plan")
    async def add_policy_area(body: PolicyAreaIn, who: Caller) -> dict[str, Any]:
        area = PolicyArea(body.code, body.name, body.cross_cutting)
        async with runtime.unit_of_work(who) as uow:
            added = await reference_lists.add_policy_area(uow, who, area)
        return {"code": added.code, "name": added.name, "cross_cutting": added.cross_cutting}

    return r
