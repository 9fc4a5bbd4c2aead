"""The SQL of what a registrant's disclosure shows beside the registrations themselves."""

from __future__ import annotations

import json
from collections.abc import Sequence
from uuid import UUID

from tosei_common.platform.db import Connection
from tosei_common.platform.disclosure import AuditRow
from tosei_seminar.domain.disclosure import FeedbackGiven


async def place_names(conn: Connection, place_ids: Sequence[UUID]) -> dict[UUID, str]:
    rows = await conn.fetch(
        "SELECT id, name FROM places WHERE id = ANY($1::uuid[])", list(place_ids)
    )
    return {r["id"]: r["name"] for r in rows}


async def feedback_of(
    conn: Connection, registration_ids: Sequence[UUID]
) -> dict[UUID, FeedbackGiven]:
    rows = await conn.fetch(
        "SELECT registration_id, satisfaction, usefulness, comment, submitted_at FROM feedback"
        " WHERE registration_id = ANY($1::uuid[])",
        list(registration_ids),
    )
    return {
        r["registration_id"]: FeedbackGiven(
            r["satisfaction"], r["usefulness"], r["comment"], r["submitted_at"]
        )
        for r in rows
    }


async def history_of(conn: Connection, registration_ids: Sequence[UUID]) -> list[AuditRow]:
    """What was done to the registrations: the seminar's audit entries that name them
    (registered, checked in, cancelled, attendance corrected…) and their own (corrections)."""
    ids = [str(i) for i in registration_ids]
    rows = await conn.fetch(
        """
        SELECT at, actor, entity, entity_id, action, reason, changes, subject_id FROM audit_log
        WHERE action <> 'viewed'  -- reads of a registration are no part of its history
          AND ((entity = 'registration' AND entity_id = ANY($1::text[]))
               OR subject_id = ANY($1::text[]))
        ORDER BY at, id
        """,
        ids,
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
            r["subject_id"],
        )
        for r in rows
    ]
