"""/clients: find a client, see all their consultations, merge duplicates."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from tosei_common.platform.auth import Principal
from tosei_common.platform.errors import Unprocessable
from tosei_common.platform.service import Runtime
from tosei_intake.api import access
from tosei_intake.api.models import (
    ClientOut,
    ClientSummaryOut,
    MergedOut,
    MergeIn,
    consultation_out,
)
from tosei_intake.db.queries import Row
from tosei_intake.domain import values
from tosei_intake.handlers import reads
from tosei_intake.handlers.clients import merge_clients
from tosei_intake.handlers.context import Intake


def _summary(row: Row) -> ClientSummaryOut:
    return ClientSummaryOut(
        id=row["id"],
        name=row["name"],
        furigana=row["furigana"],
        consultations=row["consultations"],
        last_consulted_at=row["last_consulted_at"],
    )


def _query(text: str) -> str:
    return values.text(text, max_length=100)


def client_router(runtime: Runtime) -> APIRouter:
    router = APIRouter(prefix="/clients", tags=["clients"])

    @router.get("", summary="Search clients by (part of a) name or phone number")
    async def search(
        q: Annotated[
            str,
            Query(
                min_length=1,
                max_length=100,
                description="A name however spaced or spelled (髙橋, 高橋 花子) or digits of a "
                "phone number (723-1111).",
            ),
        ],
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        _: Principal = Depends(access.read_all),
    ) -> list[ClientSummaryOut]:
        try:
            query = _query(q)
        except ValueError as exc:
            raise Unprocessable(f"q {exc}", fields={"q": str(exc)}) from None
        rows = await reads.search_clients(Intake.of(runtime), query, limit=limit)
        return [_summary(r) for r in rows]

    @router.get("/{client_id}", summary="A client with all their consultations")
    async def read(client_id: UUID, who: Principal = Depends(access.read_case)) -> ClientOut:
        view = await reads.client(
            Intake.of(runtime), client_id, expert_id=access.own_cases_only(who)
        )
        row = view.client
        return ClientOut(
            id=row["id"],
            name=row["name"],
            furigana=row["furigana"],
            names=view.names,
            phones=view.phones,
            emails=view.emails,
            merged_client_ids=view.merged_client_ids,
            created_at=row["created_at"],
            created_by=row["created_by"],
            consultations=[consultation_out(c) for c in view.consultations],
        )

    @router.get(
        "/{client_id}/possible-duplicates",
        summary="Clients sharing a name or a contact with this one (candidates for a merge)",
    )
    async def possible_duplicates(
        client_id: UUID, _: Principal = Depends(access.read_all)
    ) -> list[ClientSummaryOut]:
        rows = await reads.possible_duplicates(Intake.of(runtime), client_id)
        return [_summary(r) for r in rows]

    @router.post(
        "/{client_id}/merge",
        summary="Merge a duplicate record into this client (coordinators); both histories stay",
    )
    async def merge(
        client_id: UUID, body: MergeIn, who: Principal = Depends(access.merge)
    ) -> MergedOut:
        merged = await merge_clients(
            Intake.of(runtime), client_id, body.duplicate_id, actor=who.actor
        )
        return MergedOut(
            client_id=merged.client_id,
            merged_client_id=merged.merged_client_id,
            moved_consultations=merged.moved_consultations,
            by=who.actor,
        )

    return router
