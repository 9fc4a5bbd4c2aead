"""The SQL of consultations: storing one, reading them, and what lists, counts and exports cover.

Every function takes the caller's connection; writes expect the caller's transaction.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg

from tosei_common.catalogue.intake import BusinessStage, Category, Channel, LegacyStatus, Origin
from tosei_common.platform.db import Connection
from tosei_intake.domain.consultations import (
    AssignedExpert,
    Consultation,
    LegacyRecord,
    Registration,
)
from tosei_intake.domain.periods import ConsultationFilter
from tosei_intake.domain.reports import CountBy


async def insert(
    conn: Connection,
    registration: Registration,
    *,
    actor: str,
    at: datetime,
    import_id: UUID | None = None,
) -> None:
    new, legacy = registration.consultation, registration.consultation.legacy
    await conn.execute(
        """
        INSERT INTO consultations (
            id, client_id, registered_client_id, person_name, furigana, phone, email,
            business_name, stage, municipality, categories, channel, description,
            consent_to_share, consulted_at, origin, legacy_status, legacy_staff_name,
            legacy_categories, legacy_file, legacy_line, legacy_fingerprint, import_id,
            created_by, created_at)
        VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                $18, $19, $20, $21, $22, $23, $24)
        """,
        registration.consultation_id,
        registration.client_id,
        new.person.name,
        new.person.furigana,
        new.person.phone,
        new.person.email,
        new.business_name,
        new.stage.value,
        new.municipality,
        [c.value for c in new.categories],
        new.channel.value,
        new.description,
        new.consent_to_share,
        new.consulted_at,
        new.origin.value,
        legacy.status.value if legacy else None,
        legacy.staff_name if legacy else None,
        legacy.categories_as_written if legacy else None,
        legacy.file if legacy else None,
        legacy.line if legacy else None,
        legacy.fingerprint if legacy else None,
        import_id,
        actor,
        at,
    )


_COLUMNS = """
    s.id, s.client_id, s.registered_client_id, s.person_name, s.furigana, s.phone, s.email,
    s.business_name, s.stage, s.municipality, s.categories, s.channel, s.description,
    s.consent_to_share, s.consulted_at, s.origin, s.legacy_status, s.legacy_staff_name,
    s.legacy_categories, s.legacy_file, s.legacy_line, s.legacy_fingerprint, s.created_at,
    s.created_by, e.expert_id, e.track AS expert_track, e.since AS expert_since,
    ARRAY(SELECT h.expert_id FROM case_expert_history h WHERE h.case_id = s.id) AS experts_ever
"""
#: An expert's consultations: those whose case they have or had.
_HAD_BY = "EXISTS (SELECT 1 FROM case_expert_history h WHERE h.case_id = s.id AND h.expert_id = {})"
_FROM = "FROM consultations s LEFT JOIN case_experts e ON e.case_id = s.id"


def _consultation(row: asyncpg.Record) -> Consultation:
    legacy = None
    if row["legacy_status"] is not None:
        legacy = LegacyRecord(
            status=LegacyStatus(row["legacy_status"]),
            staff_name=row["legacy_staff_name"],
            categories_as_written=row["legacy_categories"],
            file=row["legacy_file"],
            line=row["legacy_line"],
            fingerprint=row["legacy_fingerprint"],
        )
    expert = None
    if row["expert_id"] is not None:
        expert = AssignedExpert(row["expert_id"], row["expert_track"], row["expert_since"])
    return Consultation(
        id=row["id"],
        client_id=row["client_id"],
        registered_client_id=row["registered_client_id"],
        person_name=row["person_name"],
        furigana=row["furigana"],
        phone=row["phone"],
        email=row["email"],
        business_name=row["business_name"],
        stage=BusinessStage(row["stage"]),
        municipality=row["municipality"],
        categories=tuple(Category(c) for c in row["categories"]),
        channel=Channel(row["channel"]),
        description=row["description"],
        consent_to_share=row["consent_to_share"],
        consulted_at=row["consulted_at"],
        origin=Origin(row["origin"]),
        legacy=legacy,
        expert=expert,
        experts_ever=frozenset(row["experts_ever"]),
        created_at=row["created_at"],
        created_by=row["created_by"],
    )


async def one(conn: Connection, consultation_id: UUID) -> Consultation | None:
    row = await conn.fetchrow(f"SELECT {_COLUMNS} {_FROM} WHERE s.id = $1", consultation_id)
    return _consultation(row) if row else None


async def of_client(
    conn: Connection, client_id: UUID, *, expert_id: UUID | None = None
) -> list[Consultation]:
    """A client's consultations, oldest first (only the expert's own cases, for an expert)."""
    rows = await conn.fetch(
        f"""
        SELECT {_COLUMNS} {_FROM}
        WHERE s.client_id = $1 AND ($2::uuid IS NULL OR {_HAD_BY.format("$2")})
        ORDER BY s.consulted_at, s.id
        """,
        client_id,
        expert_id,
    )
    return [_consultation(r) for r in rows]


def _where(covered: ConsultationFilter) -> tuple[str, list[Any]]:
    conditions = ["TRUE"]
    args: list[Any] = []

    def add(condition: str, value: Any) -> None:
        args.append(value)
        conditions.append(condition.replace("?", f"${len(args)}"))

    if covered.period.start is not None:
        add("s.consulted_at >= ?", covered.period.start)
    if covered.period.end is not None:
        add("s.consulted_at < ?", covered.period.end)
    if covered.municipality is not None:
        add("s.municipality = ?", covered.municipality)
    if covered.category is not None:
        add("? = ANY(s.categories)", covered.category.value)
    if covered.origin is not None:
        add("s.origin = ?", covered.origin.value)
    if covered.expert_id is not None:
        add(_HAD_BY.format("?"), covered.expert_id)
    return " AND ".join(conditions), args


async def listed(
    conn: Connection, covered: ConsultationFilter, *, limit: int | None, offset: int = 0
) -> list[Consultation]:
    """One page of the consultations ``covered``, newest first (all of them without a limit)."""
    condition, args = _where(covered)
    page = f" LIMIT ${len(args) + 1} OFFSET ${len(args) + 2}" if limit is not None else ""
    page_args = [limit, offset] if limit is not None else []
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} {_FROM} WHERE {condition} ORDER BY s.consulted_at DESC, s.id{page}",
        *args,
        *page_args,
    )
    return [_consultation(r) for r in rows]


async def count(conn: Connection, covered: ConsultationFilter) -> int:
    condition, args = _where(covered)
    total: int = await conn.fetchval(f"SELECT count(*) {_FROM} WHERE {condition}", *args)
    return total


_COUNTED_BY = {
    CountBy.DAY: ("(s.consulted_at AT TIME ZONE 'Asia/Tokyo')::date", ""),
    CountBy.MUNICIPALITY: ("s.municipality", ""),
    # a consultation with two categories counts in both rows
    CountBy.CATEGORY: ("c.category", "CROSS JOIN LATERAL unnest(s.categories) AS c(category)"),
}


async def count_by(conn: Connection, by: CountBy, covered: ConsultationFilter) -> dict[Any, int]:
    """The consultations ``covered``, counted per day (a date), municipality or category code."""
    key, join = _COUNTED_BY[by]
    condition, args = _where(covered)
    rows = await conn.fetch(
        f"SELECT {key} AS key, count(*) AS count {_FROM} {join} WHERE {condition} GROUP BY 1",
        *args,
    )
    return {r["key"]: r["count"] for r in rows}


async def per_origin(conn: Connection) -> dict[str, int]:
    """Consultations on file per origin (for the metrics)."""
    rows = await conn.fetch("SELECT origin, count(*) AS count FROM consultations GROUP BY origin")
    return {r["origin"]: r["count"] for r in rows}


async def locked(conn: Connection, consultation_id: UUID) -> Consultation | None:
    """The consultation, its row locked until the transaction ends."""
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS} {_FROM} WHERE s.id = $1 FOR UPDATE OF s", consultation_id
    )
    return _consultation(row) if row else None


async def record_consent(
    conn: Connection,
    consultation_id: UUID,
    *,
    consent: bool,
    given_on: date,
    note: str | None,
    actor: str,
    at: datetime,
) -> None:
    await conn.execute(
        "UPDATE consultations SET consent_to_share = $2 WHERE id = $1", consultation_id, consent
    )
    await conn.execute(
        """
        INSERT INTO consent_changes (consultation_id, consent_to_share, given_on, note,
                                     recorded_at, recorded_by)
        VALUES ($1, $2, $3, $4, $5, $6)
        """,
        consultation_id,
        consent,
        given_on,
        note,
        at,
        actor,
    )


async def save_correction(conn: Connection, corrected: Consultation) -> None:
    await conn.execute(
        """
        UPDATE consultations
        SET municipality = $2, categories = $3, stage = $4, channel = $5, description = $6,
            person_name = $7, furigana = $8, phone = $9, email = $10, business_name = $11
        WHERE id = $1
        """,
        corrected.id,
        corrected.municipality,
        [c.value for c in corrected.categories],
        corrected.stage.value,
        corrected.channel.value,
        corrected.description,
        corrected.person_name,
        corrected.furigana,
        corrected.phone,
        corrected.email,
        corrected.business_name,
    )
