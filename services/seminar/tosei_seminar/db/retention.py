"""The SQL of erasing registrants' contacts past their period."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from tosei_common.platform.db import Connection
from tosei_common.platform.retention import japan_day
from tosei_seminar.domain.retention import OVER, SeminarContacts


async def seminars_with_contacts(conn: Connection) -> list[SeminarContacts]:
    """Seminars that are over and still hold some registrant's e-mail or phone."""
    rows = await conn.fetch(
        """
        SELECT s.id, s.state, s.starts_at, count(*) AS n
          FROM seminars s JOIN registrations r ON r.seminar_id = s.id
         WHERE s.state = ANY($1::text[]) AND r.contacts_erased_at IS NULL
         GROUP BY s.id ORDER BY s.starts_at NULLS LAST, s.id
        """,
        sorted(OVER),
    )
    return [
        SeminarContacts(
            seminar_id=r["id"],
            state=r["state"],
            held_on=japan_day(r["starts_at"]) if r["starts_at"] is not None else None,
            with_contacts=r["n"],
        )
        for r in rows
    ]


async def contacts_of(conn: Connection, seminar_id: UUID) -> tuple[list[str], list[str | None]]:
    """(registration ids, every contact value) of the seminar's registrations still holding
    contacts; the rows are locked."""
    rows = await conn.fetch(
        """
        SELECT id, email, email_key, phone, phone_key FROM registrations
         WHERE seminar_id = $1 AND contacts_erased_at IS NULL FOR UPDATE
        """,
        seminar_id,
    )
    ids = [str(r["id"]) for r in rows]
    values = [r[c] for r in rows for c in ("email", "email_key", "phone", "phone_key")]
    return ids, values


async def erase_contacts(conn: Connection, seminar_id: UUID, at: datetime) -> int:
    status: str = await conn.execute(
        """
        UPDATE registrations
           SET email = NULL, email_key = NULL, phone = NULL, phone_key = NULL,
               contacts_erased_at = $2
         WHERE seminar_id = $1 AND contacts_erased_at IS NULL
        """,
        seminar_id,
        at,
    )
    return int(status.rsplit(" ", 1)[-1])


async def erase_mails(conn: Connection, seminar_id: UUID, at: datetime) -> int:
    """Erase the addresses and bodies of every mail to the seminar's registrants (sent, waiting
    or given up: none is sent afterwards); what was sent when stays."""
    status: str = await conn.execute(
        """
        UPDATE mail_outbox m
           SET recipient = NULL, subject = NULL, body_text = NULL, body_html = NULL,
               last_error = NULL, image_cids = '{}', image_pngs = '{}', erased_at = $2
          FROM registrations r
         WHERE m.about = r.id AND r.seminar_id = $1 AND m.erased_at IS NULL
        """,
        seminar_id,
        at,
    )
    return int(status.rsplit(" ", 1)[-1])
