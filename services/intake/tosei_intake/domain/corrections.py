"""Correcting what the desk got wrong in a consultation, with the reason, old → new kept.

What other services count (the town, the categories, the business's stage) is announced as
``consultation.corrected`` so caseflow's cases and figures follow; the channel and the description
stay in intake.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tosei_common.catalogue.intake import BusinessStage, Category, Channel, ConsultationCorrected
from tosei_common.platform.errors import Message, Unprocessable
from tosei_intake.domain.consultations import Consultation

#: The fields whose correction other services must hear of.
ANNOUNCED = ("municipality", "categories", "stage")


@dataclass(frozen=True)
class ConsultationCorrection:
    reason: str | None
    municipality: str | None = None  # six-digit code
    categories: tuple[Category, ...] | None = None
    stage: BusinessStage | None = None
    channel: Channel | None = None
    description: str | None = None
    # the person as given at this consultation (the client's own name and contacts, by which
    # they are recognised, are corrected on the client)
    person_name: str | None = None
    furigana: str | None = None
    phone: str | None = None
    email: str | None = None
    business_name: str | None = None


@dataclass(frozen=True)
class Corrected:
    consultation: Consultation
    changes: dict[str, dict[str, Any]]  # {"municipality": {"old": "022012", "new": "023078"}}
    event: ConsultationCorrected | None


def correct_consultation(
    consultation: Consultation, fix: ConsultationCorrection, *, at: datetime
) -> Corrected:
    """The consultation as corrected, what changed (old → new), and the event when a field
    other services count changed. A correction says why, and changes something."""
    if not fix.reason or not fix.reason.strip():
        raise Unprocessable(
            "訂正の理由を入力してください",
            en="say why it is corrected",
            fields={"reason": Message("訂正の理由を入力してください", "required")},
        )
    wanted = {
        "municipality": fix.municipality,
        "categories": fix.categories,
        "stage": fix.stage,
        "channel": fix.channel,
        "description": fix.description,
        "person_name": fix.person_name,
        "furigana": fix.furigana,
        "phone": fix.phone,
        "email": fix.email,
        "business_name": fix.business_name,
    }
    changes = {
        name: {"old": _plain(getattr(consultation, name)), "new": _plain(value)}
        for name, value in wanted.items()
        if value is not None and value != getattr(consultation, name)
    }
    if not changes:
        raise Unprocessable(
            "訂正する項目がありません（今の内容と同じです）",
            en="nothing to correct: the values are those on file",
        )
    corrected = replace(
        consultation,
        **{name: wanted[name] for name in changes},  # type: ignore[arg-type]
    )
    event = None
    if any(name in changes for name in ANNOUNCED):
        event = ConsultationCorrected(
            case_id=consultation.id,
            municipality=corrected.municipality,
            stage=corrected.stage,
            categories=list(corrected.categories),
            corrected_at=at,
        )
    return Corrected(corrected, changes, event)


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [str(v) for v in value]
    return str(value) if value is not None else None
