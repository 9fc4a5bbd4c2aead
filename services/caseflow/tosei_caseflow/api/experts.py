"""HTTP: the registries of experts and external experts."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends

from tosei_caseflow.api.schemas import ExpertChange, NewExpert, NewExternalExpert
from tosei_caseflow.db import queries
from tosei_caseflow.handlers import experts
from tosei_common.platform.auth import Principal, Role, require
from tosei_common.platform.service import Runtime

READERS = (Role.DESK, Role.COORDINATOR, Role.AUDITOR, Role.EXPERT)


def routes(rt: Runtime) -> APIRouter:
    router = APIRouter(tags=["experts"])

    @router.post("/experts", status_code=201, summary="Register a support expert (支援人材)")
    async def register(
        body: NewExpert, who: Principal = Depends(require(Role.COORDINATOR))
    ) -> dict[str, str]:
        expert_id = await experts.register_expert(
            rt,
            who,
            name=body.name,
            track=body.track,
            specialities=body.specialities,
            weekly_capacity=body.weekly_capacity,
        )
        return {"expert_id": str(expert_id)}

    @router.get("/experts", summary="Experts with their open load")
    async def list_experts(_: Principal = Depends(require(*READERS))) -> dict[str, Any]:
        async with rt.pool.acquire() as conn:
            rows = await queries.experts_with_load(conn)
        return {
            "experts": [
                {
                    "expert_id": str(r["expert_id"]),
                    "name": r["name"],
                    "track": r["track"],
                    "specialities": list(r["specialities"]),
                    "weekly_capacity": r["weekly_capacity"],
                    "open_load": r["open_load"],
                    "active": r["active"],
                }
                for r in rows
            ]
        }

    @router.patch("/experts/{expert_id}", status_code=204, summary="Change an expert's details")
    async def change(
        expert_id: UUID, body: ExpertChange, who: Principal = Depends(require(Role.COORDINATOR))
    ) -> None:
        await experts.change_expert(
            rt,
            who,
            expert_id,
            track=body.track,
            specialities=body.specialities,
            weekly_capacity=body.weekly_capacity,
            active=body.active,
        )

    @router.post(
        "/external-experts", status_code=201, summary="Register an external expert of the network"
    )
    async def register_external(
        body: NewExternalExpert, who: Principal = Depends(require(Role.COORDINATOR))
    ) -> dict[str, str]:
        external_id = await experts.register_external_expert(
            rt, who, name=body.name, organisation=body.organisation, speciality=body.speciality
        )
        return {"external_expert_id": str(external_id)}

    @router.get("/external-experts", summary="External experts of the nationwide network")
    async def list_external(_: Principal = Depends(require(*READERS))) -> dict[str, Any]:
        async with rt.pool.acquire() as conn:
            rows = await queries.external_experts(conn)
        return {
            "external_experts": [
                {
                    "external_expert_id": str(r["external_expert_id"]),
                    "name": r["name"],
                    "organisation": r["organisation"],
                    "speciality": r["speciality"],
                    "active": r["active"],
                }
                for r in rows
            ]
        }

    return router
