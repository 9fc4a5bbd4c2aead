"""SQL of the programme's fiscal years."""

from __future__ import annotations

from typing import Any

from tosei_common.platform.db import Connection
from tosei_requests.domain.years import RequestYear


def _year(row: Any) -> RequestYear:
    return RequestYear(row["fiscal_year"], row["opened_at"], row["opened_by"])


async def get(
    conn: Connection, fiscal_year: int, *, for_update: bool = False
) -> RequestYear | None:
    """The year if its drafting is open; ``for_update`` also serialises the year's numbering."""
    lock = " FOR UPDATE" if for_update else ""
    row = await conn.fetchrow(
        f"SELECT fiscal_year, opened_at, opened_by FROM request_years WHERE fiscal_year = $1{lock}",
        fiscal_year,
    )
    return None if row is None else _year(row)


async def listed(conn: Connection) -> list[RequestYear]:
    rows = await conn.fetch(
        "SELECT fiscal_year, opened_at, opened_by FROM request_years ORDER BY fiscal_year"
    )
    return [_year(r) for r in rows]


async def insert(conn: Connection, year: RequestYear) -> bool:
    """False when another command opened the year first."""
    added = await conn.fetchval(
        "INSERT INTO request_years (fiscal_year, opened_at, opened_by) VALUES ($1, $2, $3)"
        " ON CONFLICT DO NOTHING RETURNING fiscal_year",
        year.fiscal_year,
        year.opened_at,
        year.opened_by,
    )
    return added is not None
