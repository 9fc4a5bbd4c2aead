"""The SQL of a seminar's speakers."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from tosei_common.platform.db import Connection
from tosei_seminar.domain.speakers import Speaker


async def of_seminar(conn: Connection, seminar_id: UUID) -> list[Speaker]:
    records = await conn.fetch(
        "SELECT id, name, affiliation, profession, keynote, fee, talk_title FROM speakers"
        " WHERE seminar_id = $1 ORDER BY keynote DESC, created_at",
        seminar_id,
    )
    return [
        Speaker(
            r["id"],
            r["name"],
            r["affiliation"],
            r["profession"],
            r["keynote"],
            r["fee"],
            r["talk_title"],
        )
        for r in records
    ]


async def get(conn: Connection, seminar_id: UUID, speaker_id: UUID) -> Speaker | None:
    return next((s for s in await of_seminar(conn, seminar_id) if s.id == speaker_id), None)


async def insert(
    conn: Connection, seminar_id: UUID, speaker: Speaker, actor: str, at: datetime
) -> None:
    await conn.execute(
        """
        INSERT INTO speakers (id, seminar_id, name, affiliation, profession, keynote, fee,
                              talk_title, created_by, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        """,
        speaker.id,
        seminar_id,
        speaker.name,
        speaker.affiliation,
        speaker.profession,
        speaker.keynote,
        speaker.fee,
        speaker.talk_title,
        actor,
        at,
    )


async def delete(conn: Connection, seminar_id: UUID, speaker_id: UUID) -> None:
    await conn.execute(
        "DELETE FROM speakers WHERE id = $1 AND seminar_id = $2", speaker_id, seminar_id
    )
