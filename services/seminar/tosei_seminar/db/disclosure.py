"""The SQL of what a registrant's disclosure shows beside the registrations themselves."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from tosei_common.platform import audit_log
from tosei_common.platform.audit import AuditRow
from tosei_common.platform.db import Connection
from tosei_seminar.domain.disclosure import FeedbackGiven, MailToThem


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
    """What was done to the registrations: the seminar's audit entries about their registrants
    (registered, checked in, cancelled, attendance corrected…) and their own (corrections)."""
    return await audit_log.history(
        conn, "registration", registration_ids, subjects=registration_ids
    )


async def mails_of(
    conn: Connection, registration_ids: Sequence[UUID]
) -> dict[UUID, list[MailToThem]]:
    """The mails written to the registrants, oldest first (their text unless erased)."""
    rows = await conn.fetch(
        "SELECT about, kind, occurred_at, recipient, subject, body_text, sent_at, given_up_at,"
        " erased_at FROM mail_outbox WHERE about = ANY($1::uuid[]) ORDER BY seq",
        list(registration_ids),
    )
    found: dict[UUID, list[MailToThem]] = {}
    for r in rows:
        found.setdefault(r["about"], []).append(
            MailToThem(
                r["kind"],
                r["occurred_at"],
                r["recipient"],
                r["subject"],
                r["body_text"],
                r["sent_at"],
                r["given_up_at"],
                r["erased_at"],
            )
        )
    return found
