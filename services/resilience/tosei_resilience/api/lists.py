"""HTTP: the plan's lists — worst-case risk scenarios under their goals, and policy areas."""

from __future__ import annotations

from fastapi import APIRouter

from tosei_common.platform.service import Runtime
from tosei_resilience.api.parameters import Caller
from tosei_resilience.api.requests import PolicyAreaIn, ScenarioIn
from tosei_resilience.api.responses import lists as out
from tosei_resilience.domain.reference import PolicyArea
from tosei_resilience.handlers import reads, reference_lists


def router(runtime: Runtime) -> APIRouter:
    r = APIRouter(tags=["plan lists"])

    @r.get("/risk-scenarios", summary="起きてはならない最悪の事態, under their goals")
    async def list_scenarios(who: Caller) -> out.Goals:
        async with runtime.reading() as conn:
            return out.goals(await reads.lists(conn, who))

    @r.post("/risk-scenarios", status_code=201, summary="Add a risk scenario to the plan")
    async def add_scenario(body: ScenarioIn, who: Caller) -> out.ScenarioAdded:
        async with runtime.unit_of_work(who) as uow:
            added = await reference_lists.add_risk_scenario(
                uow, who, code=body.code, name=body.name, goal_name=body.goal
            )
        return out.ScenarioAdded(code=added.code, goal=added.goal, name=added.name)

    @r.get("/policy-areas", summary="施策分野")
    async def list_policy_areas(who: Caller) -> out.PolicyAreas:
        async with runtime.reading() as conn:
            return out.policy_areas(await reads.lists(conn, who))

    @r.post("/policy-areas", status_code=201, summary="Add a policy area to the plan")
    async def add_policy_area(body: PolicyAreaIn, who: Caller) -> out.PolicyAreaRow:
        area = PolicyArea(body.code, body.name, body.cross_cutting)
        async with runtime.unit_of_work(who) as uow:
            return out.policy_area_row(await reference_lists.add_policy_area(uow, who, area))

    return r
