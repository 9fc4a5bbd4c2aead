"""A person's request to see what caseflow holds about them (本人開示; coordinators)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from tosei_caseflow.api.responses import (
    CaseSummary,
    OutcomeItem,
    ReferralItem,
    SessionItem,
    TimelineItem,
)
from tosei_caseflow.domain.disclosure import CaseflowDisclosure, DisclosedCase
from tosei_caseflow.handlers.disclosure import disclose
from tosei_caseflow.handlers.reads import TimelineEntry
from tosei_common.platform.auth import current_principal
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime

Who = Annotated[Principal, Depends(current_principal)]


class TenureItem(BaseModel):
    """An expert's time with the case (assignment, then transfer)."""

    expert_id: UUID
    expert_name: str | None
    since: datetime
    until: datetime | None


class DisclosedCaseOut(BaseModel):
    case: CaseSummary
    experts: list[TenureItem] = Field(description="Every expert who had the case, in order.")
    timeline: list[TimelineItem] = Field(
        description="The whole history: states, assignments, transfers, sessions (minutes), "
        "referrals, outcomes, corrections and voids, with who did it and why."
    )
    sessions: list[SessionItem]
    referrals: list[ReferralItem]
    outcomes: list[OutcomeItem]
    confidential_notes_withheld: int = Field(
        description="How many confidential notes of experts this case has that are not shown."
    )

    @classmethod
    def of(cls, d: DisclosedCase, names: dict[UUID, str], shown: bool) -> DisclosedCaseOut:
        c = d.loaded
        return cls(
            case=CaseSummary.of(c.case),
            experts=[
                TenureItem(
                    expert_id=t.expert_id,
                    expert_name=names.get(t.expert_id),
                    since=t.since,
                    until=t.until,
                )
                for t in c.tenures
            ],
            timeline=[TimelineItem.of(TimelineEntry(row, shown)) for row in d.timeline],
            sessions=[
                SessionItem(**asdict(s), expert_name=names.get(s.expert_id)) for s in c.sessions
            ],
            referrals=[ReferralItem.of(r) for r in c.referrals],
            outcomes=[OutcomeItem(**asdict(o)) for o in c.outcomes],
            confidential_notes_withheld=d.confidential_withheld,
        )


class CaseflowDisclosureOut(BaseModel):
    """Everything caseflow holds about one person: their cases."""

    client_id: UUID = Field(description="The client the cases are filed under now.")
    confidential_notes_disclosed: bool = Field(
        description="Whether the experts' confidential notes are included (the council's "
        "setting TOSEI_DISCLOSE_CONFIDENTIAL_NOTES)."
    )
    confidential_notes_withheld: int
    withheld_because: str | None = Field(
        description="Why notes were withheld, when some were (the legal ground)."
    )
    cases: list[DisclosedCaseOut]

    @classmethod
    def of(cls, d: CaseflowDisclosure) -> CaseflowDisclosureOut:
        return cls(
            client_id=d.client_id,
            confidential_notes_disclosed=d.confidential_disclosed,
            confidential_notes_withheld=d.confidential_withheld,
            withheld_because=d.withheld_because,
            cases=[
                DisclosedCaseOut.of(c, d.expert_names, d.confidential_disclosed) for c in d.cases
            ],
        )


def router(runtime: Runtime) -> APIRouter:
    api = APIRouter(prefix="/clients/{client_id}", tags=["requests from the person"])

    @api.get(
        "/disclosure",
        summary="Every case of the person with its whole history (本人開示; coordinators); "
        "experts' confidential notes as the council's setting decides. Audited.",
    )
    async def disclosure(client_id: UUID, who: Who) -> CaseflowDisclosureOut:
        async with runtime.unit_of_work(who) as uow:
            found = await disclose(
                uow,
                who,
                client_id,
                confidential=runtime.settings.disclose_confidential_notes,
            )
        return CaseflowDisclosureOut.of(found)

    return api
