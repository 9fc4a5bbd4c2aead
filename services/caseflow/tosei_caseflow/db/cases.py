"""The SQL of cases: the case row, who has had it (case_experts), lists and the queue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

import asyncpg

from tosei_caseflow.domain.cases import Case, Tenure
from tosei_caseflow.domain.lifecycle import OPEN_LOAD
from tosei_caseflow.domain.views import CaseFilter, CaseRow, FollowUpRow
from tosei_common.catalogue.caseflow import CaseState, Track
from tosei_common.catalogue.intake import BusinessStage, Category, Channel, LegacyStatus, Origin
from tosei_common.platform.db import Connection

OPEN_LOAD_STATES = [s.value for s in OPEN_LOAD]
if any("," in category.value for category in Category):  # insert_opened joins them with commas
    raise RuntimeError("a category's value holds a comma")


def _case(row: asyncpg.Record) -> Case:
    return Case(
        case_id=row["case_id"],
        client_id=row["client_id"],
        municipality=row["municipality"],
        stage=BusinessStage(row["stage"]),
        categories=tuple(Category(c) for c in row["categories"]),
        origin=Origin(row["origin"]),
        consent_to_share=row["consent_to_share"],
        opened_at=row["opened_at"],
        track=Track(row["track"]),
        state=CaseState(row["state"]),
        expert_id=row["expert_id"],
        updated_at=row["updated_at"],
        experts=frozenset(row["experts"]),
        use_stopped=row["use_stopped"],
    )


def _row(row: asyncpg.Record) -> CaseRow:
    return CaseRow(
        case_id=row["case_id"],
        client_id=row["client_id"],
        municipality=row["municipality"],
        stage=BusinessStage(row["stage"]),
        categories=tuple(Category(c) for c in row["categories"]),
        channel=Channel(row["channel"]),
        origin=Origin(row["origin"]),
        consent_to_share=row["consent_to_share"],
        opened_at=row["opened_at"],
        legacy_status=LegacyStatus(row["legacy_status"]) if row["legacy_status"] else None,
        track=Track(row["track"]),
        state=CaseState(row["state"]),
        expert_id=row["expert_id"],
        expert_name=row["expert_name"],
        next_action_on=row["next_action_on"],
        satisfaction=row["satisfaction"],
        closed_at=row["closed_at"],
        client_use_stopped=row["client_use_stopped"],
    )


async def lock(conn: Connection, case_id: UUID) -> Case | None:
    """The case, locked until the end of the transaction (commands on one case queue up)."""
    row = await conn.fetchrow(
        """
        SELECT c.*, ARRAY(SELECT x.expert_id FROM case_experts x WHERE x.case_id = c.case_id)
                    AS experts,
               EXISTS (SELECT 1 FROM client_use_stops u WHERE u.client_id = c.client_id)
                    AS use_stopped
        FROM cases c WHERE c.case_id = $1
        FOR UPDATE OF c
        """,
        case_id,
    )
    return _case(row) if row else None


async def insert(
    conn: Connection,
    *,
    case_id: UUID,
    client_id: UUID,
    municipality: str,
    stage: str,
    categories: Sequence[str],
    channel: str,
    origin: str,
    consent_to_share: bool,
    opened_at: datetime,
    legacy_status: str | None,
    legacy_staff: str | None,
    track: str,
    state: str,
    closed_at: datetime | None,
) -> bool:
    """Register a case; False when it exists already (a repeated case.opened opens one case)."""
    status = await conn.execute(
        """
        INSERT INTO cases (case_id, client_id, municipality, stage, categories, channel, origin,
                           consent_to_share, opened_at, legacy_status, legacy_staff,
                           initial_track, track, state, closed_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $9)
        ON CONFLICT (case_id) DO NOTHING
        """,
        case_id,
        client_id,
        municipality,
        stage,
        list(categories),
        channel,
        origin,
        consent_to_share,
        opened_at,
        legacy_status,
        legacy_staff,
        track,
        state,
        closed_at,
    )
    return status.endswith(" 1")


@dataclass(frozen=True)
class NewCase:
    """A case to register, as ``insert`` takes it."""

    case_id: UUID
    client_id: UUID
    municipality: str
    stage: str
    categories: Sequence[str]
    channel: str
    origin: str
    consent_to_share: bool
    opened_at: datetime
    legacy_status: str | None
    legacy_staff: str | None
    track: str
    state: str
    closed_at: datetime | None


async def insert_opened(conn: Connection, opened: Sequence[tuple[UUID, NewCase]]) -> set[UUID]:
    """Register many cases, each with its ``opened`` timeline entry, in one statement; return
    the ids of the events whose case did not exist yet (give each case once).

    The rows travel as typed arrays (``unnest``), not as one JSON document: building and
    parsing the JSON was most of a replay's time per case. The timeline's facts are built by
    PostgreSQL, and a case's categories cross as one comma-joined text (their values are the
    catalogue's words, which hold no comma).
    """
    if not opened:
        return set()
    columns = list(
        zip(
            *(
                (
                    event_id,
                    c.case_id,
                    c.client_id,
                    c.municipality,
                    c.stage,
                    ",".join(c.categories),
                    c.channel,
                    c.origin,
                    c.consent_to_share,
                    c.opened_at,
                    c.legacy_status,
                    c.legacy_staff,
                    c.track,
                    c.state,
                    c.closed_at,
                )
                for event_id, c in opened
            ),
            strict=True,
        )
    )
    rows = await conn.fetch(
        """
        WITH given AS (
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[],
                                 $6::text[], $7::text[], $8::text[], $9::boolean[],
                                 $10::timestamptz[], $11::text[], $12::text[], $13::text[],
                                 $14::text[], $15::timestamptz[])
                WITH ORDINALITY AS g(event_id, case_id, client_id, municipality, stage,
                                     categories, channel, origin, consent_to_share, opened_at,
                                     legacy_status, legacy_staff, track, state, closed_at, n)
        ),
        created AS (
            INSERT INTO cases (case_id, client_id, municipality, stage, categories, channel,
                               origin, consent_to_share, opened_at, legacy_status, legacy_staff,
                               initial_track, track, state, closed_at, updated_at)
            SELECT case_id, client_id, municipality, stage, string_to_array(categories, ','),
                   channel, origin, consent_to_share, opened_at, legacy_status, legacy_staff,
                   track, track, state, closed_at, opened_at
            FROM given ORDER BY n
            ON CONFLICT (case_id) DO NOTHING
            RETURNING case_id
        ),
        entered AS (
            INSERT INTO case_timeline (event_id, case_id, kind, at, facts)
            SELECT g.event_id, g.case_id, 'opened', g.opened_at,
                   jsonb_build_object(
                       'origin', g.origin, 'channel', g.channel, 'stage', g.stage,
                       'categories', to_jsonb(string_to_array(g.categories, ',')),
                       'legacy_status', g.legacy_status)
            FROM given g JOIN created USING (case_id) ORDER BY g.n
            ON CONFLICT (event_id) DO NOTHING
        )
        SELECT g.event_id FROM given g JOIN created USING (case_id)
        """,
        *(list(column) for column in columns),
    )
    return {r["event_id"] for r in rows}


async def set_expert(
    conn: Connection, case_id: UUID, expert_id: UUID, track: str, state: str, at: datetime
) -> None:
    """Give the case to an expert; the previous expert keeps read access from case_experts."""
    await conn.execute(
        "UPDATE case_experts SET until = $2 WHERE case_id = $1 AND until IS NULL", case_id, at
    )
    await conn.execute(
        "INSERT INTO case_experts (case_id, expert_id, since) VALUES ($1, $2, $3)"
        " ON CONFLICT DO NOTHING",
        case_id,
        expert_id,
        at,
    )
    await conn.execute(
        "UPDATE cases SET expert_id = $2, track = $3, state = $4, updated_at = $5"
        " WHERE case_id = $1",
        case_id,
        expert_id,
        track,
        state,
        at,
    )


async def set_state(
    conn: Connection,
    case_id: UUID,
    state: str,
    at: datetime,
    *,
    resolved: bool = False,
    closed: bool = False,
    reopened: bool = False,
    satisfaction: int | None = None,
) -> None:
    await conn.execute(
        """
        UPDATE cases SET
            state = $2,
            updated_at = $3,
            resolved_at = CASE WHEN $4 THEN $3 ELSE resolved_at END,
            closed_at = CASE WHEN $5 THEN $3 WHEN $6 THEN NULL ELSE closed_at END,
            satisfaction = CASE WHEN $5 THEN $7 WHEN $6 THEN NULL ELSE satisfaction END
        WHERE case_id = $1
        """,
        case_id,
        state,
        at,
        resolved,
        closed,
        reopened,
        satisfaction,
    )


async def row(conn: Connection, case_id: UUID) -> CaseRow | None:
    found = await conn.fetchrow(
        """
        SELECT c.*, e.name AS expert_name,
               EXISTS (SELECT 1 FROM client_use_stops u WHERE u.client_id = c.client_id)
                   AS client_use_stopped
        FROM cases c LEFT JOIN experts e USING (expert_id)
        WHERE c.case_id = $1
        """,
        case_id,
    )
    return _row(found) if found else None


async def tenures(conn: Connection, case_id: UUID) -> list[Tenure]:
    """Every expert's time with the case, in order."""
    rows = await conn.fetch(
        "SELECT expert_id, since, until FROM case_experts WHERE case_id = $1 ORDER BY since",
        case_id,
    )
    return [Tenure(r["expert_id"], r["since"], r["until"]) for r in rows]


async def listing(conn: Connection, where: CaseFilter) -> list[CaseRow]:
    """Cases newest first, filtered."""
    rows = await conn.fetch(
        """
        SELECT c.*, e.name AS expert_name,
               EXISTS (SELECT 1 FROM client_use_stops u WHERE u.client_id = c.client_id)
                   AS client_use_stopped
        FROM cases c LEFT JOIN experts e USING (expert_id)
        WHERE ($1::uuid IS NULL OR EXISTS (
                  SELECT 1 FROM case_experts x WHERE x.case_id = c.case_id AND x.expert_id = $1))
          AND ($2::text IS NULL OR c.state = $2)
          AND ($3::text IS NULL OR c.track = $3)
          AND ($4::uuid IS NULL OR c.expert_id = $4)
          AND ($5::text IS NULL OR c.municipality = $5)
        ORDER BY c.opened_at DESC, c.case_id
        LIMIT $6 OFFSET $7
        """,
        where.readable_by,
        where.state.value if where.state else None,
        where.track.value if where.track else None,
        where.expert_id,
        where.municipality,
        where.limit,
        where.offset,
    )
    return [_row(r) for r in rows]


async def queue(conn: Connection) -> list[CaseRow]:
    """Cases waiting for an expert, oldest first."""
    rows = await conn.fetch(
        "SELECT *, NULL::text AS expert_name, EXISTS (SELECT 1 FROM client_use_stops u"
        " WHERE u.client_id = cases.client_id) AS client_use_stopped"
        " FROM cases WHERE state = 'open' ORDER BY opened_at, case_id"
    )
    return [_row(r) for r in rows]


async def overdue_follow_ups(
    conn: Connection, today: date, expert_id: UUID | None
) -> list[FollowUpRow]:
    rows = await conn.fetch(
        """
        SELECT c.case_id, c.expert_id, e.name AS expert_name, c.next_action_on, c.state,
               c.track, ($1::date - c.next_action_on) AS days_overdue
        FROM cases c JOIN experts e USING (expert_id)
        WHERE c.next_action_on < $1
          AND c.state = ANY($2::text[])
          AND ($3::uuid IS NULL OR c.expert_id = $3)
        ORDER BY e.name, c.next_action_on, c.case_id
        """,
        today,
        OPEN_LOAD_STATES,
        expert_id,
    )
    return [
        FollowUpRow(
            case_id=r["case_id"],
            expert_id=r["expert_id"],
            expert_name=r["expert_name"],
            next_action_on=r["next_action_on"],
            days_overdue=r["days_overdue"],
            state=CaseState(r["state"]),
            track=Track(r["track"]),
        )
        for r in rows
    ]


async def set_consent(conn: Connection, case_id: UUID, consent: bool, at: datetime) -> bool:
    """False when caseflow does not know the case (yet)."""
    done = await conn.execute(
        "UPDATE cases SET consent_to_share = $2, updated_at = greatest(updated_at, $3)"
        " WHERE case_id = $1",
        case_id,
        consent,
        at,
    )
    return str(done).endswith(" 1")


async def correct(
    conn: Connection,
    case_id: UUID,
    *,
    municipality: str,
    stage: str,
    categories: list[str],
    at: datetime,
) -> bool:
    """intake's correction of where and what the case is; False for a case caseflow lacks."""
    done = await conn.execute(
        "UPDATE cases SET municipality = $2, stage = $3, categories = $4,"
        " updated_at = greatest(updated_at, $5) WHERE case_id = $1",
        case_id,
        municipality,
        stage,
        categories,
        at,
    )
    return str(done).endswith(" 1")


async def of_client(conn: Connection, client_id: UUID) -> list[UUID]:
    """The ids of a client's cases, oldest first."""
    rows = await conn.fetch(
        "SELECT case_id FROM cases WHERE client_id = $1 ORDER BY opened_at, case_id", client_id
    )
    return [r["case_id"] for r in rows]
