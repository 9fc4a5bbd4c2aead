"""Reading consultations and clients: load, and check who may read it (an expert: only the
cases assigned to them)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from uuid import UUID

from tosei_common.platform.db import Connection
from tosei_common.platform.errors import NotFound
from tosei_common.platform.principal import Principal
from tosei_intake.db import clients as clients_db
from tosei_intake.db import consultations as consultations_db
from tosei_intake.domain import access
from tosei_intake.domain.clients import (
    Client,
    ClientSummary,
    KeyKind,
    looks_like_the_same_person,
    search_terms,
    spellings,
)
from tosei_intake.domain.consultations import Consultation
from tosei_intake.domain.periods import ConsultationFilter
from tosei_intake.domain.reports import CountBy, CountRow, count_rows

#: A merged client's id leads to the client that absorbed it; merges form short chains.
_MAX_MERGE_HOPS = 20


async def consultation(conn: Connection, who: Principal, consultation_id: UUID) -> Consultation:
    """One consultation; for an expert, only one of the cases currently assigned to them."""
    access.readable_cases(who)
    found = await consultations_db.one(conn, consultation_id)
    return access.readable_consultation(who, consultation_id, found)


async def consultations(
    conn: Connection, who: Principal, covered: ConsultationFilter, *, limit: int, offset: int
) -> tuple[int, list[Consultation]]:
    """The number of consultations ``covered`` and one page of them, newest first (an expert:
    only their own cases)."""
    mine = dataclasses.replace(covered, expert_id=access.readable_cases(who))
    total = await consultations_db.count(conn, mine)
    return total, await consultations_db.listed(conn, mine, limit=limit, offset=offset)


async def counts(
    conn: Connection, who: Principal, by: CountBy, covered: ConsultationFilter
) -> tuple[int, list[CountRow]]:
    """Consultations ``covered``, and their counts per day, municipality or category (a
    municipal officer: their own town's only)."""
    covered = access.counts_scope(who, covered)
    total = await consultations_db.count(conn, covered)
    return total, count_rows(by, await consultations_db.count_by(conn, by, covered))


async def council_list(
    conn: Connection, who: Principal, covered: ConsultationFilter
) -> list[Consultation]:
    """The consultations ``covered``, oldest first, as a register reads (the council's list)."""
    access.ensure_may_read_all(who, doing="相談一覧の出力")
    newest_first = await consultations_db.listed(conn, covered, limit=None)
    return newest_first[::-1]


@dataclass(frozen=True)
class ClientView:
    client: Client
    names: list[str]
    phones: list[str]
    emails: list[str]
    merged_client_ids: list[UUID]
    consultations: list[Consultation]


async def client(conn: Connection, who: Principal, client_id: UUID) -> ClientView:
    """A client with all their consultations (an expert: only their own cases, and only a
    client they have a case of). A merged duplicate's id shows the client that absorbed it."""
    mine = access.readable_cases(who)
    found = await clients_db.one(conn, client_id)
    hops = 0
    while found is not None and found.merged_into is not None and hops < _MAX_MERGE_HOPS:
        found = await clients_db.one(conn, found.merged_into)
        hops += 1
    readable = await consultations_db.of_client(conn, found.id, expert_id=mine) if found else []
    found = access.readable_client(who, client_id, found, readable)
    keys = await clients_db.keys_of(conn, found.id)

    def shown(kind: KeyKind) -> list[str]:
        return spellings(k for k in keys if k.kind is kind)

    return ClientView(
        found,
        shown(KeyKind.NAME),
        shown(KeyKind.PHONE),
        shown(KeyKind.EMAIL),
        await clients_db.merged_into(conn, found.id),
        readable,
    )


async def search_clients(
    conn: Connection, who: Principal, query: str, *, limit: int
) -> list[ClientSummary]:
    """Live clients by (part of) a name, furigana or business name, however spaced or spelled,
    digits of a phone, or an e-mail address."""
    access.ensure_may_read_all(who, doing="相談者の検索")
    terms = search_terms(query)
    if terms.empty:
        return []
    return await clients_db.search(conn, terms, limit=limit)


async def possible_duplicates(
    conn: Connection, who: Principal, client_id: UUID
) -> list[ClientSummary]:
    """Live clients that share a name or a contact with this one: candidates for a merge."""
    access.ensure_may_read_all(who, doing="重複候補の確認")
    if await clients_db.one(conn, client_id) is None:
        raise NotFound(f"相談者（{client_id}）は見つかりません", en=f"no client {client_id}")
    this = await clients_db.known(conn, [client_id])
    others = await clients_db.sharing_keys_with(conn, client_id)
    ids = [o.id for o in others if this and looks_like_the_same_person(this[0], o)]
    return await clients_db.summaries(conn, ids)
