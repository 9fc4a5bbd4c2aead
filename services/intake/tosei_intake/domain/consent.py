"""Consent to share a case with external experts, given or withdrawn after the consultation.

The client may say yes later (a referral then goes through) or take it back; each change is
dated the day the client said so, kept with who recorded it, and announced to caseflow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from tosei_common.catalogue.intake import ConsentChanged
from tosei_common.platform.errors import Conflict, Message, Unprocessable
from tosei_common.region.fiscal import japanese_date, tokyo_date
from tosei_intake.domain.consultations import Consultation


@dataclass(frozen=True)
class ConsentChange:
    consent_to_share: bool
    given_on: date
    note: str | None


def change_consent(
    consultation: Consultation, change: ConsentChange, *, at: datetime, today: date
) -> ConsentChanged:
    """The change, if it says something new and is dated between the consultation and today."""
    consulted = tokyo_date(consultation.consulted_at)
    if change.given_on > today:
        raise Unprocessable(
            f"同意の日付（{japanese_date(change.given_on)}）が未来の日付です",
            en=f"given_on {change.given_on} is in the future",
            fields={"given_on": Message("今日以前の日付にしてください", "in the future")},
        )
    if change.given_on < consulted:
        raise Unprocessable(
            f"同意の日付（{japanese_date(change.given_on)}）が相談の受付日"
            f"（{japanese_date(consulted)}）より前です",
            en=f"given_on {change.given_on} is before the consultation ({consulted})",
            fields={
                "given_on": Message(
                    f"受付日（{japanese_date(consulted)}）以降の日付にしてください",
                    "before the consultation",
                )
            },
        )
    if change.consent_to_share == consultation.consent_to_share:
        state = "同意あり" if consultation.consent_to_share else "同意なし"
        raise Conflict(
            f"この相談はすでに「{state}」です。変更はありません",
            en="the consent is already so",
        )
    return ConsentChanged(
        case_id=consultation.id,
        consent_to_share=change.consent_to_share,
        given_on=change.given_on,
        changed_at=at,
    )
