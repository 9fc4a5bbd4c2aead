"""Referrals to external experts of the nationwide network, and the decisions on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from tosei_caseflow.domain.cases import Case, moment
from tosei_caseflow.domain.changes import Change, Note
from tosei_caseflow.domain.experts import ExternalExpert, ensure_active_external
from tosei_caseflow.domain.lifecycle import check_working
from tosei_common.catalogue.caseflow import CaseReferred, ReferralStatus
from tosei_common.platform.errors import (
    Conflict,
    InvalidTransition,
    Message,
    NotFound,
    Unprocessable,
)

#: National schemes of this kind pay for up to three visits of an external expert per case.
PAID_VISITS = 3

NEXT: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    ReferralStatus.REQUESTED: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.DECLINED}),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.COMPLETED, ReferralStatus.DECLINED}),
    ReferralStatus.COMPLETED: frozenset(),
    ReferralStatus.DECLINED: frozenset(),
}

STATUS_LABELS: dict[ReferralStatus, str] = {
    ReferralStatus.REQUESTED: "依頼中",
    ReferralStatus.ACCEPTED: "受諾",
    ReferralStatus.COMPLETED: "完了",
    ReferralStatus.DECLINED: "辞退",
}


@dataclass(frozen=True)
class Referral:
    referral_id: UUID
    case_id: UUID
    external_expert_id: UUID
    status: ReferralStatus
    visits: int


def _status_name(status: ReferralStatus) -> str:
    return f"{STATUS_LABELS[status]}（{status.value}）"


def check_consent(consent_to_share: bool) -> None:
    if not consent_to_share:
        raise Conflict(
            "相談者が外部専門家との情報共有に同意していません。派遣依頼には同意が必要です"
            "（先に受付で同意を記録してください）",
            en="the client did not consent to sharing the case with external experts; "
            "a referral needs that consent (record it at intake first)",
            reason="no_consent",
        )


def check_use_not_stopped(use_stopped: bool) -> None:
    """A person who asked that their records' use be stopped is not shared outward."""
    if use_stopped:
        raise Conflict(
            "相談者の請求により、この相談者の記録の利用は停止されています。外部専門家への派遣"
            "依頼はできません（利用停止の解除は協議会の事務局が行います）",
            en="the client asked that their records' use be stopped; the case cannot be "
            "referred to external experts (a coordinator lifts the stop)",
            reason="use_stopped",
        )


def check_status_change(current: ReferralStatus, target: ReferralStatus) -> None:
    if target in NEXT[current]:
        return
    allowed = ", ".join(sorted(s.value for s in NEXT[current])) or "nothing (it is final)"
    allowed_ja = "・".join(_status_name(s) for s in sorted(NEXT[current])) or "なし（確定済み）"
    raise InvalidTransition(
        f"{_status_name(current)}の派遣依頼は{_status_name(target)}にできません。"
        f"可能な変更: {allowed_ja}",
        en=f"a referral that is {current.value} cannot become {target.value}; allowed: {allowed}",
        fields={"status": Message(f"{STATUS_LABELS[current]}からは変更できません", "not allowed")},
    )


def check_visit(status: ReferralStatus) -> None:
    if status is not ReferralStatus.ACCEPTED:
        raise InvalidTransition(
            f"訪問は派遣依頼が受諾されている間に記録します。この依頼は{_status_name(status)}です",
            en=f"visits are recorded while a referral is accepted; this one is {status.value}",
            fields={"visit": Message("受諾されている依頼だけに記録できます", "only when accepted")},
        )


def paid_visits(visits: int) -> int:
    """How many of the visits the national scheme pays for."""
    return min(visits, PAID_VISITS)


def refer(
    case: Case,
    external: ExternalExpert | None,
    external_expert_id: UUID,
    *,
    note: str | None,
    referral_id: UUID,
    at: datetime,
) -> Change:
    """Ask an external expert to help; needs the client's consent and a case being worked on."""
    check_use_not_stopped(case.use_stopped)
    check_consent(case.consent_to_share)
    check_working(case.state, Message("外部専門家への派遣依頼", "refer the case"))
    external = ensure_active_external(external, external_expert_id)
    requested = CaseReferred(
        case_id=case.case_id,
        referral_id=referral_id,
        external_expert_id=external.external_expert_id,
        status=ReferralStatus.REQUESTED,
        visits=0,
        changed_at=moment(case, at),
    )
    return Change.of(requested, Note(note=note))


def update(
    case: Case,
    referral: Referral | None,
    referral_id: UUID,
    *,
    status: ReferralStatus | None,
    visit: bool,
    note: str | None,
    at: datetime,
) -> Change:
    """Move a referral on (accepted, completed with what came of it, declined) or count a visit."""
    if visit == (status is not None):
        either = Message(
            "status か visit のどちらか一方を指定してください", "either status or visit"
        )
        raise Unprocessable(
            "状態（status）か訪問（visit: true）のどちらか一方を指定してください",
            en="give either a status or visit: true",
            fields={"status": either, "visit": either},
        )
    if referral is None:
        raise NotFound(
            f"この案件に派遣依頼（{referral_id}）はありません",
            en=f"no referral {referral_id} on case {case.case_id}",
        )
    visits, target = referral.visits, referral.status
    if status is None:
        check_visit(referral.status)
        visits += 1
    else:
        check_status_change(referral.status, status)
        if status is ReferralStatus.COMPLETED and not note:
            raise Unprocessable(
                "派遣を完了するときは、その結果を記入してください",
                en="say what came of the referral when completing it",
                fields={"note": Message("完了のときは必須です", "required when completing")},
            )
        target = status
    moved = CaseReferred(
        case_id=case.case_id,
        referral_id=referral.referral_id,
        external_expert_id=referral.external_expert_id,
        status=target,
        visits=visits,
        changed_at=moment(case, at),
    )
    return Change.of(moved, Note(note=note))
