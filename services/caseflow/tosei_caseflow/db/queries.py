"""All of caseflow's SQL."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg

from tosei_caseflow.domain.lifecycle import OPEN_LOAD
from tosei_caseflow.domain.model import Case, Expert
from tosei_caseflow.domain.triage import Candidate
from tosei_common.catalogue.caseflow import CaseState, Track
from tosei_common.catalogue.intake import BusinessStage, Category, Origin
from tosei_common.platform.db import Connection

_OPEN_LOAD = [s.value for s in OPEN_LOAD]

# cases ---------------------------------------------------------------------------------------


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
    )


async def lock_case(conn: Connection, case_id: UUID) -> Case | None:
    """The case, locked until the end of the transaction (commands on one case queue up)."""
    row = await conn.fetchrow("SELECT * FROM cases WHERE case_id = $1 FOR UPDATE", case_id)
    return _case(row) if row else None


async def case_row(conn: Connection, case_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        """
        SELECT c.*, e.name AS expert_name
        FROM cases c LEFT JOIN experts e USING (expert_id)
        WHERE c.case_id = $1
        """,
        case_id,
    )


async def insert_case(
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


async def surviving_client(conn: Connection, client_id: UUID) -> UUID:
    """The client a (possibly merged) client id stands for now, following merges of merges."""
    seen = {client_id}
    while (
        merged_into := await conn.fetchval(
            "SELECT client_id FROM client_merges WHERE merged_client_id = $1", client_id
        )
    ) is not None and merged_into not in seen:
        seen.add(merged_into)
        client_id = merged_into
    return client_id


async def merge_clients(
    conn: Connection, survivor: UUID, merged: UUID, case_ids: Sequence[UUID], at: datetime
) -> None:
    """Record a merge and give the merged client's cases to the survivor."""
    await conn.execute(
        "INSERT INTO client_merges (merged_client_id, client_id, merged_at) VALUES ($1, $2, $3)"
        " ON CONFLICT (merged_client_id) DO NOTHING",
        merged,
        survivor,
        at,
    )
    await conn.execute(
        "UPDATE cases SET client_id = $1 WHERE client_id = $2 OR case_id = ANY($3::uuid[])",
        survivor,
        merged,
        list(case_ids),
    )


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


async def add_timeline(
    conn: Connection, event_id: UUID, case_id: UUID, kind: str, at: datetime, facts: dict[str, Any]
) -> None:
    await conn.execute(
        "INSERT INTO case_timeline (event_id, case_id, kind, at, facts)"
        " VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT (event_id) DO NOTHING",
        event_id,
        case_id,
        kind,
        at,
        json.dumps(facts, ensure_ascii=False, sort_keys=True),
    )


async def add_journal(
    conn: Connection,
    event_id: UUID,
    case_id: UUID,
    actor: str,
    *,
    reason: str | None = None,
    note: str | None = None,
    minutes: str | None = None,
    confidential: str | None = None,
) -> None:
    await conn.execute(
        """
        INSERT INTO journal (event_id, case_id, actor, reason, note, minutes, confidential)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        """,
        event_id,
        case_id,
        actor,
        reason,
        note,
        minutes,
        confidential,
    )


async def timeline(conn: Connection, case_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        """
        SELECT t.event_id, t.kind, t.at, t.facts, j.actor, j.reason, j.note, j.minutes,
               j.confidential
        FROM case_timeline t LEFT JOIN journal j USING (event_id)
        WHERE t.case_id = $1
        ORDER BY t.at, t.seq
        """,
        case_id,
    )


async def insert_session(
    conn: Connection,
    *,
    session_id: UUID,
    case_id: UUID,
    expert_id: UUID,
    held_on: date,
    mode: str,
    duration_minutes: int,
    next_action_on: date | None,
    recorded_at: datetime,
) -> None:
    await conn.execute(
        """
        INSERT INTO sessions (session_id, case_id, expert_id, track, held_on, mode,
                              duration_minutes, next_action_on, recorded_at)
        SELECT $1, $2, $3, track, $4, $5, $6, $7, $8 FROM cases WHERE case_id = $2
        ON CONFLICT (session_id) DO NOTHING
        """,
        session_id,
        case_id,
        expert_id,
        held_on,
        mode,
        duration_minutes,
        next_action_on,
        recorded_at,
    )
    await conn.execute(
        "UPDATE cases SET next_action_on = $2, updated_at = greatest(updated_at, $3)"
        " WHERE case_id = $1",
        case_id,
        next_action_on,
        recorded_at,
    )


async def upsert_referral(
    conn: Connection,
    *,
    referral_id: UUID,
    case_id: UUID,
    external_expert_id: UUID,
    status: str,
    visits: int,
    at: datetime,
) -> None:
    await conn.execute(
        """
        INSERT INTO referrals (referral_id, case_id, external_expert_id, track, status, visits,
                               requested_at, completed_at, updated_at)
        SELECT $1, $2, $3, track, $4::text, $5, $6::timestamptz,
               CASE WHEN $4::text = 'completed' THEN $6::timestamptz END, $6::timestamptz
        FROM cases WHERE case_id = $2
        ON CONFLICT (referral_id) DO UPDATE SET
            status = excluded.status,
            visits = excluded.visits,
            completed_at = coalesce(referrals.completed_at, excluded.completed_at),
            updated_at = excluded.updated_at
        """,
        referral_id,
        case_id,
        external_expert_id,
        status,
        visits,
        at,
    )


async def referral(conn: Connection, case_id: UUID, referral_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM referrals WHERE case_id = $1 AND referral_id = $2", case_id, referral_id
    )


async def referrals_of(conn: Connection, case_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        """
        SELECT r.*, x.name AS external_expert_name, x.organisation
        FROM referrals r LEFT JOIN external_experts x USING (external_expert_id)
        WHERE r.case_id = $1 ORDER BY r.requested_at
        """,
        case_id,
    )


async def insert_outcome(
    conn: Connection,
    *,
    outcome_id: UUID,
    case_id: UUID,
    type_: str,
    achieved_on: date,
    jobs: int | None,
    track: str,
    municipality: str,
    recorded_at: datetime,
) -> None:
    await conn.execute(
        """
        INSERT INTO outcomes (outcome_id, case_id, type, achieved_on, jobs, track, municipality,
                              recorded_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (outcome_id) DO NOTHING
        """,
        outcome_id,
        case_id,
        type_,
        achieved_on,
        jobs,
        track,
        municipality,
        recorded_at,
    )


async def sessions_of(conn: Connection, case_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT * FROM sessions WHERE case_id = $1 ORDER BY held_on, recorded_at", case_id
    )


async def outcomes_of(conn: Connection, case_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT * FROM outcomes WHERE case_id = $1 ORDER BY achieved_on, recorded_at", case_id
    )


async def list_cases(
    conn: Connection,
    *,
    readable_by: UUID | None,
    state: str | None,
    track: str | None,
    expert_id: UUID | None,
    municipality: str | None,
    limit: int,
    offset: int,
) -> list[asyncpg.Record]:
    """Cases newest first, filtered; ``readable_by`` limits them to an expert's current and
    former cases."""
    return await conn.fetch(
        """
        SELECT c.*, e.name AS expert_name,
               (c.expert_id IS NOT DISTINCT FROM $1) AS mine
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
        readable_by,
        state,
        track,
        expert_id,
        municipality,
        limit,
        offset,
    )


async def queue(conn: Connection) -> list[asyncpg.Record]:
    """Cases waiting for an expert, oldest first."""
    return await conn.fetch("SELECT * FROM cases WHERE state = 'open' ORDER BY opened_at, case_id")


async def left_case_at(conn: Connection, case_id: UUID, expert_id: UUID) -> datetime | None:
    """When an expert last handed the case on; None while they have it (or never had it)."""
    row = await conn.fetchrow(
        "SELECT bool_or(until IS NULL) AS current, max(until) AS left_at FROM case_experts"
        " WHERE case_id = $1 AND expert_id = $2",
        case_id,
        expert_id,
    )
    if row is None or row["current"] or row["left_at"] is None:
        return None
    left_at: datetime = row["left_at"]
    return left_at


async def has_had_case(conn: Connection, case_id: UUID, expert_id: UUID) -> bool:
    return bool(
        await conn.fetchval(
            "SELECT true FROM case_experts WHERE case_id = $1 AND expert_id = $2 LIMIT 1",
            case_id,
            expert_id,
        )
    )


# experts -------------------------------------------------------------------------------------


def _expert(row: asyncpg.Record) -> Expert:
    return Expert(
        expert_id=row["expert_id"],
        name=row["name"],
        track=Track(row["track"]),
        specialities=tuple(Category(s) for s in row["specialities"]),
        weekly_capacity=row["weekly_capacity"],
        active=row["active"],
    )


async def candidates(conn: Connection) -> list[Candidate]:
    """Active experts with their open load, for triage."""
    rows = await conn.fetch(
        """
        SELECT e.expert_id, e.track, e.specialities, e.weekly_capacity,
               count(c.case_id) FILTER (WHERE c.state = ANY($1::text[])) AS open_load
        FROM experts e LEFT JOIN cases c ON c.expert_id = e.expert_id
        WHERE e.active
        GROUP BY e.expert_id
        """,
        _OPEN_LOAD,
    )
    return [
        Candidate(
            expert_id=r["expert_id"],
            track=Track(r["track"]),
            specialities=frozenset(Category(s) for s in r["specialities"]),
            weekly_capacity=r["weekly_capacity"],
            open_load=r["open_load"],
        )
        for r in rows
    ]


async def expert(conn: Connection, expert_id: UUID) -> Expert | None:
    row = await conn.fetchrow("SELECT * FROM experts WHERE expert_id = $1", expert_id)
    return _expert(row) if row else None


async def expert_by_staff_key(conn: Connection, staff_key: str) -> Expert | None:
    """The active expert a handed-over case's old staff member is (lowest id if several)."""
    row = await conn.fetchrow(
        "SELECT * FROM experts WHERE staff_key = $1 AND active ORDER BY expert_id LIMIT 1",
        staff_key,
    )
    return _expert(row) if row else None


async def experts_with_load(conn: Connection) -> list[asyncpg.Record]:
    return await conn.fetch(
        """
        SELECT e.*, count(c.case_id) FILTER (WHERE c.state = ANY($1::text[])) AS open_load
        FROM experts e LEFT JOIN cases c ON c.expert_id = e.expert_id
        GROUP BY e.expert_id
        ORDER BY e.track, e.name, e.expert_id
        """,
        _OPEN_LOAD,
    )


async def insert_expert(
    conn: Connection,
    *,
    expert_id: UUID,
    name: str,
    staff_key: str,
    track: str,
    specialities: Sequence[str],
    weekly_capacity: int,
    actor: str,
) -> None:
    await conn.execute(
        """
        INSERT INTO experts (expert_id, name, staff_key, track, specialities, weekly_capacity,
                             created_by, updated_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
        """,
        expert_id,
        name,
        staff_key,
        track,
        list(specialities),
        weekly_capacity,
        actor,
    )


async def update_expert(
    conn: Connection, expert_id: UUID, changes: dict[str, Any], actor: str
) -> bool:
    allowed = {"track", "specialities", "weekly_capacity", "active"}
    assert set(changes) <= allowed
    sets = [f"{column} = ${i}" for i, column in enumerate(changes, start=3)]
    status = await conn.execute(
        f"UPDATE experts SET {', '.join([*sets, 'updated_at = now()', 'updated_by = $2'])}"
        " WHERE expert_id = $1",
        expert_id,
        actor,
        *changes.values(),
    )
    return status.endswith(" 1")


async def insert_external_expert(
    conn: Connection,
    *,
    external_expert_id: UUID,
    name: str,
    organisation: str,
    speciality: str,
    actor: str,
) -> None:
    await conn.execute(
        """
        INSERT INTO external_experts (external_expert_id, name, organisation, speciality,
                                      created_by, updated_by)
        VALUES ($1, $2, $3, $4, $5, $5)
        """,
        external_expert_id,
        name,
        organisation,
        speciality,
        actor,
    )


async def external_expert(conn: Connection, external_expert_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM external_experts WHERE external_expert_id = $1", external_expert_id
    )


async def external_experts(conn: Connection) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT * FROM external_experts ORDER BY speciality, name")


async def overdue_follow_ups(
    conn: Connection, today: date, expert_id: UUID | None
) -> list[asyncpg.Record]:
    return await conn.fetch(
        """
        SELECT c.case_id, c.expert_id, e.name AS expert_name, c.next_action_on, c.state,
               c.track, c.municipality, ($1::date - c.next_action_on) AS days_overdue
        FROM cases c JOIN experts e USING (expert_id)
        WHERE c.next_action_on < $1
          AND c.state = ANY($2::text[])
          AND ($3::uuid IS NULL OR c.expert_id = $3)
        ORDER BY e.name, c.next_action_on, c.case_id
        """,
        today,
        _OPEN_LOAD,
        expert_id,
    )


# reports and metrics ---------------------------------------------------------------------------


async def report_rows(conn: Connection) -> dict[str, list[asyncpg.Record]]:
    """Everything the KPI report counts, as rows."""
    return {
        "cases": await conn.fetch(
            "SELECT case_id, client_id, opened_at, origin, initial_track, municipality,"
            " categories FROM cases"
        ),
        "sessions": await conn.fetch("SELECT case_id, held_on, track FROM sessions"),
        "outcomes": await conn.fetch(
            "SELECT case_id, type, achieved_on, jobs, track FROM outcomes"
        ),
        "referrals": await conn.fetch(
            "SELECT case_id, requested_at, completed_at, status, track FROM referrals"
        ),
        "timeline": await conn.fetch(
            "SELECT case_id, kind, at, facts FROM case_timeline"
            " WHERE kind IN ('closed', 'transferred')"
        ),
    }


async def open_cases_by_track_and_state(conn: Connection) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT track, state, count(*) AS n FROM cases WHERE state <> 'closed'"
        " GROUP BY track, state"
    )


async def overdue_count(conn: Connection, today: date) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT track, count(*) AS n FROM cases"
        " WHERE next_action_on < $1 AND state = ANY($2::text[]) GROUP BY track",
        today,
        _OPEN_LOAD,
    )
