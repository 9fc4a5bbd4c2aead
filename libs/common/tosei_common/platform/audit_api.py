"""``GET /audit-log`` and ``GET /audit-log.csv``: the auditors' view of a service's audit trail,
the same in every service (``build_app`` mounts it; each service says who may read it).

Per person (``subject``: a client id, a registration id, an account id), per member of staff
(``actor``: ``role:subject``), per kind of record (``entity``) and per period (``from``/``to``,
days in Japan as typed), newest first. Reading the trail is itself recorded: one entry with
the filter asked for, about the person asked about when there is one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from tosei_common.platform.audit import (
    ACTION_NAMES,
    ENTITY_NAMES,
    VIEWED,
    AuditFilter,
    AuditRow,
    audit_filter,
    field_changes,
)
from tosei_common.platform.audit_log import insert_entry, search
from tosei_common.platform.auth import current_principal
from tosei_common.platform.downloads import csv_download
from tosei_common.platform.principal import Principal, Role, ensure_role
from tosei_common.platform.service import Runtime
from tosei_common.region.fiscal import TOKYO, japanese_date

__all__ = [
    "ACTION_NAMES",
    "CSV_HEADER",
    "ENTITY_NAMES",
    "AuditEntryOut",
    "AuditPageOut",
    "ViewedOut",
    "audit_log_router",
    "csv_row",
]

#: The most entries one CSV holds: a period longer than that is asked for in parts.
CSV_LIMIT = 100_000

CSV_HEADER = (
    "日時",
    "日付（和暦）",
    "操作した者",
    "記録の種類",
    "記録ID",
    "対象者ID",
    "操作",
    "理由",
    "変更内容",
    "記録番号",
)


class FieldChangeOut(BaseModel):
    old: Any = Field(description="The value before (null: there was none).")
    new: Any = Field(description="The value after (null: removed).")


class ViewedOut(BaseModel):
    """What a read entry says was shown (never the values shown)."""

    part: str | None = Field(
        default=None,
        description="Which part of the record: contacts, confidential_notes, search_result, "
        "list, export, attendee_list, … (null: the whole record).",
        examples=["confidential_notes"],
    )
    filter: dict[str, str] | None = Field(
        default=None, description="For a read of the audit log itself: what was asked for."
    )
    entries: int | None = Field(
        default=None, description="For a read of the audit log itself: how many it showed."
    )


class AuditEntryOut(BaseModel):
    """One entry of the trail: who did what to (or saw) which record, when and why."""

    id: int = Field(description="The entry's number (increases with time).")
    at: datetime = Field(description="When, in Japan time.")
    actor: str = Field(description="Who: role:subject, or system:… for the platform's own.")
    entity: str = Field(description="The kind of record: client, consultation, case, …")
    entity_id: str
    subject_id: str | None = Field(
        description="The pseudonymous id of the person the entry is about (client id, "
        "registration id, account id), when there is one."
    )
    action: str = Field(description="What was done: corrected, merged, viewed, signed_in, …")
    reason: str | None
    changes: dict[str, FieldChangeOut] = Field(
        description="What a change changed, field by field, old → new (empty for a read). "
        "Entries written before the shape was shared are shown in it too."
    )
    viewed: ViewedOut | None = Field(
        description='For a read (action "viewed"): what was shown; null for a change.'
    )

    @classmethod
    def of(cls, row: AuditRow) -> AuditEntryOut:
        read = row.action == VIEWED
        return cls(
            id=row.id,
            at=row.at.astimezone(TOKYO),
            actor=row.actor,
            entity=row.entity,
            entity_id=row.entity_id,
            subject_id=row.subject_id,
            action=row.action,
            reason=row.reason,
            changes={}
            if read
            else {k: FieldChangeOut(**v) for k, v in field_changes(row.changes).items()},
            viewed=ViewedOut.model_validate(row.changes) if read else None,
        )


class AuditPageOut(BaseModel):
    total: int = Field(description="How many entries the filter selects in all.")
    limit: int
    offset: int
    entries: list[AuditEntryOut] = Field(description="Newest first.")


def csv_row(row: AuditRow) -> list[Any]:
    """One entry as a line of the CSV: the moment in Japan time and its day in the era."""
    moment = row.at.astimezone(TOKYO)
    return [
        moment.strftime("%Y-%m-%d %H:%M:%S"),
        japanese_date(moment.date()),
        row.actor,
        ENTITY_NAMES.get(row.entity, row.entity),
        row.entity_id,
        row.subject_id,
        ACTION_NAMES.get(row.action, row.action),
        row.reason,
        json.dumps(row.changes, ensure_ascii=False, sort_keys=True) if row.changes else "",
        row.id,
    ]


def _filter(
    subject: Annotated[
        str | None,
        Query(
            max_length=100,
            description="The person: a client id, a registration id or an account id.",
        ),
    ] = None,
    actor: Annotated[
        str | None, Query(max_length=200, description="The member of staff: role:subject.")
    ] = None,
    entity: Annotated[
        str | None, Query(max_length=50, description="The kind of record: client, case, …")
    ] = None,
    from_: Annotated[
        str | None,
        Query(
            alias="from",
            max_length=30,
            description="First day in Japan (inclusive), as typed: 2026-10-01, 令和8年10月1日.",
        ),
    ] = None,
    to: Annotated[
        str | None, Query(max_length=30, description="Last day in Japan (inclusive).")
    ] = None,
) -> AuditFilter:
    return audit_filter(subject=subject, actor=actor, entity=entity, from_text=from_, to_text=to)


def _asked(f: AuditFilter) -> dict[str, str]:
    asked = {
        "subject": f.subject,
        "actor": f.actor,
        "entity": f.entity,
        "from": f.start.isoformat() if f.start else None,
        "to": f.end.isoformat() if f.end else None,
    }
    return {k: v for k, v in asked.items() if v is not None}


Caller = Annotated[Principal, Depends(current_principal)]
Asked = Annotated[AuditFilter, Depends(_filter)]


def audit_log_router(runtime: Runtime, readers: Sequence[Role]) -> APIRouter:
    """The auditors' routes over the service's ``audit_log``, for the roles in ``readers``
    (each service's access rules say who: auditors, and coordinators where they read
    everything). No route changes or removes an entry."""
    routes = APIRouter(tags=["audit"])

    async def _read(
        who: Principal, f: AuditFilter, part: str, *, limit: int | None, offset: int = 0
    ) -> tuple[int, list[AuditRow]]:
        ensure_role(who, *readers, doing="監査記録（変更・閲覧の記録）の閲覧")
        async with runtime.unit_of_work(who) as uow:
            total, rows = await search(uow.conn, f, limit=limit, offset=offset)
            await insert_entry(
                uow.conn,
                at=uow.at,
                actor=uow.actor,
                entity="audit_log",
                entity_id=runtime.spec.name,
                action=VIEWED,
                changes={"part": part, "filter": _asked(f), "entries": len(rows)},
                subject=f.subject,
            )
        return total, rows

    @routes.get(
        "/audit-log",
        summary="The audit trail: who changed or read what, newest first (auditors)",
    )
    async def audit_log(
        who: Caller,
        asked: Asked,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> AuditPageOut:
        total, rows = await _read(who, asked, "entries", limit=limit, offset=offset)
        return AuditPageOut(
            total=total, limit=limit, offset=offset, entries=[AuditEntryOut.of(r) for r in rows]
        )

    @routes.get(
        "/audit-log.csv",
        summary="The audit trail as CSV for Japanese Excel (auditors)",
        response_class=Response,
        responses={200: {"content": {"text/csv": {}}}},
    )
    async def audit_log_csv(who: Caller, asked: Asked) -> Response:
        _, rows = await _read(who, asked, "csv", limit=CSV_LIMIT)
        return csv_download(
            f"監査記録_{runtime.spec.name}.csv",
            CSV_HEADER,
            (csv_row(r) for r in rows),
            ascii_filename=f"audit-log-{runtime.spec.name}.csv",
        )

    return routes
