"""Reading a service's own audit trail back (what a disclosure shows of a record's history)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from tosei_common.platform.db import Connection
from tosei_common.platform.disclosure import AuditRow

__all__ = ["audit_rows"]


async def audit_rows(
    conn: Connection, entity: str, entity_ids: Iterable[object], *, actions: Sequence[str] = ()
) -> list[AuditRow]:
    """The audit entries of the records ``entity_ids`` of one kind, oldest first (only
    ``actions``, when given)."""
    rows = await conn.fetch(
        """
        SELECT at, actor, entity, entity_id, action, reason, changes FROM audit_log
        WHERE entity = $1 AND entity_id = ANY($2::text[])
          AND action <> 'viewed'  -- reads of the record are no part of its history
          AND (cardinality($3::text[]) = 0 OR action = ANY($3::text[]))
        ORDER BY at, id
        """,
        entity,
        [str(i) for i in entity_ids],
        list(actions),
    )
    return [
        AuditRow(
            r["at"],
            r["actor"],
            r["entity"],
            r["entity_id"],
            r["action"],
            r["reason"],
            json.loads(r["changes"]),
        )
        for r in rows
    ]
