"""The SQL of hand-over imports: which old cases were imported already, and each import's run.

Every function takes the caller's connection; writes expect the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from tosei_common.catalogue.intake import LegacyStatus
from tosei_common.platform.db import Connection


async def lock_legacy_case(conn: Connection, fingerprint: str) -> None:
    """Serialise two imports of the same old case (two people importing one file at once)."""
    await conn.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
        f"tosei.intake.legacy:{fingerprint}",
    )


async def imported_as(conn: Connection, fingerprint: str) -> tuple[UUID, LegacyStatus] | None:
    """The consultation an old case was imported as, and the status it was imported with."""
    row = await conn.fetchrow(
        "SELECT id, legacy_status FROM consultations WHERE legacy_fingerprint = $1", fingerprint
    )
    return (row["id"], LegacyStatus(row["legacy_status"])) if row else None


async def record_status(conn: Connection, consultation_id: UUID, status: LegacyStatus) -> None:
    await conn.execute(
        "UPDATE consultations SET legacy_status = $2 WHERE id = $1", consultation_id, status.value
    )


async def insert_import(
    conn: Connection, import_id: UUID, files: list[str], actor: str, at: datetime
) -> None:
    """Record an import run (once, with the first row it writes)."""
    await conn.execute(
        "INSERT INTO legacy_imports (id, files, actor, started_at) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (id) DO NOTHING",
        import_id,
        files,
        actor,
        at,
    )
