"""The places the other towns watch from: the stream with its online seats, and the viewing
sites (coordinators)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response

from tosei_common.platform.auth import current_principal
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime
from tosei_common.region.municipalities import municipality
from tosei_seminar.api.requests import OnlineIn, SiteIn, SitePatch
from tosei_seminar.api.responses.common import Created
from tosei_seminar.api.responses.seminars import SeminarOut
from tosei_seminar.api.seminars import shown
from tosei_seminar.handlers import places as commands

Who = Annotated[Principal, Depends(current_principal)]


def router(rt: Runtime) -> APIRouter:
    api = APIRouter(prefix="/seminars/{seminar_id}", tags=["seminars"])

    @api.put("/online", summary="The stream for the other towns and its seats")
    async def set_online(seminar_id: UUID, body: OnlineIn, who: Who) -> SeminarOut:
        async with rt.unit_of_work(who) as uow:
            await commands.put_online(
                uow, who, seminar_id, stream_url=body.stream_url, capacity=body.capacity
            )
        return await shown(rt, who, seminar_id)

    @api.post("/sites", status_code=201, summary="Add a viewing site in a town")
    async def add_site(seminar_id: UUID, body: SiteIn, who: Who) -> Created:
        async with rt.unit_of_work(who) as uow:
            site_id = await commands.add(
                uow,
                who,
                seminar_id,
                name=body.name,
                town=municipality(body.municipality),
                capacity=body.capacity,
            )
        return Created(id=str(site_id))

    @api.patch("/sites/{site_id}", summary="Rename a site or change its seats")
    async def change_site(seminar_id: UUID, site_id: UUID, body: SitePatch, who: Who) -> SeminarOut:
        async with rt.unit_of_work(who) as uow:
            await commands.change(
                uow, who, seminar_id, site_id, name=body.name, capacity=body.capacity
            )
        return await shown(rt, who, seminar_id)

    @api.delete("/sites/{site_id}", status_code=204, summary="Remove a viewing site")
    async def remove_site(seminar_id: UUID, site_id: UUID, who: Who) -> Response:
        async with rt.unit_of_work(who) as uow:
            await commands.remove(uow, who, seminar_id, site_id)
        return Response(status_code=204)

    return api
