"""/clients: find a client, see all their consultations, merge duplicates."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from tosei_common.platform.auth import Principal, current_principal
from tosei_common.platform.service import Runtime
from tosei_common.region.inputs import FreeText
from tosei_intake.api.requests import (
    ClientCorrectionIn,
    ErasureIn,
    LegalHoldIn,
    MergeIn,
    UnmergeIn,
)
from tosei_intake.api.responses import (
    ClientOut,
    ClientSummaryOut,
    ErasedOut,
    LegalHoldOut,
    MergedOut,
)
from tosei_intake.handlers import reads
from tosei_intake.handlers.clients import correct, merge_clients, unmerge_clients
from tosei_intake.handlers.retention import erase_on_request, lift_hold, place_hold

Caller = Annotated[Principal, Depends(current_principal)]


def router(runtime: Runtime) -> APIRouter:
    routes = APIRouter(prefix="/clients", tags=["clients"])

    @routes.get("", summary="Search clients by (part of a) name or phone number")
    async def search(
        q: Annotated[
            str,
            Query(
                min_length=1,
                description="A name, furigana or business name however spaced or spelled "
                "(髙橋, 高橋 花子, たかはし, 津軽りんご工房), digits of a phone number "
                "(723-1111) or part of an e-mail address (taro@).",
            ),
            FreeText(100),
        ],
        who: Caller,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> list[ClientSummaryOut]:
        async with runtime.unit_of_work(who) as uow:
            found = await reads.search_clients(uow, who, q, limit=limit)
        return [ClientSummaryOut.of(s) for s in found]

    @routes.get("/{client_id}", summary="A client with all their consultations")
    async def read(client_id: UUID, who: Caller) -> ClientOut:
        async with runtime.unit_of_work(who) as uow:
            view = await reads.client(uow, who, client_id)
        return ClientOut.of(view)

    @routes.get(
        "/{client_id}/possible-duplicates",
        summary="Clients sharing a name or a contact with this one (candidates for a merge)",
    )
    async def possible_duplicates(client_id: UUID, who: Caller) -> list[ClientSummaryOut]:
        async with runtime.unit_of_work(who) as uow:
            found = await reads.possible_duplicates(uow, who, client_id)
        return [ClientSummaryOut.of(s) for s in found]

    @routes.patch(
        "/{client_id}",
        status_code=204,
        summary="Correct a client's name, furigana, phones or e-mails (with the reason; "
        "old → new kept)",
    )
    async def correct_client(client_id: UUID, body: ClientCorrectionIn, who: Caller) -> None:
        async with runtime.unit_of_work(who) as uow:
            await correct(uow, who, client_id, body.correction())

    @routes.post(
        "/{client_id}/merge",
        summary="Merge a duplicate record into this client (coordinators); both histories stay",
    )
    async def merge(client_id: UUID, body: MergeIn, who: Caller) -> MergedOut:
        async with runtime.unit_of_work(who) as uow:
            merged = await merge_clients(uow, who, client_id, body.duplicate_id)
        return MergedOut.of(merged, who.actor)

    @routes.post(
        "/{client_id}/unmerge",
        status_code=204,
        summary="Undo the merge of this record (coordinators): it is its own client again, "
        "with exactly its own names, contacts and consultations",
    )
    async def unmerge(client_id: UUID, body: UnmergeIn, who: Caller) -> None:
        async with runtime.unit_of_work(who) as uow:
            await unmerge_clients(uow, who, client_id, body.reason)

    @routes.post(
        "/{client_id}/legal-hold",
        status_code=201,
        summary="Place a legal hold (訴訟等による保存, coordinators): nothing of the client is "
        "erased, by the retention job or on request, until it is lifted",
    )
    async def hold(client_id: UUID, body: LegalHoldIn, who: Caller) -> LegalHoldOut:
        async with runtime.unit_of_work(who) as uow:
            hold_id = await place_hold(uow, who, client_id, body.reason)
        return LegalHoldOut(hold_id=hold_id, client_id=client_id)

    @routes.post(
        "/{client_id}/legal-hold/lift",
        status_code=204,
        summary="Lift the client's legal hold (coordinators), with the reason",
    )
    async def lift(client_id: UUID, body: LegalHoldIn, who: Caller) -> None:
        async with runtime.unit_of_work(who) as uow:
            await lift_hold(uow, who, client_id, body.reason)

    @routes.post(
        "/{client_id}/erasure",
        summary="Erase the client's personal data now (本人からの消去請求, coordinators), "
        "with the reason; refused while a legal hold applies. The statistics stay",
    )
    async def erase(client_id: UUID, body: ErasureIn, who: Caller) -> ErasedOut:
        async with runtime.unit_of_work(who) as uow:
            erased = await erase_on_request(uow, who, client_id, body.reason)
        return ErasedOut.of(erased)

    return routes
