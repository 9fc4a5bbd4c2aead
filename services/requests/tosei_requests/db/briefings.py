"""SQL of the yearly briefings (with their agenda and the request book's publication)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from tosei_common.platform.db import Connection
from tosei_requests.domain.briefing import Briefing

_COLUMNS = (
    "id, fiscal_year, starts_at, ends_at, place, attendees, prefectural_attendees, minutes,"
    " minutes_recorded_at, agenda, grouping, agenda_version, agenda_fixed_at,"
    " book_published_at, version"
)


def _briefing(row: Any) -> Briefing:
    data = dict(row)
    data["attendees"] = json.loads(row["attendees"])
    data["prefectural_attendees"] = json.loads(row["prefectural_attendees"])
    data["agenda"] = tuple(row["agenda"])
    return Briefing.model_validate(data)


async def get(conn: Connection, fiscal_year: int, *, for_update: bool = False) -> Briefing | None:
    lock = " FOR UPDATE" if for_update else ""
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM briefings WHERE fiscal_year = $1{lock}", fiscal_year
    )
    return None if row is None else _briefing(row)


async def listed(conn: Connection) -> list[Briefing]:
    rows = await conn.fetch(f"SELECT {_COLUMNS} FROM briefings ORDER BY fiscal_year")
    return [_briefing(r) for r in rows]


async def save(conn: Connection, briefing: Briefing, *, actor: str, at: datetime) -> None:
    """Insert a new briefing or write its new version (the caller holds the year's lock)."""
    dumped = briefing.model_dump(mode="json")
    await conn.execute(
        f"""
        INSERT INTO briefings ({_COLUMNS}, created_at, created_by, updated_at, updated_by)
        VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9, $10, $11, $12, $13, $14, $15,
                $16, $17, $16, $17)
        ON CONFLICT (id) DO UPDATE SET
            starts_at = excluded.starts_at, ends_at = excluded.ends_at, place = excluded.place,
            attendees = excluded.attendees,
            prefectural_attendees = excluded.prefectural_attendees,
            minutes = excluded.minutes, minutes_recorded_at = excluded.minutes_recorded_at,
            agenda = excluded.agenda, grouping = excluded.grouping,
            agenda_version = excluded.agenda_version, agenda_fixed_at = excluded.agenda_fixed_at,
            book_published_at = excluded.book_published_at, version = excluded.version,
            updated_at = excluded.updated_at, updated_by = excluded.updated_by
        """,
        briefing.id,
        briefing.fiscal_year,
        briefing.starts_at,
        briefing.ends_at,
        briefing.place,
        json.dumps(dumped["attendees"], ensure_ascii=False),
        json.dumps(dumped["prefectural_attendees"], ensure_ascii=False),
        briefing.minutes,
        briefing.minutes_recorded_at,
        list(briefing.agenda),
        briefing.grouping.value,
        briefing.agenda_version,
        briefing.agenda_fixed_at,
        briefing.book_published_at,
        briefing.version,
        at,
        actor,
    )


async def fixed_years(conn: Connection) -> set[int]:
    rows = await conn.fetch("SELECT fiscal_year FROM briefings WHERE agenda_fixed_at IS NOT NULL")
    return {r["fiscal_year"] for r in rows}
