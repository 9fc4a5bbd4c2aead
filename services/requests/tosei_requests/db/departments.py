"""SQL of the departments list."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tosei_common.platform.db import Connection
from tosei_requests.domain.departments import Department


def _department(row: Any) -> Department:
    return Department(row["code"], row["name"], row["position"], row["retired"])


async def listed(conn: Connection) -> list[Department]:
    rows = await conn.fetch(
        "SELECT code, name, position, retired FROM departments ORDER BY position, code"
    )
    return [_department(r) for r in rows]


async def by_code(conn: Connection) -> dict[str, Department]:
    return {d.code: d for d in await listed(conn)}


async def lock(conn: Connection) -> None:
    """Serialise changes to the list (codes, names and positions are unique across it)."""
    await conn.execute("LOCK TABLE departments IN SHARE ROW EXCLUSIVE MODE")


async def insert(conn: Connection, department: Department, *, actor: str, at: datetime) -> None:
    await conn.execute(
        "INSERT INTO departments (code, name, position, retired, added_by, added_at)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        department.code,
        department.name,
        department.position,
        department.retired,
        actor,
        at,
    )


async def update(conn: Connection, department: Department) -> None:
    await conn.execute(
        "UPDATE departments SET name = $2, retired = $3 WHERE code = $1",
        department.code,
        department.name,
        department.retired,
    )
