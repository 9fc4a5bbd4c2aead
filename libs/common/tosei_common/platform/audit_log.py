"""The SQL of the audit trail (``audit_log``, platform migrations 0004 and 0005): writing
changes and reads, and the auditors' query. The shapes are in ``audit``."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from tosei_common.platform.audit import VIEWED, AuditFilter, AuditRow, Viewed
from tosei_common.platform.db import Connection

__all__ = ["history", "insert_entry", "record_views", "search"]


def _json(value: Mapping[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _text(value: str | UUID | None) -> str | None:
    return None if value is None else str(value)


async def insert_entry(
    conn: Connection,
    *,
    at: datetime,
    actor: str,
    entity: str,
    entity_id: str | UUID,
    action: str,
    changes: Mapping[str, Any],
    reason: str | None = None,
    subject: str | UUID | None = None,
) -> None:
    """Write one entry as given (``UnitOfWork.audit`` shapes a change's fields first)."""
    await conn.execute(
        "INSERT INTO audit_log (at, actor, entity, entity_id, action, reason, changes, subject_id)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)",
        at,
        actor,
        entity,
        str(entity_id),
        action,
        reason,
        _json(changes),
        _text(subject),
    )


async def record_views(
    conn: Connection, *, at: datetime, actor: str, viewed: Sequence[Viewed]
) -> int:
    """Record that ``actor`` was shown each of ``viewed`` (one entry per record, written with
    one statement).

    A list is recorded as one entry per record it showed, not one entry listing the ids: the
    question an auditor is asked is "who has seen this person's record", and that must be one
    index lookup on ``subject_id`` however the record was reached (its page, a search, a list,
    a CSV). The volume is bounded by what a screen or an export shows (a search returns at most
    200 people, the desk registers about a thousand consultations a year), so even an export of
    the whole year adds rows in the thousands, which Postgres indexes without effort; an entry
    holding the ids would make every per-person question a scan of every list ever shown.
    """
    if not viewed:
        return 0
    await conn.execute(
        """
        INSERT INTO audit_log (at, actor, entity, entity_id, action, changes, subject_id)
        SELECT $1, $2, v.entity, v.entity_id, $3, v.changes::jsonb, v.subject_id
          FROM unnest($4::text[], $5::text[], $6::text[], $7::text[])
               AS v(entity, entity_id, changes, subject_id)
        """,
        at,
        actor,
        VIEWED,
        [v.entity for v in viewed],
        [str(v.entity_id) for v in viewed],
        [_json({"part": v.part} if v.part else {}) for v in viewed],
        [_text(v.subject) for v in viewed],
    )
    return len(viewed)


def _where(f: AuditFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    for column, value in (
        ("subject_id =", f.subject),
        ("actor =", f.actor),
        ("entity =", f.entity),
        ("at >=", f.start),
        ("at <", f.end),
    ):
        if value is not None:
            args.append(value)
            clauses.append(f"{column} ${len(args)}")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


async def search(
    conn: Connection, f: AuditFilter, *, limit: int | None, offset: int = 0
) -> tuple[int, list[AuditRow]]:
    """The entries ``f`` selects, newest first, and how many there are in all."""
    where, args = _where(f)
    total = await conn.fetchval(f"SELECT count(*) FROM audit_log{where}", *args)
    paging = ""
    if limit is not None:
        args += [limit, offset]
        paging = f" LIMIT ${len(args) - 1} OFFSET ${len(args)}"
    rows = await conn.fetch(
        "SELECT id, at, actor, entity, entity_id, subject_id, action, reason, changes::text"
        f" AS changes FROM audit_log{where} ORDER BY at DESC, id DESC{paging}",
        *args,
    )
    return int(total), [_row(r) for r in rows]


async def history(
    conn: Connection,
    entity: str,
    entity_ids: Sequence[object],
    *,
    subjects: Sequence[object] = (),
) -> list[AuditRow]:
    """What was done to the records ``entity_ids`` of one kind, and to anything about the
    people ``subjects``, oldest first: what a disclosure shows of a record's history. Reads of
    the records (``viewed``) are no part of it."""
    rows = await conn.fetch(
        "SELECT id, at, actor, entity, entity_id, subject_id, action, reason, changes::text"
        " AS changes FROM audit_log"
        " WHERE action <> $1"
        "   AND ((entity = $2 AND entity_id = ANY($3::text[])) OR subject_id = ANY($4::text[]))"
        " ORDER BY at, id",
        VIEWED,
        entity,
        [str(i) for i in entity_ids],
        [str(i) for i in subjects],
    )
    return [_row(r) for r in rows]


def _row(r: Any) -> AuditRow:
    return AuditRow(
        id=r["id"],
        at=r["at"],
        actor=r["actor"],
        entity=r["entity"],
        entity_id=r["entity_id"],
        subject_id=r["subject_id"],
        action=r["action"],
        reason=r["reason"],
        changes=json.loads(r["changes"]),
    )
