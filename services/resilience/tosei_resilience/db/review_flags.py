"""SQL of review flags: opened when a programme's conditions change, closed when reviewed."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

import asyncpg

from tosei_common.platform.db import Connection
from tosei_resilience.domain.funding import FundingProgramme
from tosei_resilience.domain.review import ReviewFlag


async def flag_for_review(
    conn: Connection,
    item_ids: Sequence[UUID],
    programme: FundingProgramme,
    changed_fields: Sequence[str],
    at: datetime,
) -> None:
    """Open a review flag on each item; an item already flagged for the programme is refreshed."""
    await conn.execute(
        """
        INSERT INTO review_flags (id, item_id, programme_id, programme_version, changed_fields,
                                  flagged_at)
        SELECT flag_id, item_id, $3, $4, $5, $6
          FROM unnest($1::uuid[], $2::uuid[]) AS t(flag_id, item_id)
        ON CONFLICT (item_id, programme_id) WHERE resolved_at IS NULL DO UPDATE SET
            programme_version = excluded.programme_version,
            changed_fields = ARRAY(SELECT DISTINCT unnest(review_flags.changed_fields
                                                          || excluded.changed_fields)),
            flagged_at = excluded.flagged_at
        """,
        [uuid.uuid4() for _ in item_ids],
        list(item_ids),
        programme.id,
        programme.version,
        list(changed_fields),
        at,
    )


_SELECT = """
    SELECT f.id, f.item_id, i.number AS item_number, i.state->>'title' AS item_title,
           i.municipality, f.programme_id, p.name AS programme_name, f.programme_version,
           f.changed_fields, f.flagged_at, f.resolved_at, f.resolved_by, f.resolution_note
      FROM review_flags f
      JOIN plan_items i ON i.id = f.item_id
      JOIN funding_programmes p ON p.id = f.programme_id
"""


def _flag(row: asyncpg.Record) -> ReviewFlag:
    return ReviewFlag(**{k: row[k] for k in ReviewFlag.__dataclass_fields__})


async def review_flags(
    conn: Connection,
    *,
    any_municipality: bool,
    municipality: str | None,
    open_only: bool,
    item_ids: Sequence[UUID] | None = None,
) -> list[ReviewFlag]:
    rows = await conn.fetch(
        _SELECT
        + """
     WHERE ($1::boolean OR i.municipality IS NOT DISTINCT FROM $2::text)
       AND (NOT $3::boolean OR f.resolved_at IS NULL)
       AND ($4::uuid[] IS NULL OR f.item_id = ANY($4::uuid[]))
     ORDER BY f.resolved_at IS NOT NULL, i.number, p.name, f.flagged_at
        """,
        any_municipality,
        municipality,
        open_only,
        None if item_ids is None else list(item_ids),
    )
    return [_flag(r) for r in rows]


async def review_flag(conn: Connection, flag_id: UUID) -> ReviewFlag | None:
    """One flag, locked for the rest of the transaction."""
    row = await conn.fetchrow(_SELECT + " WHERE f.id = $1 FOR UPDATE OF f", flag_id)
    return None if row is None else _flag(row)


async def resolve(
    conn: Connection,
    *,
    flag_id: UUID | None = None,
    item_id: UUID | None = None,
    actor: str,
    at: datetime,
    note: str,
) -> int:
    """Close one open flag, or every open flag of an item; the number closed."""
    result = await conn.execute(
        """
        UPDATE review_flags SET resolved_at = $3, resolved_by = $4, resolution_note = $5
         WHERE resolved_at IS NULL AND (id = $1 OR item_id = $2)
        """,
        flag_id,
        item_id,
        at,
        actor,
        note,
    )
    return int(result.split()[-1])


async def open_count(conn: Connection) -> int:
    count: int = await conn.fetchval("SELECT count(*) FROM review_flags WHERE resolved_at IS NULL")
    return count
