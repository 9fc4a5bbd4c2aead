"""HTTP: the registries of the desk's experts and the network's external experts."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends

from tosei_caseflow.api.requests import ExpertChange, NewExpert, NewExternalExpert
from tosei_caseflow.api.responses import (
    ExpertCreated,
    ExpertItem,
    Experts,
    ExternalExpertCreated,
    ExternalExpertItem,
    ExternalExperts,
)
from tosei_caseflow.handlers import experts, reads
from tosei_common.platform.auth import current_principal
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime

Who = Annotated[Principal, Depends(current_principal)]


def router(runtime: Runtime) -> APIRouter:
    api = APIRouter(tags=["experts"])

    @api.post("/experts", status_code=201, summary="Register a support expert (支援人材)")
    async def register(body: NewExpert, who: Who) -> ExpertCreated:
        async with runtime.unit_of_work(who) as uow:
            expert_id = await experts.register_expert(
                uow,
                who,
                name=body.name,
                track=body.track,
                specialities=body.specialities,
                weekly_capacity=body.weekly_capacity,
                pseudonym_secret=runtime.settings.pseudonym_secret,
            )
        return ExpertCreated(expert_id=expert_id)

    @api.get("/experts", summary="Experts with their open load")
    async def list_experts(who: Who) -> Experts:
        async with runtime.reading() as conn:
            found = await reads.experts(conn, who)
        return Experts(experts=[ExpertItem.of(e) for e in found])

    @api.patch("/experts/{expert_id}", status_code=204, summary="Change an expert's details")
    async def change(expert_id: UUID, body: ExpertChange, who: Who) -> None:
        async with runtime.unit_of_work(who) as uow:
            await experts.change_expert(uow, who, expert_id, body.changes())

    @api.post(
        "/external-experts", status_code=201, summary="Register an external expert of the network"
    )
    async def register_external(body: NewExternalExpert, who: Who) -> ExternalExpertCreated:
        async with runtime.unit_of_work(who) as uow:
            external_id = await experts.register_external_expert(
                uow, who, name=body.name, organisation=body.organisation, speciality=body.speciality
            )
        return ExternalExpertCreated(external_expert_id=external_id)

    @api.get("/external-experts", summary="External experts of the nationwide network")
    async def list_external(who: Who) -> ExternalExperts:
        async with runtime.reading() as conn:
            found = await reads.external_experts(conn, who)
        return ExternalExperts(external_experts=[ExternalExpertItem.of(x) for x in found])

    return api
