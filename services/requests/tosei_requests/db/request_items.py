"""SQL of request items: load (and lock), list, save, numbers and lineage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from tosei_common.catalogue.requests import RequestDerivation
from tosei_common.platform.db import Connection
from tosei_requests.domain.request_item import ItemFilter, RequestItem
from tosei_requests.domain.status import ItemStatus

_COLUMNS = (
    "id, fiscal_year, number, title, body, background, departments, municipalities,"
    " town_priority, requested_amount_yen, plan_item_ids, status, return_reason, derivation,"
    " derived_from, version"
)


def _item(row: Any) -> RequestItem:
    return RequestItem(
        id=row["id"],
        fiscal_year=row["fiscal_year"],
        number=row["number"],
        title=row["title"],
        body=row["body"],
        background=row["background"],
        departments=tuple(row["departments"]),
        municipalities=tuple(row["municipalities"]),
        town_priority=row["town_priority"],
        requested_amount_yen=row["requested_amount_yen"],
        plan_item_ids=tuple(row["plan_item_ids"]),
        status=ItemStatus(row["status"]),
        return_reason=row["return_reason"],
        derivation=None if row["derivation"] is None else RequestDerivation(row["derivation"]),
        derived_from=tuple(row["derived_from"]),
        version=row["version"],
    )


async def get(conn: Connection, item_id: UUID, *, for_update: bool = False) -> RequestItem | None:
    lock = " FOR UPDATE" if for_update else ""
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM request_items WHERE id = $1{lock}", item_id)
    return None if row is None else _item(row)


async def by_ids(conn: Connection, ids: Sequence[UUID]) -> dict[UUID, RequestItem]:
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM request_items WHERE id = ANY($1::uuid[])", list(ids)
    )
    return {row["id"]: _item(row) for row in rows}


async def listed(conn: Connection, which: ItemFilter) -> list[RequestItem]:
    rows = await conn.fetch(
        f"""
        SELECT {_COLUMNS} FROM request_items
         WHERE ($1::int IS NULL OR fiscal_year = $1)
           AND ($2::text IS NULL OR $2 = ANY(municipalities))
           AND ($3::text IS NULL OR status = $3)
           AND ($4 OR status <> 'draft' OR $5 = ANY(municipalities))
         ORDER BY fiscal_year, number
        """,
        which.fiscal_year,
        which.municipality,
        None if which.status is None else which.status.value,
        which.all_drafts,
        which.drafts_of,
    )
    return [_item(r) for r in rows]


async def adopted(conn: Connection, fiscal_year: int) -> list[RequestItem]:
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM request_items WHERE fiscal_year = $1 AND status = 'adopted'"
        " ORDER BY number",
        fiscal_year,
    )
    return [_item(r) for r in rows]


async def next_number(conn: Connection, fiscal_year: int, count: int = 1) -> list[int]:
    """The next free numbers of the year (the caller holds the year's row lock)."""
    last: int = await conn.fetchval(
        "SELECT coalesce(max(number), 0) FROM request_items WHERE fiscal_year = $1", fiscal_year
    )
    return [last + n for n in range(1, count + 1)]


async def successors(conn: Connection, item_id: UUID) -> tuple[UUID, ...]:
    rows = await conn.fetch(
        "SELECT id FROM request_items WHERE derived_from @> ARRAY[$1::uuid] ORDER BY number",
        item_id,
    )
    return tuple(r["id"] for r in rows)


async def chain(conn: Connection, item_id: UUID) -> list[RequestItem]:
    """Every item connected to ``item_id`` through carry-overs, merges and splits, both ways."""
    rows = await conn.fetch(
        f"""
        WITH RECURSIVE edges(a, b) AS (
            SELECT id, unnest(derived_from) FROM request_items
        ), links(a, b) AS (
            SELECT a, b FROM edges UNION ALL SELECT b, a FROM edges
        ), linked(id) AS (
            SELECT $1::uuid
            UNION
            SELECT links.b FROM links JOIN linked ON links.a = linked.id
        )
        SELECT {_COLUMNS} FROM request_items WHERE id IN (SELECT id FROM linked)
        """,
        item_id,
    )
    return [_item(r) for r in rows]


async def insert(conn: Connection, item: RequestItem, *, actor: str, at: datetime) -> None:
    await conn.execute(
        f"INSERT INTO request_items ({_COLUMNS}, created_at, created_by, updated_at, updated_by)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,"
        " $17, $18, $17, $18)",
        item.id,
        item.fiscal_year,
        item.number,
        item.title,
        item.body,
        item.background,
        list(item.departments),
        list(item.municipalities),
        item.town_priority,
        item.requested_amount_yen,
        list(item.plan_item_ids),
        item.status.value,
        item.return_reason,
        None if item.derivation is None else item.derivation.value,
        list(item.derived_from),
        item.version,
        at,
        actor,
    )


async def update(conn: Connection, item: RequestItem, *, actor: str, at: datetime) -> None:
    """Write an item's new version (its year, number and lineage never change)."""
    await conn.execute(
        """
        UPDATE request_items SET title = $2, body = $3, background = $4, departments = $5,
               municipalities = $6, town_priority = $7, requested_amount_yen = $8,
               plan_item_ids = $9, status = $10, return_reason = $11, version = $12,
               updated_at = $13, updated_by = $14
         WHERE id = $1
        """,
        item.id,
        item.title,
        item.body,
        item.background,
        list(item.departments),
        list(item.municipalities),
        item.town_priority,
        item.requested_amount_yen,
        list(item.plan_item_ids),
        item.status.value,
        item.return_reason,
        item.version,
        at,
        actor,
    )


async def status_counts(conn: Connection) -> list[tuple[int, str, int]]:
    """(fiscal year, status, items) for the metrics."""
    rows = await conn.fetch(
        "SELECT fiscal_year, status, count(*) AS n FROM request_items GROUP BY 1, 2 ORDER BY 1, 2"
    )
    return [(r["fiscal_year"], r["status"], r["n"]) for r in rows]
