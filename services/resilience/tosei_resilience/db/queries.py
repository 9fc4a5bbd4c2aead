"""All SQL of the resilience service, as functions taking a connection."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from tosei_common.catalogue.resilience import PlanItemStatus
from tosei_common.platform.db import Connection
from tosei_resilience.domain.funding import FundingProgramme, ProgrammeChange
from tosei_resilience.domain.plan_item import Change, PlanItem
from tosei_resilience.domain.reference import Goal, PolicyArea, Scenario, scenario_position
from tosei_resilience.domain.revisions import RevisionKind, RevisionRecord


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


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


# the plan's lists ----------------------------------------------------------------------------


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


# funding programmes --------------------------------------------------------------------------


def _programme(row: Any) -> FundingProgramme:
    return FundingProgramme(
        id=row["id"],
        name=row["name"],
        ministry=row["ministry"],
        condition=row["condition"],
        condition_note=row["condition_note"],
        effective_from_fiscal_year=row["effective_from_fiscal_year"],
        version=row["version"],
    )


_PROGRAMME_COLUMNS = (
    "id, name, ministry, condition, condition_note, effective_from_fiscal_year, version"
)


async def programmes(conn: Connection) -> list[FundingProgramme]:
    rows = await conn.fetch(f"SELECT {_PROGRAMME_COLUMNS} FROM funding_programmes ORDER BY name")
    return [_programme(r) for r in rows]


async def programme(
    conn: Connection, programme_id: UUID, *, for_update: bool = False
) -> FundingProgramme | None:
    lock = " FOR UPDATE" if for_update else ""
    row = await conn.fetchrow(
        f"SELECT {_PROGRAMME_COLUMNS} FROM funding_programmes WHERE id = $1{lock}", programme_id
    )
    return None if row is None else _programme(row)


async def programme_name_taken(conn: Connection, name: str, other_than: UUID | None) -> bool:
    taken: bool = await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM funding_programmes"
        " WHERE name = $1 AND id IS DISTINCT FROM $2)",
        name,
        other_than,
    )
    return taken


async def save_programme(
    conn: Connection, change: ProgrammeChange, reason: str, actor: str, at: datetime
) -> None:
    """Write the programme's new state and its revision."""
    p = change.programme
    await conn.execute(
        """
        INSERT INTO funding_programmes (id, name, ministry, condition, condition_note,
                                        effective_from_fiscal_year, version, updated_at, updated_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        ON CONFLICT (id) DO UPDATE SET
            name = excluded.name, ministry = excluded.ministry, condition = excluded.condition,
            condition_note = excluded.condition_note,
            effective_from_fiscal_year = excluded.effective_from_fiscal_year,
            version = excluded.version, updated_at = excluded.updated_at,
            updated_by = excluded.updated_by
        """,
        p.id,
        p.name,
        p.ministry,
        p.condition.value,
        p.condition_note,
        p.effective_from_fiscal_year,
        p.version,
        at,
        actor,
    )
    await conn.execute(
        """
        INSERT INTO funding_programme_revisions
            (programme_id, version, change, changes, snapshot, reason, actor, recorded_at)
        VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8)
        """,
        p.id,
        p.version,
        change.kind.value,
        _json(change.changes),
        _json(change.snapshot),
        reason,
        actor,
        at,
    )


@dataclass(frozen=True)
class ProgrammeRevision:
    version: int
    change: str
    changes: dict[str, Any]
    reason: str
    actor: str
    recorded_at: datetime


async def programme_history(conn: Connection, programme_id: UUID) -> list[ProgrammeRevision]:
    rows = await conn.fetch(
        """
        SELECT version, change, changes, reason, actor, recorded_at
          FROM funding_programme_revisions WHERE programme_id = $1 ORDER BY version
        """,
        programme_id,
    )
    return [
        ProgrammeRevision(
            r["version"],
            r["change"],
            json.loads(r["changes"]),
            r["reason"],
            r["actor"],
            r["recorded_at"],
        )
        for r in rows
    ]


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


@dataclass(frozen=True)
class ReviewFlag:
    id: UUID
    item_id: UUID
    item_number: int
    item_title: str
    municipality: str | None
    programme_id: UUID
    programme_name: str
    programme_version: int
    changed_fields: list[str]
    flagged_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None
    resolution_note: str | None


_FLAG_SELECT = """
    SELECT f.id, f.item_id, i.number AS item_number, i.state->>'title' AS item_title,
           i.municipality, f.programme_id, p.name AS programme_name, f.programme_version,
           f.changed_fields, f.flagged_at, f.resolved_at, f.resolved_by, f.resolution_note
      FROM review_flags f
      JOIN plan_items i ON i.id = f.item_id
      JOIN funding_programmes p ON p.id = f.programme_id
"""


def _flag(row: Any) -> ReviewFlag:
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
        _FLAG_SELECT
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
    row = await conn.fetchrow(_FLAG_SELECT + " WHERE f.id = $1 FOR UPDATE OF f", flag_id)
    return None if row is None else _flag(row)


async def resolve_flags(
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


# plan items ----------------------------------------------------------------------------------


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
) -> int:
    """Write the item's new state and its revision; the revision's feed position (seq)."""
    item = change.item
    snapshot = _json(change.snapshot)
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
                                         municipality, reason, actor, recorded_at, fiscal_year)
        VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9, $10, $11)
        RETURNING seq
        """,
        item.id,
        item.version,
        change.kind.value,
        change.changed_fields,
        _json(change.changes),
        snapshot,
        item.municipality,
        reason,
        actor,
        at,
        fiscal_year,
    )
    return seq


@dataclass(frozen=True)
class ItemFilter:
    """Which items to list. ``municipality`` None with ``any_municipality`` False: region items."""

    any_municipality: bool = True
    municipality: str | None = None
    status: PlanItemStatus | None = None
    risk_scenario: str | None = None
    policy_area: str | None = None
    funding_programme: UUID | None = None
    include_retired: bool = False

    def params(self) -> list[Any]:
        return [
            self.any_municipality,
            self.municipality,
            None if self.status is None else self.status.value,
            self.risk_scenario,
            self.policy_area,
            None if self.funding_programme is None else str(self.funding_programme),
            self.include_retired or self.status is PlanItemStatus.RETIRED,
        ]


# One filter over an item's state (s) for the current plan and for the plan as of a moment.
_FILTER = """
      ($1::boolean OR s->>'municipality' IS NOT DISTINCT FROM $2::text)
  AND ($3::text IS NULL OR s->>'status' = $3::text)
  AND ($4::text IS NULL OR s->>'risk_scenario' = $4::text)
  AND ($5::text IS NULL OR s->>'policy_area' = $5::text)
  AND ($6::text IS NULL OR s->'funding_programmes' ? $6::text)
  AND ($7::boolean OR s->>'status' <> 'retired')
"""


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
        *which.params(),
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
        *which.params(),
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


_REVISION_COLUMNS = (
    "seq, item_id, version, kind, changed_fields, changes, snapshot, reason, actor, recorded_at"
)


def _revision(row: Any) -> RevisionRecord:
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


# change feed ---------------------------------------------------------------------------------


async def feed(
    conn: Connection,
    *,
    since: int,
    any_municipality: bool,
    municipality: str | None,
    limit: int,
) -> list[RevisionRecord]:
    """Revisions after ``since``, oldest first; for one town, also items moved away from it."""
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
    seq: int = await conn.fetchval("SELECT coalesce(max(seq), 0) FROM plan_item_revisions")
    return seq


async def bookmark(conn: Connection, reader: str) -> int | None:
    seen: int | None = await conn.fetchval(
        "SELECT seen_up_to FROM feed_bookmarks WHERE reader = $1", reader
    )
    return seen


async def set_bookmark(
    conn: Connection, reader: str, seen_up_to: int, actor: str, at: datetime
) -> None:
    await conn.execute(
        """
        INSERT INTO feed_bookmarks (reader, seen_up_to, updated_at, updated_by)
        VALUES ($1, $2, $3, $4)
        ON CONFLICT (reader) DO UPDATE SET seen_up_to = excluded.seen_up_to,
            updated_at = excluded.updated_at, updated_by = excluded.updated_by
        """,
        reader,
        seen_up_to,
        at,
        actor,
    )


# metrics -------------------------------------------------------------------------------------


async def status_counts(conn: Connection) -> dict[str, int]:
    rows = await conn.fetch("SELECT status, count(*) AS n FROM plan_items GROUP BY status")
    return {r["status"]: r["n"] for r in rows}


async def open_review_flags(conn: Connection) -> int:
    count: int = await conn.fetchval("SELECT count(*) FROM review_flags WHERE resolved_at IS NULL")
    return count
