"""The plan's own lists: worst-case risk scenarios (起きてはならない最悪の事態) under the goals to
prepare for (事前に備えるべき目標), and policy areas (施策分野). Coordinators extend them; an item
names only what they hold."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from tosei_common.platform.errors import Conflict, Message, Unprocessable
from tosei_common.region.text import tidy
from tosei_resilience.domain.plan_item import PlanItemContent

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


@dataclass(frozen=True)
class Known:
    """What an item may name: the plan's scenarios, policy areas and funding programmes."""

    scenarios: frozenset[str]
    areas: frozenset[str]
    programmes: frozenset[UUID]


def ensure_known(content: PlanItemContent, known: Known, where: str = "") -> None:
    """The item names a scenario, a policy area and funding programmes the plan knows.

    ``where`` prefixes the field names (``parts.0.``, ``item.``)."""
    problems: dict[str, Message] = {}
    if content.risk_scenario not in known.scenarios:
        problems[f"{where}risk_scenario"] = Message(
            f"計画に起きてはならない最悪の事態「{content.risk_scenario}」はありません"
            "（GET /risk-scenarios で一覧を確認できます。追加はコーディネーターが行います）",
            f"the plan has no risk scenario {content.risk_scenario}; "
            "GET /risk-scenarios lists them, a coordinator adds new ones",
        )
    if content.policy_area not in known.areas:
        problems[f"{where}policy_area"] = Message(
            f"計画に施策分野「{content.policy_area}」はありません"
            "（GET /policy-areas で一覧を確認できます）",
            f"the plan has no policy area {content.policy_area!r}; GET /policy-areas lists them",
        )
    for programme_id in content.funding_programmes:
        if programme_id not in known.programmes:
            problems[f"{where}funding_programmes"] = Message(
                f"交付金・補助金（ID: {programme_id}）は登録されていません"
                "（GET /funding-programmes で一覧を確認できます）",
                f"no funding programme {programme_id}; GET /funding-programmes lists them",
            )
    if problems:
        raise Unprocessable(
            "、".join(p.ja for p in problems.values()),
            en="; ".join(p.en for p in problems.values()),
            fields=problems,
        )


@dataclass(frozen=True)
class NewScenario:
    """A scenario to add, and its goal when the goal is new too."""

    scenario: Scenario
    new_goal: Goal | None


def ensure_unlisted(what: Message, code: str, name: str, listed: Iterable[tuple[str, str]]) -> None:
    """A new entry of a list takes a code and a name nobody has (names however typed)."""
    key = tidy(name)
    for listed_code, listed_name in listed:
        if listed_code == code:
            raise Conflict(
                f"{what.ja} {code} はすでにあります（「{listed_name}」）",
                en=f"the plan has a {what.en} {code} already (「{listed_name}」)",
                fields={"code": Message("この番号はすでに使われています", "taken")},
            )
        if tidy(listed_name) == key:
            raise Conflict(
                f"「{listed_name}」という{what.ja}はすでにあります（{listed_code}）",
                en=f"the plan has a {what.en} named 「{listed_name}」 already ({listed_code})",
                fields={"name": Message("この名前はすでに使われています", "taken")},
            )


SCENARIO = Message("起きてはならない最悪の事態", "risk scenario")
POLICY_AREA = Message("施策分野", "policy area")


def add_scenario(
    code: str,
    name: str,
    goal_name: str | None,
    goals: dict[int, Goal],
    scenarios: Iterable[Scenario],
) -> NewScenario:
    """A scenario under its goal (the goal of ``1-6`` is 1); a new goal needs its name."""
    ensure_unlisted(SCENARIO, code, name, ((s.code, s.name) for s in scenarios))
    number = goal_of(code)
    scenario = Scenario(code, number, name)
    known = goals.get(number)
    if known is None:
        if goal_name is None:
            raise Unprocessable(
                f"計画に目標{number}はまだありません。この事態と一緒に追加するには目標の名前を"
                "入力してください",
                en=f"the plan has no goal {number} yet; name it to add it with this scenario",
                fields={
                    "goal": Message(
                        f"目標{number}（事前に備えるべき目標）の名前を入力してください",
                        f"give the name of goal {number} (事前に備えるべき目標)",
                    )
                },
            )
        for goal in goals.values():
            if tidy(goal.name) == tidy(goal_name):
                raise Conflict(
                    f"「{goal.name}」は目標{goal.number}の名前です",
                    en=f"goal {goal.number} is named 「{goal.name}」 already",
                    fields={"goal": Message("この名前はすでに使われています", "taken")},
                )
        return NewScenario(scenario, Goal(number, goal_name))
    if goal_name is not None and goal_name != known.name:
        raise Unprocessable(
            f"目標{number}は「{known.name}」です。goal を省くか、その名前を入力してください",
            en=f"goal {number} is 「{known.name}」; leave goal out or give that name",
            fields={
                "goal": Message(
                    f"目標{number}は別の名前で登録されています",
                    f"goal {number} exists under another name",
                )
            },
        )
    return NewScenario(scenario, None)
