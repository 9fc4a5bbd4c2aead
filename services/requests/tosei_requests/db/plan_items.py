"""SQL of the service's copy of the resilience plan's items."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from tosei_common.catalogue.resilience import PlanItemStatus
from tosei_common.platform.db import Connection
from tosei_requests.domain.plan_items import PlanItemCopy, PlanItemSearch

_COLUMNS = "item_id, number, title, municipality, status, version, changed_fields, changed_at"


def _copy(row: Any) -> PlanItemCopy:
    return PlanItemCopy(
        item_id=row["item_id"],
        number=row["number"],
        title=row["title"],
        municipality=row["municipality"],
        status=PlanItemStatus(row["status"]),
        version=row["version"],
        changed_fields=tuple(row["changed_fields"]),
        changed_at=row["changed_at"],
    )


async def get(conn: Connection, item_id: UUID, *, for_update: bool = False) -> PlanItemCopy | None:
    lock = " FOR UPDATE" if for_update else ""
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM plan_items WHERE item_id = $1{lock}", item_id
    )
    return None if row is None else _copy(row)


async def by_ids(conn: Connection, ids: Sequence[UUID]) -> dict[UUID, PlanItemCopy]:
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM plan_items WHERE item_id = ANY($1::uuid[])", list(ids)
    )
    return {row["item_id"]: _copy(row) for row in rows}


async def search(conn: Connection, which: PlanItemSearch) -> list[PlanItemCopy]:
    """The copies a search finds, by number; titles reduced as ``search_key`` reduces the
    query (NFKC, no spaces, lower case)."""
    rows = await conn.fetch(
        f"""
        SELECT {_COLUMNS} FROM plan_items
         WHERE ($1::text IS NULL OR strpos(
                    lower(regexp_replace(normalize(title, NFKC), '[[:space:]]+', '', 'g')), $1
                ) > 0)
           AND (cardinality($2::uuid[]) = 0 OR item_id = ANY($2::uuid[]))
           AND ($3 OR status <> 'retired')
         ORDER BY number, item_id
         LIMIT $4
        """,
        which.title_key,
        list(which.ids),
        which.include_retired,
        which.limit,
    )
    return [_copy(row) for row in rows]


async def save(conn: Connection, copy: PlanItemCopy) -> None:
    await conn.execute(
        f"""
        INSERT INTO plan_items ({_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (item_id) DO UPDATE SET
            number = excluded.number, title = excluded.title, municipality = excluded.municipality,
            status = excluded.status, version = excluded.version,
            changed_fields = excluded.changed_fields, changed_at = excluded.changed_at
        """,
        copy.item_id,
        copy.number,
        copy.title,
        copy.municipality,
        copy.status.value,
        copy.version,
        list(copy.changed_fields),
        copy.changed_at,
    )


async def count(conn: Connection) -> int:
    known: int = await conn.fetchval("SELECT count(*) FROM plan_items")
    return known
