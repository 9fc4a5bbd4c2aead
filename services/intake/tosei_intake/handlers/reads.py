"""Reading consultations and clients: load, and check who may read it (an expert: only the
cases assigned to them).

What shows a person's record (a consultation, a client, a list, a search, the council's
export) is read in a unit of work and leaves a read entry per record shown (閲覧記録,
``tosei_common.platform.audit.record_views``): who, when, which record, about whom, never
what it says. Counts show nobody and are not recorded."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from tosei_common.platform import audit_log
from tosei_common.platform.audit import Viewed
from tosei_common.platform.db import Connection
from tosei_common.platform.errors import NotFound
from tosei_common.platform.principal import Principal
from tosei_common.platform.unit_of_work import UnitOfWork
from tosei_intake.db import clients as clients_db
from tosei_intake.db import consultations as consultations_db
from tosei_intake.db import disclosure as disclosure_db
from tosei_intake.db import retention as retention_db
from tosei_intake.db import use_stops as use_stops_db
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
from tosei_intake.domain.disclosure import IntakeDisclosure
from tosei_intake.domain.disclosure import disclosure as assemble_disclosure
from tosei_intake.domain.periods import ConsultationFilter
from tosei_intake.domain.reports import CountBy, CountRow, count_rows
from tosei_intake.domain.retention import StandingHold
from tosei_intake.domain.use_stops import UseStop

#: A merged client's id leads to the client that absorbed it; merges form short chains.
_MAX_MERGE_HOPS = 20


def _seen(consultations: list[Consultation], part: str | None) -> list[Viewed]:
    return [Viewed("consultation", c.id, c.client_id, part) for c in consultations]


async def consultation(uow: UnitOfWork, who: Principal, consultation_id: UUID) -> Consultation:
    """One consultation; for an expert, only one of the cases currently assigned to them."""
    access.readable_cases(who)
    found = await consultations_db.one(uow.conn, consultation_id)
    shown = access.readable_consultation(who, consultation_id, found)
    await uow.viewed(*_seen([shown], None))
    return shown


async def consultations(
    uow: UnitOfWork, who: Principal, covered: ConsultationFilter, *, limit: int, offset: int
) -> tuple[int, list[Consultation]]:
    """The number of consultations ``covered`` and one page of them, newest first (an expert:
    only their own cases)."""
    mine = dataclasses.replace(covered, expert_id=access.readable_cases(who))
    total = await consultations_db.count(uow.conn, mine)
    page = await consultations_db.listed(uow.conn, mine, limit=limit, offset=offset)
    await uow.viewed(*_seen(page, "list"))
    return total, page


async def counts(
    conn: Connection, who: Principal, by: CountBy, covered: ConsultationFilter
) -> tuple[int, list[CountRow]]:
    """Consultations ``covered``, and their counts per day, municipality or category (a
    municipal officer: their own town's only)."""
    covered = access.counts_scope(who, covered)
    total = await consultations_db.count(conn, covered)
    return total, count_rows(by, await consultations_db.count_by(conn, by, covered))


async def council_list(
    uow: UnitOfWork, who: Principal, covered: ConsultationFilter
) -> list[Consultation]:
    """The consultations ``covered``, oldest first, as a register reads (the council's list)."""
    access.ensure_may_read_all(who, doing="相談一覧の出力")
    newest_first = await consultations_db.listed(uow.conn, covered, limit=None)
    await uow.viewed(*_seen(newest_first, "export"))
    return newest_first[::-1]


@dataclass(frozen=True)
class ClientView:
    client: Client
    names: list[str]
    phones: list[str]
    emails: list[str]
    merged_client_ids: list[UUID]
    consultations: list[Consultation]
    #: The standing stop of the records' use (利用停止中), if any.
    use_stop: UseStop | None = None
    #: The legal hold in place (訴訟等による保存), if any.
    legal_hold: StandingHold | None = None
    #: When the client's personal data was erased (消去済み), if it was.
    erased_at: datetime | None = None


async def client(uow: UnitOfWork, who: Principal, client_id: UUID) -> ClientView:
    """A client with all their consultations (an expert: only their own cases, and only a
    client they have a case of). A merged duplicate's id shows the client that absorbed it."""
    conn = uow.conn
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

    await uow.viewed(
        Viewed("client", found.id, found.id, "contacts"), *_seen(readable, "client_record")
    )
    return ClientView(
        found,
        shown(KeyKind.NAME),
        shown(KeyKind.PHONE),
        shown(KeyKind.EMAIL),
        await clients_db.merged_into(conn, found.id),
        readable,
        await use_stops_db.standing(conn, found.id),
        await retention_db.standing_hold(conn, found.id),
        await retention_db.erased_at(conn, found.id),
    )


async def search_clients(
    uow: UnitOfWork, who: Principal, query: str, *, limit: int
) -> list[ClientSummary]:
    """Live clients by (part of) a name, furigana or business name, however spaced or spelled,
    digits of a phone, or an e-mail address (the terms searched for are not recorded: they are
    the personal values themselves)."""
    access.ensure_may_read_all(who, doing="相談者の検索")
    terms = search_terms(query)
    if terms.empty:
        return []
    found = await clients_db.search(
        uow.conn, terms, limit=limit, include_stopped=access.sees_stopped_clients(who)
    )
    await uow.viewed(*(Viewed("client", c.id, c.id, "search_result") for c in found))
    return found


async def possible_duplicates(
    uow: UnitOfWork, who: Principal, client_id: UUID
) -> list[ClientSummary]:
    """Live clients that share a name or a contact with this one: candidates for a merge."""
    access.ensure_may_read_all(who, doing="重複候補の確認")
    conn = uow.conn
    if await clients_db.one(conn, client_id) is None:
        raise NotFound(f"相談者（{client_id}）は見つかりません", en=f"no client {client_id}")
    this = await clients_db.known(conn, [client_id])
    others = await clients_db.sharing_keys_with(conn, client_id)
    ids = [o.id for o in others if this and looks_like_the_same_person(this[0], o)]
    found = await clients_db.summaries(conn, ids)
    await uow.viewed(*(Viewed("client", c.id, c.id, "possible_duplicate") for c in found))
    return found


async def disclosure(uow: UnitOfWork, who: Principal, client_id: UUID) -> IntakeDisclosure:
    """Everything intake holds about one person (本人開示; coordinators): the client record,
    the records merged into it, every consultation, and what was done to each and why."""
    access.ensure_may_answer_requests(who, doing="本人開示")
    conn = uow.conn
    view = await client(uow, who, client_id)
    survivor = view.client.id
    records = [survivor, *view.merged_client_ids]
    keys = await clients_db.keys_of(conn, survivor)
    consultation_ids = [c.id for c in view.consultations]
    return assemble_disclosure(
        view.client,
        keys,
        view.consultations,
        await disclosure_db.consent_changes(conn, consultation_ids),
        await disclosure_db.merges(conn, survivor),
        await use_stops_db.history(conn, records),
        await audit_log.history(conn, "client", records),
        await audit_log.history(conn, "consultation", consultation_ids),
    )
