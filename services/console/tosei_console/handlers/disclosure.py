"""Gathering a person's disclosure (本人開示) from the services, as the signed-in coordinator:
intake's client record, caseflow's cases, the seminar's registrations by each contact."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from tosei_console.domain.disclosure import (
    DisclosureBundle,
    bundle,
    contacts_to_search,
    merged_registrations,
)
from tosei_console.upstream import Answer, Caller


async def gather(
    services: Caller, client_id: UUID, extra_contacts: Sequence[str], at: datetime
) -> DisclosureBundle | Answer:
    """The bundle, or the first refusal of a service (which the page shows as it is)."""
    intake = await services.get("intake", f"/clients/{client_id}/disclosure")
    if not intake.ok:
        return intake
    caseflow = await services.get("caseflow", f"/clients/{intake.body['client_id']}/disclosure")
    if not caseflow.ok:
        return caseflow
    emails, phones = contacts_to_search(intake.body, extra_contacts)
    answers = []
    for params in [{"email": e} for e in emails] + [{"phone": p} for p in phones]:
        found = await services.get("seminar", "/disclosure/registrants", **params)
        if not found.ok:
            return found
        answers.append(found.body)
    return bundle(
        produced_at=at,
        produced_by=services.who.name or services.who.actor,
        client_id=intake.body["client_id"],
        intake=intake.body,
        caseflow=caseflow.body,
        seminar=merged_registrations(answers),
        contacts=[*emails, *phones],
    )
