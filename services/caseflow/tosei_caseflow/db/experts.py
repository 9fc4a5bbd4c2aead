"""The SQL of the registries: the desk's experts (with their open load) and external experts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from tosei_caseflow.db.cases import OPEN_LOAD_STATES
from tosei_caseflow.domain.experts import Expert, ExternalExpert
from tosei_caseflow.domain.triage import Candidate
from tosei_caseflow.domain.views import ExpertLoad
from tosei_common.catalogue.caseflow import Track
from tosei_common.catalogue.intake import Category
from tosei_common.platform.db import Connection

_CHANGEABLE = frozenset({"track", "specialities", "weekly_capacity", "active"})


def _expert(row: asyncpg.Record) -> Expert:
    return Expert(
        expert_id=row["expert_id"],
        name=row["name"],
        track=Track(row["track"]),
        specialities=tuple(Category(s) for s in row["specialities"]),
        weekly_capacity=row["weekly_capacity"],
        active=row["active"],
    )


def _external(row: asyncpg.Record) -> ExternalExpert:
    return ExternalExpert(
        external_expert_id=row["external_expert_id"],
        name=row["name"],
        organisation=row["organisation"],
        speciality=Category(row["speciality"]),
        active=row["active"],
    )


async def candidates(conn: Connection) -> list[Candidate]:
    """Active experts with their open load, for triage."""
    return [
        Candidate(
            expert_id=e.expert.expert_id,
            name=e.expert.name,
            track=e.expert.track,
            specialities=frozenset(e.expert.specialities),
            weekly_capacity=e.expert.weekly_capacity,
            open_load=e.open_load,
        )
        for e in await with_load(conn)
        if e.expert.active
    ]


async def get(conn: Connection, expert_id: UUID) -> Expert | None:
    row = await conn.fetchrow("SELECT * FROM experts WHERE expert_id = $1", expert_id)
    return _expert(row) if row else None


async def by_staff_key(conn: Connection, staff_key: str) -> Expert | None:
    """The active expert a handed-over case's old staff member is (lowest id if several)."""
    row = await conn.fetchrow(
        "SELECT * FROM experts WHERE staff_key = $1 AND active ORDER BY expert_id LIMIT 1",
        staff_key,
    )
    return _expert(row) if row else None


async def with_load(conn: Connection) -> list[ExpertLoad]:
    """Every expert, by track and name, with their open load."""
    rows = await conn.fetch(
        """
        SELECT e.*, count(c.case_id) FILTER (WHERE c.state = ANY($1::text[])) AS open_load
        FROM experts e LEFT JOIN cases c ON c.expert_id = e.expert_id
        GROUP BY e.expert_id
        ORDER BY e.track, e.name, e.expert_id
        """,
        OPEN_LOAD_STATES,
    )
    return [ExpertLoad(_expert(r), r["open_load"]) for r in rows]


async def names(conn: Connection) -> dict[UUID, str]:
    """Every expert's name by id (a case page names everyone who worked on it)."""
    rows = await conn.fetch("SELECT expert_id, name FROM experts ORDER BY track, name, expert_id")
    return {r["expert_id"]: r["name"] for r in rows}


async def insert(
    conn: Connection,
    *,
    expert_id: UUID,
    name: str,
    staff_key: str,
    track: str,
    specialities: Sequence[str],
    weekly_capacity: int,
    actor: str,
    at: datetime,
) -> None:
    await conn.execute(
        """
        INSERT INTO experts (expert_id, name, staff_key, track, specialities, weekly_capacity,
                             created_at, created_by, updated_at, updated_by)
        VALUES ($1, $2, $3, $4, $5, $6, $8, $7, $8, $7)
        """,
        expert_id,
        name,
        staff_key,
        track,
        list(specialities),
        weekly_capacity,
        actor,
        at,
    )


async def update(
    conn: Connection, expert_id: UUID, changes: dict[str, Any], actor: str, at: datetime
) -> bool:
    """Change some of an expert's details; False when there is no such expert."""
    assert set(changes) <= _CHANGEABLE
    sets = [f"{column} = ${i}" for i, column in enumerate(changes, start=4)]
    status = await conn.execute(
        f"UPDATE experts SET {', '.join([*sets, 'updated_at = $3', 'updated_by = $2'])}"
        " WHERE expert_id = $1",
        expert_id,
        actor,
        at,
        *changes.values(),
    )
    return status.endswith(" 1")


async def insert_external(
    conn: Connection,
    *,
    external_expert_id: UUID,
    name: str,
    organisation: str,
    speciality: str,
    actor: str,
    at: datetime,
) -> None:
    await conn.execute(
        """
        INSERT INTO external_experts (external_expert_id, name, organisation, speciality,
                                      created_at, created_by, updated_at, updated_by)
        VALUES ($1, $2, $3, $4, $6, $5, $6, $5)
        """,
        external_expert_id,
        name,
        organisation,
        speciality,
        actor,
        at,
    )


async def external(conn: Connection, external_expert_id: UUID) -> ExternalExpert | None:
    row = await conn.fetchrow(
        "SELECT * FROM external_experts WHERE external_expert_id = $1", external_expert_id
    )
    return _external(row) if row else None


async def externals(conn: Connection) -> list[ExternalExpert]:
    rows = await conn.fetch("SELECT * FROM external_experts ORDER BY speciality, name")
    return [_external(r) for r in rows]
