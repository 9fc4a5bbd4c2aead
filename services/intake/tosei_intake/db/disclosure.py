"""The SQL of a disclosure's extras: consent changes and merges of one client's records."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from tosei_common.platform.db import Connection
from tosei_intake.domain.disclosure import ConsentRecord, MergeRecord


async def consent_changes(
    conn: Connection, consultation_ids: Sequence[UUID]
) -> list[ConsentRecord]:
    rows = await conn.fetch(
        """
        SELECT consultation_id, consent_to_share, given_on, note, recorded_at, recorded_by
        FROM consent_changes WHERE consultation_id = ANY($1::uuid[]) ORDER BY recorded_at
        """,
        list(consultation_ids),
    )
    return [
        ConsentRecord(
            consultation_id=r["consultation_id"],
            consent_to_share=r["consent_to_share"],
            given_on=r["given_on"],
            note=r["note"],
            recorded_at=r["recorded_at"],
            recorded_by=r["recorded_by"],
        )
        for r in rows
    ]


async def merges(conn: Connection, client_id: UUID) -> list[MergeRecord]:
    """Every merge into this client, or of it into another, undone ones too."""
    rows = await conn.fetch(
        """
        SELECT merged_client_id, client_id, merged_at, merged_by, undone_at, undone_by,
               undo_reason
        FROM client_merges WHERE client_id = $1 OR merged_client_id = $1 ORDER BY merged_at
        """,
        client_id,
    )
    return [
        MergeRecord(
            merged_client_id=r["merged_client_id"],
            client_id=r["client_id"],
            merged_at=r["merged_at"],
            merged_by=r["merged_by"],
            undone_at=r["undone_at"],
            undone_by=r["undone_by"],
            undo_reason=r["undo_reason"],
        )
        for r in rows
    ]
