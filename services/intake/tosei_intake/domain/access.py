"""Who may do what at the intake desk: pure rules over the caller and the record.

Desk staff and coordinators register consultations and hand over the old desks' cases; they and
the auditor read everything (the auditor changes nothing); a coordinator merges duplicate
clients; an expert reads only the consultations caseflow has assigned to them, and for anything
else the answer is that there is no such record among their cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from uuid import UUID

from tosei_common.platform.errors import NotFound
from tosei_common.platform.principal import (
    Principal,
    Role,
    ensure_role,
    expert_id_of,
    figures_scope,
)
from tosei_intake.domain.clients import Client
from tosei_intake.domain.consultations import Consultation
from tosei_intake.domain.periods import ConsultationFilter

_STAFF = (Role.DESK, Role.COORDINATOR)
_READERS = (Role.DESK, Role.COORDINATOR, Role.AUDITOR)

#: Who reads the desk's audit trail (who changed or read whose record): the auditor and the
#: coordinators, who read everything. Not the desk staff, whose reads it records.
AUDIT_READERS = (Role.COORDINATOR, Role.AUDITOR)


def ensure_may_register(who: Principal) -> None:
    ensure_role(who, *_STAFF, doing="相談の登録")


def ensure_may_correct(who: Principal) -> None:
    ensure_role(who, *_STAFF, doing="相談内容の訂正")


def ensure_may_record_consent(who: Principal) -> None:
    ensure_role(who, *_STAFF, doing="外部への共有の同意の記録")


def ensure_may_import(who: Principal) -> None:
    ensure_role(who, *_STAFF, doing="旧窓口の相談記録の取り込み")


def ensure_may_merge(who: Principal) -> None:
    ensure_role(who, Role.COORDINATOR, doing="相談者の統合")


def ensure_may_answer_requests(who: Principal, doing: str) -> None:
    """A person's requests about their own records (開示・利用停止) are the council's to
    answer: coordinators only."""
    ensure_role(who, Role.COORDINATOR, doing=doing)


def sees_stopped_clients(who: Principal) -> bool:
    """Whether a search shows clients whose records' use is stopped (marked): coordinators and
    auditors; desk staff no longer find them."""
    return who.role in (Role.COORDINATOR, Role.AUDITOR)


def counts_scope(who: Principal, covered: ConsultationFilter) -> ConsultationFilter:
    """The consultations whose counts ``who`` may read: a municipal officer, their own town's
    (counts only: their own town's people are still not theirs to read one by one)."""
    town = figures_scope(who, covered.municipality, _READERS, doing="相談件数の集計")
    return replace(covered, municipality=town)


def ensure_may_read_all(who: Principal, doing: str) -> None:
    """Counts, the council's list, client search and merge candidates: not for experts."""
    ensure_role(who, *_READERS, doing=doing)


def readable_cases(who: Principal) -> UUID | None:
    """The expert whose cases alone the caller may read, or None when they may read all."""
    ensure_role(who, *_READERS, Role.EXPERT, doing="相談の閲覧")
    return expert_id_of(who)


def readable_consultation(
    who: Principal, consultation_id: UUID, found: Consultation | None
) -> Consultation:
    """The consultation the caller asked for, if they may read it. An expert reads one whose
    case they have or had (after a transfer, read-only, as in caseflow), and learns nothing
    of any other (not even that it exists)."""
    mine = readable_cases(who)
    if mine is not None and (found is None or mine not in found.experts_ever):
        raise NotFound(
            f"担当している相談の中に、この相談（{consultation_id}）はありません",
            en=f"no consultation {consultation_id} among your cases",
        )
    if found is None:
        raise NotFound(
            f"相談（{consultation_id}）は見つかりません", en=f"no consultation {consultation_id}"
        )
    return found


def readable_client(
    who: Principal, client_id: UUID, found: Client | None, readable: Sequence[Consultation]
) -> Client:
    """The client the caller asked for, if they may read it (``readable``: the client's
    consultations they may read). An expert reads a client only through a case of theirs."""
    if readable_cases(who) is not None and (found is None or not readable):
        raise NotFound(
            f"担当している相談の相談者の中に、この相談者（{client_id}）はいません",
            en=f"no client {client_id} among your cases",
        )
    if found is None:
        raise NotFound(f"相談者（{client_id}）は見つかりません", en=f"no client {client_id}")
    return found
