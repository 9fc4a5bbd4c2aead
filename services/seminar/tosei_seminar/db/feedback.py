"""The SQL of the feedback form's answers (free-text comments: personal data)."""

from __future__ import annotations

from uuid import UUID

from tosei_common.catalogue.seminar import AttendeeRole
from tosei_common.platform.db import Connection
from tosei_seminar.domain.attendance import Answer
from tosei_seminar.domain.reports import Feedback


async def insert(conn: Connection, answer: Answer) -> bool:
    """Store the answer; False when this registration answered already (a race of two)."""
    status: str = await conn.execute(
        """
        INSERT INTO feedback (registration_id, seminar_id, satisfaction, usefulness, comment,
                              submitted_at)
        VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (registration_id) DO NOTHING
        """,
        answer.registration_id,
        answer.seminar_id,
        answer.satisfaction,
        answer.usefulness,
        answer.comment,
        answer.submitted_at,
    )
    return status.endswith(" 1")


async def answered(conn: Connection, registration_id: UUID) -> bool:
    found = await conn.fetchval(
        "SELECT 1 FROM feedback WHERE registration_id = $1", registration_id
    )
    return found is not None


async def of_seminar(conn: Connection, seminar_id: UUID) -> list[Feedback]:
    rows = await conn.fetch(
        """
        SELECT r.role, r.municipality, f.satisfaction, f.usefulness, f.comment
        FROM feedback f JOIN registrations r ON r.id = f.registration_id
        WHERE f.seminar_id = $1 ORDER BY f.submitted_at
        """,
        seminar_id,
    )
    return [
        Feedback(
            AttendeeRole(r["role"]),
            r["municipality"],
            r["satisfaction"],
            r["usefulness"],
            r["comment"],
        )
        for r in rows
    ]
