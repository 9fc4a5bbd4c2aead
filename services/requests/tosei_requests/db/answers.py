"""SQL of the prefecture's answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from tosei_common.catalogue.requests import AnswerStatus
from tosei_common.platform.db import Connection
from tosei_requests.domain.answer import Answer

_COLUMNS = "item_id, received_on, text, department, status, version"


def _answer(row: Any) -> Answer:
    return Answer(
        item_id=row["item_id"],
        received_on=row["received_on"],
        text=row["text"],
        department=row["department"],
        status=AnswerStatus(row["status"]),
        version=row["version"],
    )


async def get(conn: Connection, item_id: UUID, *, for_update: bool = False) -> Answer | None:
    lock = " FOR UPDATE" if for_update else ""
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM answers WHERE item_id = $1{lock}", item_id)
    return None if row is None else _answer(row)


async def for_items(conn: Connection, ids: Sequence[UUID]) -> dict[UUID, Answer]:
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM answers WHERE item_id = ANY($1::uuid[])", list(ids)
    )
    return {row["item_id"]: _answer(row) for row in rows}


async def save(conn: Connection, answer: Answer, *, actor: str, at: datetime) -> None:
    await conn.execute(
        f"""
        INSERT INTO answers ({_COLUMNS}, recorded_at, recorded_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (item_id) DO UPDATE SET
            received_on = excluded.received_on, text = excluded.text,
            department = excluded.department, status = excluded.status,
            version = excluded.version, recorded_at = excluded.recorded_at,
            recorded_by = excluded.recorded_by
        """,
        answer.item_id,
        answer.received_on,
        answer.text,
        answer.department,
        answer.status.value,
        answer.version,
        at,
        actor,
    )
