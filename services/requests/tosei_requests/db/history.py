"""The history of a record: its audit entries (who, when, why, the field diff), oldest first."""

from __future__ import annotations

import json
from collections.abc import Sequence

from tosei_common.platform.db import Connection
from tosei_requests.domain.revisions import HistoryEntry


async def of(conn: Connection, entities: Sequence[tuple[str, str]]) -> list[HistoryEntry]:
    """The entries of the given (entity, id) pairs, in the order they were recorded."""
    rows = await conn.fetch(
        """
        SELECT at, actor, entity, action, reason, changes::text AS changes FROM audit_log
         WHERE (entity, entity_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
         ORDER BY id
        """,
        [e for e, _ in entities],
        [i for _, i in entities],
    )
    return [
        HistoryEntry(
            r["at"], r["actor"], r["entity"], r["action"], r["reason"], json.loads(r["changes"])
        )
        for r in rows
    ]
