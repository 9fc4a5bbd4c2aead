"""A seminar's history, read from the platform's audit trail (``audit_log``)."""

from __future__ import annotations

import json
from uuid import UUID

from tosei_common.platform.db import Connection
from tosei_seminar.domain.history import SEMINAR, Entry


async def of_seminar(conn: Connection, seminar_id: UUID) -> list[Entry]:
    rows = await conn.fetch(
        "SELECT at, actor, action, changes, reason FROM audit_log"
        " WHERE entity = $1 AND entity_id = $2 ORDER BY id",
        SEMINAR,
        str(seminar_id),
    )
    return [
        Entry(r["at"], r["actor"], r["action"], json.loads(r["changes"]), r["reason"]) for r in rows
    ]
