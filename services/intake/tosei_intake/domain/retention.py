"""Which clients are past the desk's retention period on a given day, and why (pure).

A client's records are kept until ``years`` after the last of their cases closed
(案件の終結から5年, the council's setting). A case that is open, or was closed and reopened,
keeps every record of its client. A case handed over closed from an old desk has no closing
date of its own: the day of its consultation stands for it (the old ledger kept no other).
A client under a legal hold (訴訟等による保存) is never erased; the dry run lists them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from tosei_common.catalogue.intake import LegacyStatus
from tosei_common.platform.errors import Conflict
from tosei_common.region.retention_periods import period_ends
from tosei_common.region.said import Message


@dataclass(frozen=True)
class CaseAtDesk:
    """One of a client's consultations (= cases) as the retention rule sees it."""

    case_id: UUID
    consulted_on: date
    #: The Japan day caseflow closed it; None when it is open (or reopened), or never heard of.
    closed_on: date | None
    #: caseflow said something about the case (closed, reopened).
    heard_of: bool
    legacy_status: str | None


@dataclass(frozen=True)
class ClientOnFile:
    client_id: UUID
    cases: Sequence[CaseAtDesk]
    held: bool


@dataclass(frozen=True)
class StandingHold:
    """The legal hold in place on a client (訴訟等による保存): since when, by whom, why."""

    placed_at: datetime
    placed_by: str
    reason: str


class Verdict(StrEnum):
    DUE = "due"  # past its period: erase
    HELD = "held"  # past its period, but a legal hold keeps it
    KEPT = "kept"  # not yet


@dataclass(frozen=True)
class Decision:
    client_id: UUID
    verdict: Verdict
    #: The day the period ended (DUE, HELD) or ends (KEPT with every case closed).
    period_ended_on: date | None
    why: str


def closed_on(case: CaseAtDesk) -> date | None:
    """When the case closed, as far as retention is concerned; None: it is open."""
    if case.heard_of:
        return case.closed_on
    if case.legacy_status == LegacyStatus.CLOSED.value:
        return case.consulted_on
    return None


def decide(client: ClientOnFile, today: date, years: int) -> Decision:
    """Whether ``client``'s records are past ``years`` after the last case closed, on ``today``."""
    closings = [closed_on(case) for case in client.cases]
    if not closings or any(c is None for c in closings):
        open_cases = sum(1 for c in closings if c is None)
        return Decision(
            client.client_id, Verdict.KEPT, None, f"終結していない案件が{open_cases}件あります"
        )
    last = max(c for c in closings if c is not None)
    ends = period_ends(last, years)
    if today < ends:
        return Decision(
            client.client_id,
            Verdict.KEPT,
            ends,
            f"最後の案件の終結 {last.isoformat()} から{years}年（{ends.isoformat()}まで保存）",
        )
    why = (
        f"全{len(closings)}件の案件が終結し、最後の終結 {last.isoformat()} から{years}年が"
        f"過ぎました（{ends.isoformat()}に満了）"
    )
    if client.held:
        return Decision(
            client.client_id, Verdict.HELD, ends, f"{why}。訴訟等による保存のため消去しません"
        )
    return Decision(client.client_id, Verdict.DUE, ends, why)


class LegalHoldApplies(Conflict):
    code = "legal_hold"


def ensure_not_held(held: bool) -> None:
    """An early erasure (本人からの消去請求) is refused while a legal hold stands."""
    if held:
        raise LegalHoldApplies(
            "この相談者の記録には訴訟等による保存（リーガルホールド）が設定されているため、"
            "消去できません。保存を解除してから消去してください",
            en="a legal hold keeps this client's records; lift it before erasing them",
            fields={
                "legal_hold": Message(
                    "訴訟等による保存が設定されています", "a legal hold is in place"
                )
            },
        )


def ensure_hold_can_be_placed(standing: bool) -> None:
    if standing:
        raise Conflict(
            "この相談者には既に訴訟等による保存が設定されています",
            en="a legal hold is already in place for this client",
            fields={"legal_hold": Message("設定済みです", "already placed")},
        )


def ensure_hold_can_be_lifted(standing: bool) -> None:
    if not standing:
        raise Conflict(
            "この相談者には訴訟等による保存が設定されていません",
            en="no legal hold is in place for this client",
            fields={"legal_hold": Message("設定されていません", "none in place")},
        )


def ensure_not_erased(erased: bool) -> None:
    if erased:
        raise Conflict(
            "この相談者の個人情報は既に消去されています",
            en="this client's personal data has already been erased",
            fields={"client_id": Message("消去済みの相談者です", "already erased")},
        )


def ensure_none_erased(erased: Sequence[UUID]) -> None:
    """A client whose personal data was erased cannot be merged (nothing is left to match)."""
    if erased:
        raise Conflict(
            "個人情報を消去した相談者は統合できません",
            en=f"clients whose personal data was erased cannot be merged: {erased[0]}",
            fields={"client_id": Message("消去済みの相談者です", "already erased")},
        )
