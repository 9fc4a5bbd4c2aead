"""One bundle of everything held about a person (本人開示), across the services that hold it:
intake's client record, caseflow's cases, the seminar's registrations found by the person's
contacts (registrants are nobody's clients). Pure assembling: the console calls the services,
this puts their answers together as one document.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from tosei_common.region.fiscal import TOKYO, japanese_date

TITLE = "保有個人情報開示"


class DisclosureBundle(BaseModel):
    """What the coordinator hands to the person: each service's own answer, as it gave it."""

    title: str = Field(default=TITLE)
    produced_at: datetime
    produced_on: str = Field(description="The day it was produced, in the era.")
    produced_by: str = Field(description="The coordinator who produced it.")
    client_id: UUID
    seminar_contacts: list[str] = Field(
        description="The e-mail addresses and phone numbers the seminar's records were "
        "searched by (the person's, as intake holds them, and any the person gave)."
    )
    intake: dict[str, Any] = Field(description="GET /clients/{id}/disclosure of intake.")
    caseflow: dict[str, Any] = Field(description="GET /clients/{id}/disclosure of caseflow.")
    seminar: dict[str, Any] = Field(description="GET /disclosure/registrants of the seminar.")


def contacts_to_search(
    intake: dict[str, Any], extra: Iterable[str] = ()
) -> tuple[list[str], list[str]]:
    """(e-mails, phones) to find the person's seminar registrations by: every one intake holds,
    and those the coordinator added (an address the person registered with elsewhere)."""
    emails = list(intake.get("emails") or [])
    phones = list(intake.get("phones") or [])
    for typed in extra:
        text = typed.strip()
        if not text:
            continue
        target = emails if "@" in text else phones
        if text not in target:
            target.append(text)
    return emails, phones


def merged_registrations(answers: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The seminar's answers for each contact as one: each registration once, oldest first."""
    seen: dict[str, dict[str, Any]] = {}
    for answer in answers:
        for registration in answer.get("registrations") or []:
            seen.setdefault(str(registration["registration_id"]), registration)
    ordered = sorted(seen.values(), key=lambda r: str(r.get("registered_at") or ""))
    return {"registrations": ordered}


def bundle(
    *,
    produced_at: datetime,
    produced_by: str,
    client_id: UUID,
    intake: dict[str, Any],
    caseflow: dict[str, Any],
    seminar: dict[str, Any],
    contacts: Sequence[str],
) -> DisclosureBundle:
    return DisclosureBundle(
        produced_at=produced_at,
        produced_on=japanese_date(produced_at.astimezone(TOKYO).date()),
        produced_by=produced_by,
        client_id=client_id,
        seminar_contacts=list(contacts),
        intake=intake,
        caseflow=caseflow,
        seminar=seminar,
    )
