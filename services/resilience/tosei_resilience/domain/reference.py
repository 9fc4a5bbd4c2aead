"""The plan's own lists: worst-case risk scenarios (起きてはならない最悪の事態) under the goals to
prepare for (事前に備えるべき目標), and policy areas (施策分野). Coordinators extend them."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: "1-6": the sixth scenario under goal 1, as the plan numbers them.
SCENARIO_CODE = r"^[1-9][0-9]?-[1-9][0-9]?$"
#: Policy areas are named by short lower-case codes (``transport``, ``ageing_infrastructure``).
POLICY_AREA_CODE = r"^[a-z][a-z0-9_]{1,39}$"

_SCENARIO = re.compile(SCENARIO_CODE)


def goal_of(scenario_code: str) -> int:
    """The goal a scenario code belongs to: 1 for "1-6"."""
    if not _SCENARIO.match(scenario_code):
        raise ValueError(f"{scenario_code!r} is not a scenario code like 1-6")
    return int(scenario_code.split("-")[0])


def scenario_position(scenario_code: str) -> int:
    """Sort key that puts 1-10 after 1-9 (text order would not)."""
    goal, number = (int(p) for p in scenario_code.split("-"))
    return goal * 100 + number


@dataclass(frozen=True)
class Goal:
    number: int
    name: str


@dataclass(frozen=True)
class Scenario:
    code: str
    goal: int
    name: str

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


@dataclass(frozen=True)
class PolicyArea:
    code: str
    name: str
    cross_cutting: bool
