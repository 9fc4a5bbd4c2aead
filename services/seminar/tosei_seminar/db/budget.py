"""The SQL of a seminar's budget lines."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from tosei_common.platform.db import Connection
from tosei_seminar.domain.budget import BudgetCategory, BudgetEntry

_LINE = (
    "SELECT id, category, item, planned, actual, updated_by, updated_at FROM budget_lines"
    " WHERE seminar_id = $1"
)


def _entry(r: asyncpg.Record) -> BudgetEntry:
    return BudgetEntry(
        r["id"],
        BudgetCategory(r["category"]),
        r["item"],
        r["planned"],
        r["actual"],
        r["updated_by"],
        r["updated_at"],
    )


async def of_seminar(conn: Connection, seminar_id: UUID) -> list[BudgetEntry]:
    records = await conn.fetch(
        _LINE + " ORDER BY array_position(ARRAY['venue', 'keynote', 'travel', 'other'], category),"
        " item",
        seminar_id,
    )
    return [_entry(r) for r in records]


async def lock(conn: Connection, seminar_id: UUID, line_id: UUID) -> BudgetEntry | None:
    record = await conn.fetchrow(_LINE + " AND id = $2 FOR UPDATE", seminar_id, line_id)
    return _entry(record) if record is not None else None


async def save(conn: Connection, seminar_id: UUID, line: BudgetEntry) -> None:
    await conn.execute(
        """
        INSERT INTO budget_lines (id, seminar_id, category, item, planned, actual, created_by,
                                  updated_by, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)
        ON CONFLICT (id) DO UPDATE
        SET category = excluded.category, item = excluded.item, planned = excluded.planned,
            actual = excluded.actual, updated_by = excluded.updated_by,
            updated_at = excluded.updated_at
        """,
        line.id,
        seminar_id,
        line.category.value,
        line.item,
        line.planned,
        line.actual,
        line.updated_by,
        line.updated_at,
    )


async def delete(conn: Connection, seminar_id: UUID, line_id: UUID) -> bool:
    status: str = await conn.execute(
        "DELETE FROM budget_lines WHERE id = $1 AND seminar_id = $2", line_id, seminar_id
    )
    return status.endswith(" 1")
