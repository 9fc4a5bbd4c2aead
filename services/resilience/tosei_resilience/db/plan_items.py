"""SQL of plan items and their revisions: the current plan, the plan as of a moment, history.

Each item's current state is a row of ``plan_items`` (for listing and row locks); every change
is a row of ``plan_item_revisions`` with the field diff and the full state after it, so the past
is the latest snapshot per item by then, and the revisions' ``seq`` is the change feed's cursor.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from tosei_common.platform.db import Connection
from tosei_resilience.db.jsonb import dumps
from tosei_resilience.domain.history_import import OnRecord
from tosei_resilience.domain.plan import ItemFilter
from tosei_resilience.domain.plan_item import Change, PlanItem
from tosei_resilience.domain.revisions import (
    Imported,
    RevisionKind,
    RevisionRecord,
    RevisionSource,
)


async def lock_plan(conn: Connection) -> None:
    """Serialise the plan's writers for the rest of the transaction.

    Revisions then commit in the order of their sequence numbers, so a change-feed reader who
    saw everything up to seq N can never later find a revision below N committed late (sequence
    order is not commit order otherwise). Plan edits are few; queuing them costs nothing.
    """
    await conn.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended('tosei.resilience.plan.' "
        "|| current_schema(), 0))"
    )


def _item(state: str) -> PlanItem:
    return PlanItem.model_validate(json.loads(state))


async def next_item_numbers(conn: Connection, count: int = 1) -> list[int]:
    """The next free 事業番号, gap-free (items are never deleted, so numbers are never reused).

    Call under ``lock_plan``: two writers would otherwise be handed the same numbers.
    """
    last: int = await conn.fetchval("SELECT coalesce(max(number), 0) FROM plan_items")
    return [last + i for i in range(1, count + 1)]


async def item(conn: Connection, item_id: UUID, *, for_update: bool = False) -> PlanItem | None:
    lock = " FOR UPDATE" if for_update else ""
    state = await conn.fetchval(f"SELECT state FROM plan_items WHERE id = $1{lock}", item_id)
    return None if state is None else _item(state)


async def save_change(
    conn: Connection,
    change: Change,
    *,
    reason: str,
    actor: str,
    at: datetime,
    fiscal_year: int,
    imported: Imported | None = None,
) -> int:
    """Write the item's new state and its revision; the revision's feed position (seq).

    ``at`` is when the change took effect; an imported one is marked with its import."""
    item = change.item
    snapshot = dumps(change.snapshot)
    if change.kind is RevisionKind.ADDED:
        await conn.execute(
            """
            INSERT INTO plan_items (id, number, municipality, status, funding_programmes, version,
                                    state, added_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $8)
            """,
            item.id,
            item.number,
            item.municipality,
            item.status.value,
            list(item.funding_programmes),
            item.version,
            snapshot,
            at,
        )
    else:
        updated = await conn.execute(
            """
            UPDATE plan_items SET municipality = $2, status = $3, funding_programmes = $4,
                                  version = $5, state = $6::jsonb, updated_at = $7
             WHERE id = $1 AND version = $5 - 1
            """,
            item.id,
            item.municipality,
            item.status.value,
            list(item.funding_programmes),
            item.version,
            snapshot,
            at,
        )
        if updated != "UPDATE 1":  # the row lock makes this unreachable; never overwrite
            raise RuntimeError(f"plan item {item.id} was not at version {item.version - 1}")
    seq: int = await conn.fetchval(
        """
        INSERT INTO plan_item_revisions (item_id, version, kind, changed_fields, changes, snapshot,
                                         municipality, reason, actor, recorded_at, fiscal_year,
                                         source, import_id, imported_at)
        VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9, $10, $11, $12, $13, $14)
        RETURNING seq
        """,
        item.id,
        item.version,
        change.kind.value,
        change.changed_fields,
        dumps(change.changes),
        snapshot,
        item.municipality,
        reason,
        actor,
        at,
        fiscal_year,
        (RevisionSource.IMPORT if imported else RevisionSource.LIVE).value,
        imported and imported.import_id,
        imported and imported.imported_at,
    )
    return seq


# One filter over an item's state (s) for the current plan and for the plan as of a moment.
_FILTER = """
      ($1::boolean OR s->>'municipality' IS NOT DISTINCT FROM $2::text)
  AND ($3::text IS NULL OR s->>'status' = $3::text)
  AND ($4::text IS NULL OR s->>'risk_scenario' = $4::text)
  AND ($5::text IS NULL OR s->>'policy_area' = $5::text)
  AND ($6::text IS NULL OR s->'funding_programmes' ? $6::text)
  AND ($7::boolean OR s->>'status' <> 'retired')
"""


def _filter_params(which: ItemFilter) -> list[Any]:
    return [
        which.any_municipality,
        which.municipality,
        None if which.status is None else which.status.value,
        which.risk_scenario,
        which.policy_area,
        None if which.funding_programme is None else str(which.funding_programme),
        which.with_retired,
    ]


async def items(
    conn: Connection, which: ItemFilter, *, needs_review: bool | None = None
) -> list[PlanItem]:
    """The plan as it stands now."""
    rows = await conn.fetch(
        f"""
        SELECT s FROM (SELECT id, number, state AS s FROM plan_items) p
         WHERE {_FILTER}
           AND ($8::boolean IS NULL OR $8::boolean = EXISTS (
                    SELECT 1 FROM review_flags f WHERE f.item_id = p.id AND f.resolved_at IS NULL))
         ORDER BY number
        """,
        *_filter_params(which),
        needs_review,
    )
    return [_item(r["s"]) for r in rows]


_LATEST_AS_OF = """
    SELECT DISTINCT ON (item_id) item_id, snapshot AS s
      FROM plan_item_revisions
     WHERE recorded_at <= $8
     ORDER BY item_id, version DESC
"""


async def items_as_of(conn: Connection, moment: datetime, which: ItemFilter) -> list[PlanItem]:
    """The plan as it stood at ``moment``: each item's latest revision recorded by then."""
    rows = await conn.fetch(
        f"""
        SELECT s FROM ({_LATEST_AS_OF}) latest
         WHERE {_FILTER}
         ORDER BY (s->>'number')::integer
        """,
        *_filter_params(which),
        moment,
    )
    return [_item(r["s"]) for r in rows]


async def item_as_of(conn: Connection, item_id: UUID, moment: datetime) -> PlanItem | None:
    state = await conn.fetchval(
        """
        SELECT snapshot FROM plan_item_revisions
         WHERE item_id = $1 AND recorded_at <= $2
         ORDER BY version DESC LIMIT 1
        """,
        item_id,
        moment,
    )
    return None if state is None else _item(state)


async def on_record(conn: Connection, numbers: Iterable[int]) -> list[OnRecord]:
    """The items with these 事業番号, with when they last changed and their live revisions."""
    rows = await conn.fetch(
        """
        SELECT p.state,
               max(r.recorded_at) AS last_at,
               min(r.recorded_at) FILTER (WHERE r.source = 'live') AS live_from,
               max(r.recorded_at) FILTER (WHERE r.source = 'live') AS live_to,
               min(r.version) FILTER (WHERE r.source = 'live') AS live_low,
               max(r.version) FILTER (WHERE r.source = 'live') AS live_high
          FROM plan_items p JOIN plan_item_revisions r ON r.item_id = p.id
         WHERE p.number = ANY($1::integer[])
         GROUP BY p.id
        """,
        list(numbers),
    )
    return [
        OnRecord(
            item=_item(r["state"]),
            last_at=r["last_at"],
            live_from=r["live_from"],
            live_to=r["live_to"],
            live_versions=None if r["live_low"] is None else (r["live_low"], r["live_high"]),
        )
        for r in rows
    ]


async def items_with_ids(conn: Connection, item_ids: Iterable[UUID]) -> list[PlanItem]:
    rows = await conn.fetch(
        "SELECT state FROM plan_items WHERE id = ANY($1::uuid[]) ORDER BY number", list(item_ids)
    )
    return [_item(r["state"]) for r in rows]


async def numbers_of(conn: Connection, item_ids: Iterable[UUID]) -> dict[UUID, int]:
    """事業番号 of items (for naming where an item came from or went)."""
    rows = await conn.fetch(
        "SELECT id, number FROM plan_items WHERE id = ANY($1::uuid[])", list(item_ids)
    )
    return {r["id"]: r["number"] for r in rows}


async def items_relying_on(conn: Connection, programme_id: UUID) -> list[UUID]:
    """Items still in the plan that list the programme, in plan order."""
    rows = await conn.fetch(
        """
        SELECT id FROM plan_items
         WHERE funding_programmes @> ARRAY[$1::uuid] AND status <> 'retired'
         ORDER BY number
        """,
        programme_id,
    )
    return [r["id"] for r in rows]


async def status_counts(conn: Connection) -> dict[str, int]:
    rows = await conn.fetch("SELECT status, count(*) AS n FROM plan_items GROUP BY status")
    return {r["status"]: r["n"] for r in rows}


# revisions -----------------------------------------------------------------------------------

_REVISION_COLUMNS = (
    "seq, item_id, version, kind, changed_fields, changes, snapshot, reason, actor, recorded_at,"
    " source, imported_at"
)


def _revision(row: asyncpg.Record) -> RevisionRecord:
    return RevisionRecord(
        seq=row["seq"],
        item_id=row["item_id"],
        version=row["version"],
        kind=RevisionKind(row["kind"]),
        changed_fields=tuple(row["changed_fields"]),
        changes=json.loads(row["changes"]),
        snapshot=json.loads(row["snapshot"]),
        reason=row["reason"],
        actor=row["actor"],
        recorded_at=row["recorded_at"],
        source=RevisionSource(row["source"]),
        imported_at=row["imported_at"],
    )


async def history(conn: Connection, item_id: UUID) -> list[RevisionRecord]:
    rows = await conn.fetch(
        f"SELECT {_REVISION_COLUMNS} FROM plan_item_revisions WHERE item_id = $1 ORDER BY version",
        item_id,
    )
    return [_revision(r) for r in rows]


async def revisions_in_fiscal_year(conn: Connection, fiscal_year: int) -> list[RevisionRecord]:
    rows = await conn.fetch(
        f"SELECT {_REVISION_COLUMNS} FROM plan_item_revisions WHERE fiscal_year = $1 ORDER BY seq",
        fiscal_year,
    )
    return [_revision(r) for r in rows]


async def revisions_since(
    conn: Connection,
    since: int,
    *,
    any_municipality: bool,
    municipality: str | None,
    limit: int,
) -> list[RevisionRecord]:
    """The change feed: revisions after ``since``, oldest first; for one town, also the items
    moved away from it."""
    rows = await conn.fetch(
        f"""
        SELECT {_REVISION_COLUMNS} FROM plan_item_revisions
         WHERE seq > $1
           AND ($2::boolean
                OR municipality IS NOT DISTINCT FROM $3::text
                OR (changes ? 'municipality'
                    AND changes->'municipality'->>'old' IS NOT DISTINCT FROM $3::text))
         ORDER BY seq
         LIMIT $4
        """,
        since,
        any_municipality,
        municipality,
        limit,
    )
    return [_revision(r) for r in rows]


async def last_seq(conn: Connection) -> int:
    """The newest revision's feed position (0 for an empty plan)."""
    seq: int = await conn.fetchval("SELECT coalesce(max(seq), 0) FROM plan_item_revisions")
    return seq
