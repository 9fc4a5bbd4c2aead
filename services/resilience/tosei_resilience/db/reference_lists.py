"""SQL of the plan's reference lists: goals, risk scenarios and policy areas."""

from __future__ import annotations

from datetime import datetime

from tosei_common.platform.db import Connection
from tosei_resilience.domain.reference import Goal, PolicyArea, Scenario, scenario_position


async def goals(conn: Connection) -> list[Goal]:
    rows = await conn.fetch("SELECT number, name FROM risk_goals ORDER BY number")
    return [Goal(r["number"], r["name"]) for r in rows]


async def scenarios(conn: Connection) -> list[Scenario]:
    rows = await conn.fetch("SELECT code, goal, name FROM risk_scenarios ORDER BY position")
    return [Scenario(r["code"], r["goal"], r["name"]) for r in rows]


async def policy_areas(conn: Connection) -> list[PolicyArea]:
    rows = await conn.fetch(
        "SELECT code, name, cross_cutting FROM policy_areas ORDER BY position, code"
    )
    return [PolicyArea(r["code"], r["name"], r["cross_cutting"]) for r in rows]


async def insert_goal(conn: Connection, goal: Goal) -> bool:
    """False when the number or the name is taken."""
    added = await conn.fetchval(
        "INSERT INTO risk_goals (number, name) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        " RETURNING number",
        goal.number,
        goal.name,
    )
    return added is not None


async def insert_scenario(conn: Connection, scenario: Scenario, actor: str, at: datetime) -> bool:
    """False when the code or the name is taken."""
    added = await conn.fetchval(
        """
        INSERT INTO risk_scenarios (code, goal, name, position, added_by, added_at)
        VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING code
        """,
        scenario.code,
        scenario.goal,
        scenario.name,
        scenario_position(scenario.code),
        actor,
        at,
    )
    return added is not None


async def insert_policy_area(conn: Connection, area: PolicyArea, actor: str, at: datetime) -> bool:
    """False when the code or the name is taken. New areas go to the end of their kind."""
    added = await conn.fetchval(
        """
        INSERT INTO policy_areas (code, name, cross_cutting, position, added_by, added_at)
        SELECT $1, $2, $3, coalesce(max(position), CASE WHEN $3 THEN 100 ELSE 0 END) + 1, $4, $5
          FROM policy_areas WHERE cross_cutting = $3
        ON CONFLICT DO NOTHING RETURNING code
        """,
        area.code,
        area.name,
        area.cross_cutting,
        actor,
        at,
    )
    return added is not None
