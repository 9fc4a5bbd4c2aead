"""HTTP: the plan's lists — worst-case risk scenarios under their goals, and policy areas."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from tosei_common.platform.auth import Principal
from tosei_resilience.api.inputs import PolicyAreaIn, ScenarioIn
from tosei_resilience.api.roles import COORDINATE, READ, editor
from tosei_resilience.handlers import lists, reads
from tosei_resilience.handlers.context import Deps


def router(deps: Deps) -> APIRouter:
    r = APIRouter(tags=["plan lists"])

    @r.get("/risk-scenarios", summary="起きてはならない最悪の事態, under their goals")
    async def list_scenarios(_: Annotated[Principal, Depends(READ)]) -> dict[str, Any]:
        known = await reads.lists(deps)
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
    async def add_scenario(
        body: ScenarioIn, principal: Annotated[Principal, Depends(COORDINATE)]
    ) -> dict[str, Any]:
        added = await lists.add_scenario(
            deps, editor(principal), code=body.code, name=body.name, goal_name=body.goal
        )
        return {"code": added.code, "goal": added.goal, "name": added.name}

    @r.get("/policy-areas", summary="施策分野")
    async def list_policy_areas(_: Annotated[Principal, Depends(READ)]) -> dict[str, Any]:
        known = await reads.lists(deps)
        return {
            "policy_areas": [
                {"code": a.code, "name": a.name, "cross_cutting": a.cross_cutting}
                for a in known.areas.values()
            ]
        }

    @r.post("/policy-areas", status_code=201, summary="Add a policy area to the plan")
    async def add_policy_area(
        body: PolicyAreaIn, principal: Annotated[Principal, Depends(COORDINATE)]
    ) -> dict[str, Any]:
        added = await lists.add_policy_area(
            deps,
            editor(principal),
            code=body.code,
            name=body.name,
            cross_cutting=body.cross_cutting,
        )
        return {"code": added.code, "name": added.name, "cross_cutting": added.cross_cutting}

    return r
