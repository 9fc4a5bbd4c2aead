"""HTTP: what is recorded on a case: sessions, referrals to external experts, outcomes."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends

from tosei_caseflow.api.requests import (
    NewOutcome,
    NewReferral,
    NewSession,
    ReferralUpdate,
    Voiding,
)
from tosei_caseflow.api.responses import OutcomeCreated, ReferralCreated, SessionCreated
from tosei_caseflow.handlers import cases, referrals
from tosei_common.platform.auth import current_principal
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime

Who = Annotated[Principal, Depends(current_principal)]


def router(runtime: Runtime) -> APIRouter:
    api = APIRouter(prefix="/cases/{case_id}", tags=["cases"])

    @api.post("/sessions", status_code=201, summary="Record a meeting with the client")
    async def session(case_id: UUID, body: NewSession, who: Who) -> SessionCreated:
        async with runtime.unit_of_work(who) as uow:
            session_id = await cases.record_session(uow, who, case_id, body.session())
        return SessionCreated(session_id=session_id)

    @api.post("/referrals", status_code=201, summary="Refer to an external expert")
    async def refer(case_id: UUID, body: NewReferral, who: Who) -> ReferralCreated:
        async with runtime.unit_of_work(who) as uow:
            referral_id = await referrals.refer(
                uow, who, case_id, body.external_expert_id, body.note
            )
        return ReferralCreated(referral_id=referral_id)

    @api.post(
        "/referrals/{referral_id}",
        status_code=204,
        summary="Move a referral on, or count a visit of the external expert",
    )
    async def update_referral(
        case_id: UUID, referral_id: UUID, body: ReferralUpdate, who: Who
    ) -> None:
        async with runtime.unit_of_work(who) as uow:
            await referrals.update_referral(
                uow,
                who,
                case_id,
                referral_id,
                status=body.status,
                visit=body.visit,
                note=body.note,
            )

    @api.post("/outcomes", status_code=201, summary="Record what the support achieved")
    async def outcome(case_id: UUID, body: NewOutcome, who: Who) -> OutcomeCreated:
        async with runtime.unit_of_work(who) as uow:
            outcome_id = await cases.record_outcome(uow, who, case_id, body.outcome())
        return OutcomeCreated(outcome_id=outcome_id)

    @api.post(
        "/sessions/{session_id}/void",
        status_code=204,
        summary="Void a session recorded by mistake (kept on the timeline, out of every count)",
    )
    async def void_session(case_id: UUID, session_id: UUID, body: Voiding, who: Who) -> None:
        async with runtime.unit_of_work(who) as uow:
            await cases.void_session(uow, who, case_id, session_id, body.reason)

    @api.post(
        "/outcomes/{outcome_id}/void",
        status_code=204,
        summary="Void an outcome recorded by mistake (then record the right one)",
    )
    async def void_outcome(case_id: UUID, outcome_id: UUID, body: Voiding, who: Who) -> None:
        async with runtime.unit_of_work(who) as uow:
            await cases.void_outcome(uow, who, case_id, outcome_id, body.reason)

    return api
