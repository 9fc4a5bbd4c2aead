"""Reading consultations and clients, with the rule that an expert sees only their own cases."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from tosei_common.platform.errors import NotFound
from tosei_intake.db import queries
from tosei_intake.db.queries import ConsultationFilter, Row
from tosei_intake.domain.clients import KeyKind, looks_like_the_same_person, search_terms
from tosei_intake.domain.reports import CountBy, CountRow, count_rows
from tosei_intake.handlers.context import Intake

#: A merged client's id leads to the client that absorbed it; merges form short chains.
_MAX_MERGE_HOPS = 20


async def consultation(intake: Intake, consultation_id: UUID, *, expert_id: UUID | None) -> Row:
    """One consultation; for an expert, only one of the cases currently assigned to them."""
    async with intake.pool.acquire() as conn:
        row = await queries.consultation(conn, consultation_id)
    if row is None or (expert_id is not None and row["expert_id"] != expert_id):
        raise NotFound(
            f"no consultation {consultation_id}" + (" among your cases" if expert_id else "")
        )
    return row


async def consultations(
    intake: Intake, where: ConsultationFilter, *, limit: int | None, offset: int = 0
) -> tuple[int, list[Row]]:
    async with intake.pool.acquire() as conn:
        return await queries.list_consultations(conn, where, limit=limit, offset=offset)


async def counts(
    intake: Intake, by: CountBy, where: ConsultationFilter
) -> tuple[int, list[CountRow]]:
    """Consultations in the filter, and their counts per day, municipality or category."""
    count = {
        CountBy.DAY: queries.count_by_day,
        CountBy.MUNICIPALITY: queries.count_by_municipality,
        CountBy.CATEGORY: queries.count_by_category,
    }[by]
    async with intake.pool.acquire() as conn:
        total = await queries.count_consultations(conn, where)
        rows = await count(conn, where)
    return total, count_rows(by, {r["key"]: r["count"] for r in rows})


@dataclass(frozen=True)
class ClientView:
    client: Row
    names: list[str]
    phones: list[str]
    emails: list[str]
    merged_client_ids: list[UUID]
    consultations: list[Row]


async def client(intake: Intake, client_id: UUID, *, expert_id: UUID | None) -> ClientView:
    """A client with all their consultations (an expert: only their own cases, and only a
    client they have a case of). A merged duplicate's id shows the client that absorbed it."""
    async with intake.pool.acquire() as conn:
        row = await queries.client(conn, client_id)
        hops = 0
        while row is not None and row["merged_into"] is not None and hops < _MAX_MERGE_HOPS:
            row = await queries.client(conn, row["merged_into"])
            hops += 1
        if row is None:
            raise NotFound(f"no client {client_id}")
        consultations = await queries.client_consultations(conn, row["id"], expert_id=expert_id)
        if expert_id is not None and not consultations:
            raise NotFound(f"no client {client_id} among your cases")
        keys = await queries.client_keys(conn, row["id"])
        merged = await queries.merged_into_client(conn, row["id"])

    def shown(kind: KeyKind) -> list[str]:
        return [k["shown"] for k in keys if k["kind"] == kind.value]

    return ClientView(
        row, shown(KeyKind.NAME), shown(KeyKind.PHONE), shown(KeyKind.EMAIL), merged, consultations
    )


async def search_clients(intake: Intake, query: str, *, limit: int) -> list[Row]:
    name_part, phone_part = search_terms(query)
    if name_part is None and phone_part is None:
        return []
    async with intake.pool.acquire() as conn:
        return await queries.search_clients(
            conn, name_part=name_part, phone_part=phone_part, limit=limit
        )


async def possible_duplicates(intake: Intake, client_id: UUID) -> list[Row]:
    """Live clients that share a name or a contact with this one: candidates for a merge."""
    async with intake.pool.acquire() as conn:
        if await queries.client(conn, client_id) is None:
            raise NotFound(f"no client {client_id}")
        this = await queries.known_clients(conn, [client_id])
        others = await queries.clients_sharing_keys_with(conn, client_id)
        ids = [o.id for o in others if this and looks_like_the_same_person(this[0], o)]
        return await queries.client_summaries(conn, ids)
