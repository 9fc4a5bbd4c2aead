"""The plan's lists: goals with their risk scenarios, and policy areas."""

from __future__ import annotations

from pydantic import BaseModel

from tosei_resilience.domain.plan import Lists
from tosei_resilience.domain.reference import PolicyArea


class ScenarioRef(BaseModel):
    code: str
    name: str


class GoalOut(BaseModel):
    number: int
    name: str
    scenarios: list[ScenarioRef]


class Goals(BaseModel):
    goals: list[GoalOut]


class ScenarioAdded(BaseModel):
    code: str
    goal: int
    name: str


class PolicyAreaRow(BaseModel):
    code: str
    name: str
    cross_cutting: bool


class PolicyAreas(BaseModel):
    policy_areas: list[PolicyAreaRow]


def goals(lists: Lists) -> Goals:
    return Goals(
        goals=[
            GoalOut(
                number=goal.number,
                name=goal.name,
                scenarios=[
                    ScenarioRef(code=s.code, name=s.name)
                    for s in lists.scenarios.values()
                    if s.goal == goal.number
                ],
            )
            for goal in lists.goals.values()
        ]
    )


def policy_area_row(a: PolicyArea) -> PolicyAreaRow:
    return PolicyAreaRow(code=a.code, name=a.name, cross_cutting=a.cross_cutting)


def policy_areas(lists: Lists) -> PolicyAreas:
    return PolicyAreas(policy_areas=[policy_area_row(a) for a in lists.areas.values()])
