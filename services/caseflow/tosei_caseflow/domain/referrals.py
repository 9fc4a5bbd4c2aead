"""Referrals to external experts of the nationwide network."""

from __future__ import annotations

from tosei_common.catalogue.caseflow import ReferralStatus
from tosei_common.platform.errors import Conflict, InvalidTransition

#: National schemes of this kind pay for up to three visits of an external expert per case.
PAID_VISITS = 3

NEXT: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    ReferralStatus.REQUESTED: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.DECLINED}),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.COMPLETED, ReferralStatus.DECLINED}),
    ReferralStatus.COMPLETED: frozenset(),
    ReferralStatus.DECLINED: frozenset(),
}


def check_consent(consent_to_share: bool) -> None:
    if not consent_to_share:
        raise Conflict(
            "the client did not consent to sharing the case with external experts; "
            "a referral needs that consent (record it at intake first)",
            reason="no_consent",
        )


def check_status_change(current: ReferralStatus, target: ReferralStatus) -> None:
    if target not in NEXT[current]:
        allowed = ", ".join(sorted(s.value for s in NEXT[current])) or "nothing (it is final)"
        raise InvalidTransition(
            f"a referral that is {current.value} cannot become {target.value}; allowed: {allowed}"
        )


def check_visit(status: ReferralStatus) -> None:
    if status is not ReferralStatus.ACCEPTED:
        raise InvalidTransition(
            f"visits are recorded while a referral is accepted; this one is {status.value}"
        )


def paid_visits(visits: int) -> int:
    """How many of the visits the national scheme pays for."""
    return min(visits, PAID_VISITS)
