"""All SQL of the intake service. Every function takes the caller's connection; writes expect the
caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from tosei_common.catalogue.intake import Category, Origin
from tosei_common.platform.db import Connection
from tosei_intake.domain.clients import ClientState, Key, KnownClient, rows_to_known
from tosei_intake.domain.consultations import NewConsultation

Row = asyncpg.Record

# locks ---------------------------------------------------------------------------------------


async def lock_name(conn: Connection, name_key: str) -> None:
    """Serialise registrations of one name, so two desks typing in the same new person at the
    same moment make one client, not two. Released at commit."""
    await conn.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", f"tosei.intake.name:{name_key}"
    )


async def lock_names_of(conn: Connection, client_ids: Sequence[UUID]) -> None:
    """Take the registration locks of every name the clients go by (in one order), so a merge
    and a registration of one of those names never interleave: the registration would look for
    matches in a snapshot from before the merge and create a duplicate of the survivor."""
    rows = await conn.fetch(
        "SELECT DISTINCT key FROM client_keys WHERE client_id = ANY($1::uuid[]) AND kind = 'name'"
        " ORDER BY key",
        list(client_ids),
    )
    for row in rows:
        await lock_name(conn, row["key"])


async def lock_legacy_case(conn: Connection, fingerprint: str) -> None:
    """Serialise two imports of the same old case (two people importing one file at once)."""
    await conn.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
        f"tosei.intake.legacy:{fingerprint}",
    )


# clients ---------------------------------------------------------------------------------------


async def clients_sharing_keys(
    conn: Connection, keys: Sequence[Key], *, lock: bool = True
) -> list[KnownClient]:
    """Live (unmerged) clients sharing any of ``keys``, with all their keys. ``lock`` locks
    them (in id order), so a merge running at the same time either finishes first or waits."""
    ids = await conn.fetch(
        """
        SELECT c.id FROM clients c
        WHERE c.merged_into IS NULL
          AND c.id IN (SELECT k.client_id FROM client_keys k
                       JOIN unnest($1::text[], $2::text[]) AS w(kind, key)
                         ON k.kind = w.kind AND k.key = w.key)
        ORDER BY c.id
        """
        + (" FOR UPDATE" if lock else ""),
        [k.kind.value for k in keys],
        [k.key for k in keys],
    )
    return await known_clients(conn, [r["id"] for r in ids])


async def known_clients(conn: Connection, ids: Sequence[UUID]) -> list[KnownClient]:
    rows = await conn.fetch(
        """
        SELECT c.id, c.created_at, k.kind, k.key
        FROM clients c JOIN client_keys k ON k.client_id = c.id
        WHERE c.id = ANY($1::uuid[])
        """,
        list(ids),
    )
    return rows_to_known([(r["id"], r["created_at"], r["kind"], r["key"]) for r in rows])


async def insert_client(
    conn: Connection, client_id: UUID, name: str, furigana: str | None, actor: str, at: datetime
) -> None:
    await conn.execute(
        "INSERT INTO clients (id, name, furigana, created_by, created_at)"
        " VALUES ($1, $2, $3, $4, $5)",
        client_id,
        name,
        furigana,
        actor,
        at,
    )


async def add_keys(
    conn: Connection, client_id: UUID, keys: Sequence[Key], actor: str, at: datetime
) -> None:
    await conn.execute(
        """
        INSERT INTO client_keys (client_id, kind, key, shown, added_by, added_at)
        SELECT $1, w.kind, w.key, w.shown, $5, $6
        FROM unnest($2::text[], $3::text[], $4::text[]) AS w(kind, key, shown)
        ON CONFLICT DO NOTHING
        """,
        client_id,
        [k.kind.value for k in keys],
        [k.key for k in keys],
        [k.shown for k in keys],
        actor,
        at,
    )


async def fill_furigana(conn: Connection, client_id: UUID, furigana: str) -> None:
    """A client first registered without furigana gets the first furigana given later."""
    await conn.execute(
        "UPDATE clients SET furigana = $2 WHERE id = $1 AND furigana IS NULL", client_id, furigana
    )


async def client(conn: Connection, client_id: UUID) -> Row | None:
    return await conn.fetchrow(
        """
        SELECT id, name, furigana, created_at, created_by, merged_into, merged_at, merged_by
        FROM clients WHERE id = $1
        """,
        client_id,
    )


async def client_keys(conn: Connection, client_id: UUID) -> list[Row]:
    return await conn.fetch(
        "SELECT kind, key, shown FROM client_keys WHERE client_id = $1 ORDER BY added_at, key",
        client_id,
    )


async def merged_into_client(conn: Connection, client_id: UUID) -> list[UUID]:
    """The duplicates merged into this client."""
    rows = await conn.fetch(
        "SELECT merged_client_id FROM client_merges WHERE client_id = $1 ORDER BY merged_at",
        client_id,
    )
    return [r["merged_client_id"] for r in rows]


async def client_state_for_update(conn: Connection, client_id: UUID) -> ClientState | None:
    row = await conn.fetchrow(
        "SELECT id, merged_into FROM clients WHERE id = $1 FOR UPDATE", client_id
    )
    return ClientState(row["id"], row["merged_into"]) if row else None


async def merge_clients(
    conn: Connection, survivor: UUID, duplicate: UUID, actor: str, at: datetime
) -> list[UUID]:
    """Move the duplicate's consultations and keys to the survivor; return the moved ids."""
    moved = await conn.fetch(
        "UPDATE consultations SET client_id = $1 WHERE client_id = $2 RETURNING id",
        survivor,
        duplicate,
    )
    moved_ids = sorted((r["id"] for r in moved), key=str)
    await conn.execute(
        """
        INSERT INTO client_keys (client_id, kind, key, shown, added_at, added_by)
        SELECT $1, kind, key, shown, $3, $4 FROM client_keys WHERE client_id = $2
        ON CONFLICT DO NOTHING
        """,
        survivor,
        duplicate,
        at,
        actor,
    )
    await conn.execute(
        "UPDATE clients SET merged_into = $1, merged_at = $3, merged_by = $4 WHERE id = $2",
        survivor,
        duplicate,
        at,
        actor,
    )
    await conn.execute(
        "UPDATE clients SET furigana = d.furigana FROM clients d"
        " WHERE clients.id = $1 AND d.id = $2 AND clients.furigana IS NULL",
        survivor,
        duplicate,
    )
    await conn.execute(
        """
        INSERT INTO client_merges (merged_client_id, client_id, consultation_ids, merged_at,
                                   merged_by)
        VALUES ($2, $1, $3, $4, $5)
        """,
        survivor,
        duplicate,
        moved_ids,
        at,
        actor,
    )
    return moved_ids


async def search_clients(
    conn: Connection, *, name_part: str | None, phone_part: str | None, limit: int
) -> list[Row]:
    """Live clients whose name key contains ``name_part`` or whose phone key contains
    ``phone_part``, the most recently consulted first."""
    return await conn.fetch(
        """
        SELECT c.id, c.name, c.furigana,
               count(s.id) AS consultations, max(s.consulted_at) AS last_consulted_at
        FROM clients c
        LEFT JOIN consultations s ON s.client_id = c.id
        WHERE c.merged_into IS NULL
          AND c.id IN (
              SELECT client_id FROM client_keys
              WHERE ($1::text IS NOT NULL AND kind = 'name' AND strpos(key, $1) > 0)
                 OR ($2::text IS NOT NULL AND kind = 'phone' AND strpos(key, $2) > 0))
        GROUP BY c.id
        ORDER BY max(s.consulted_at) DESC NULLS LAST, c.created_at DESC
        LIMIT $3
        """,
        name_part,
        phone_part,
        limit,
    )


async def clients_sharing_keys_with(conn: Connection, client_id: UUID) -> list[KnownClient]:
    """Other live clients that share a name, phone or e-mail key with this one."""
    rows = await conn.fetch(
        """
        SELECT DISTINCT other.client_id
        FROM client_keys mine
        JOIN client_keys other ON other.kind = mine.kind AND other.key = mine.key
        JOIN clients c ON c.id = other.client_id
        WHERE mine.client_id = $1 AND other.client_id <> $1 AND c.merged_into IS NULL
        """,
        client_id,
    )
    return await known_clients(conn, [r["client_id"] for r in rows])


async def client_summaries(conn: Connection, ids: Sequence[UUID]) -> list[Row]:
    return await conn.fetch(
        """
        SELECT c.id, c.name, c.furigana,
               count(s.id) AS consultations, max(s.consulted_at) AS last_consulted_at
        FROM clients c LEFT JOIN consultations s ON s.client_id = c.id
        WHERE c.id = ANY($1::uuid[])
        GROUP BY c.id
        ORDER BY c.created_at
        """,
        list(ids),
    )


# consultations -------------------------------------------------------------------------------


async def insert_consultation(
    conn: Connection,
    consultation_id: UUID,
    client_id: UUID,
    new: NewConsultation,
    actor: str,
    at: datetime,
    import_id: UUID | None = None,
) -> None:
    legacy = new.legacy
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
        consultation_id,
        client_id,
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


async def legacy_case(conn: Connection, fingerprint: str) -> UUID | None:
    """The consultation an old case was imported as, if it was."""
    found: UUID | None = await conn.fetchval(
        "SELECT id FROM consultations WHERE legacy_fingerprint = $1", fingerprint
    )
    return found


async def insert_import(
    conn: Connection, import_id: UUID, files: list[str], actor: str, at: datetime
) -> None:
    await conn.execute(
        "INSERT INTO legacy_imports (id, files, actor, started_at) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (id) DO NOTHING",
        import_id,
        files,
        actor,
        at,
    )


_CONSULTATION_COLUMNS = """
    s.id, s.client_id, s.registered_client_id, s.person_name, s.furigana, s.phone, s.email,
    s.business_name, s.stage, s.municipality, s.categories, s.channel, s.description,
    s.consent_to_share, s.consulted_at, s.origin, s.legacy_status, s.legacy_staff_name,
    s.legacy_categories, s.legacy_file, s.legacy_line, s.import_id, s.created_at, s.created_by,
    e.expert_id, e.track AS expert_track, e.since AS expert_since
"""


async def consultation(conn: Connection, consultation_id: UUID) -> Row | None:
    return await conn.fetchrow(
        f"""
        SELECT {_CONSULTATION_COLUMNS}
        FROM consultations s LEFT JOIN case_experts e ON e.case_id = s.id
        WHERE s.id = $1
        """,
        consultation_id,
    )


async def client_consultations(
    conn: Connection, client_id: UUID, *, expert_id: UUID | None = None
) -> list[Row]:
    """A client's consultations, oldest first (only the expert's own cases, for an expert)."""
    return await conn.fetch(
        f"""
        SELECT {_CONSULTATION_COLUMNS}
        FROM consultations s LEFT JOIN case_experts e ON e.case_id = s.id
        WHERE s.client_id = $1 AND ($2::uuid IS NULL OR e.expert_id = $2)
        ORDER BY s.consulted_at, s.id
        """,
        client_id,
        expert_id,
    )


@dataclass(frozen=True)
class ConsultationFilter:
    """Which consultations a list, a count or an export covers."""

    start: datetime | None = None  # inclusive
    end: datetime | None = None  # exclusive
    municipality: str | None = None
    category: Category | None = None
    origin: Origin | None = None
    expert_id: UUID | None = None  # only this expert's cases

    def where(self) -> tuple[str, list[Any]]:
        conditions = ["TRUE"]
        args: list[Any] = []

        def add(condition: str, value: Any) -> None:
            args.append(value)
            conditions.append(condition.replace("?", f"${len(args)}"))

        if self.start is not None:
            add("s.consulted_at >= ?", self.start)
        if self.end is not None:
            add("s.consulted_at < ?", self.end)
        if self.municipality is not None:
            add("s.municipality = ?", self.municipality)
        if self.category is not None:
            add("? = ANY(s.categories)", self.category.value)
        if self.origin is not None:
            add("s.origin = ?", self.origin.value)
        if self.expert_id is not None:
            add("e.expert_id = ?", self.expert_id)
        return " AND ".join(conditions), args


async def list_consultations(
    conn: Connection, where: ConsultationFilter, *, limit: int | None, offset: int = 0
) -> tuple[int, list[Row]]:
    """The total matching ``where`` and one page of them, newest first."""
    condition, args = where.where()
    base = f"FROM consultations s LEFT JOIN case_experts e ON e.case_id = s.id WHERE {condition}"
    total = await count_consultations(conn, where)
    page = f" LIMIT ${len(args) + 1} OFFSET ${len(args) + 2}" if limit is not None else ""
    page_args = [limit, offset] if limit is not None else []
    rows = await conn.fetch(
        f"SELECT {_CONSULTATION_COLUMNS} {base} ORDER BY s.consulted_at DESC, s.id{page}",
        *args,
        *page_args,
    )
    return total, rows


async def count_consultations(conn: Connection, where: ConsultationFilter) -> int:
    condition, args = where.where()
    total: int = await conn.fetchval(
        "SELECT count(*) FROM consultations s LEFT JOIN case_experts e ON e.case_id = s.id"
        f" WHERE {condition}",
        *args,
    )
    return total


async def count_by_day(conn: Connection, where: ConsultationFilter) -> list[Row]:
    condition, args = where.where()
    return await conn.fetch(
        f"""
        SELECT (s.consulted_at AT TIME ZONE 'Asia/Tokyo')::date AS key, count(*) AS count
        FROM consultations s LEFT JOIN case_experts e ON e.case_id = s.id
        WHERE {condition} GROUP BY 1 ORDER BY 1
        """,
        *args,
    )


async def count_by_municipality(conn: Connection, where: ConsultationFilter) -> list[Row]:
    condition, args = where.where()
    return await conn.fetch(
        f"""
        SELECT s.municipality AS key, count(*) AS count
        FROM consultations s LEFT JOIN case_experts e ON e.case_id = s.id
        WHERE {condition} GROUP BY 1
        """,
        *args,
    )


async def count_by_category(conn: Connection, where: ConsultationFilter) -> list[Row]:
    condition, args = where.where()
    return await conn.fetch(
        f"""
        SELECT c.category AS key, count(*) AS count
        FROM consultations s LEFT JOIN case_experts e ON e.case_id = s.id
        CROSS JOIN LATERAL unnest(s.categories) AS c(category)
        WHERE {condition} GROUP BY 1
        """,
        *args,
    )


async def totals(conn: Connection) -> tuple[list[Row], int]:
    """Consultations per origin, and live clients (for the metrics)."""
    per_origin = await conn.fetch(
        "SELECT origin, count(*) AS count FROM consultations GROUP BY origin"
    )
    clients: int = await conn.fetchval("SELECT count(*) FROM clients WHERE merged_into IS NULL")
    return per_origin, clients


# experts on cases (caseflow's word) ------------------------------------------------------------


async def assign_expert(
    conn: Connection, case_id: UUID, expert_id: UUID, track: str, since: datetime, event_id: UUID
) -> None:
    """Record who is on the case since when. An older event arriving late (a replay of a
    reordered topic) does not undo a newer one."""
    await conn.execute(
        """
        INSERT INTO case_experts (case_id, expert_id, track, since, event_id)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (case_id) DO UPDATE
            SET expert_id = EXCLUDED.expert_id, track = EXCLUDED.track,
                since = EXCLUDED.since, event_id = EXCLUDED.event_id
            WHERE case_experts.since <= EXCLUDED.since
        """,
        case_id,
        expert_id,
        track,
        since,
        event_id,
    )
