"""A seminar's speakers (coordinators)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response

from tosei_common.platform.auth import current_principal
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime
from tosei_seminar.api.requests import SpeakerIn
from tosei_seminar.api.responses.common import Created
from tosei_seminar.handlers import speakers as commands

Who = Annotated[Principal, Depends(current_principal)]


def router(rt: Runtime) -> APIRouter:
    api = APIRouter(prefix="/seminars/{seminar_id}/speakers", tags=["seminars"])

    @api.post("", status_code=201, summary="Add a speaker")
    async def add_speaker(seminar_id: UUID, body: SpeakerIn, who: Who) -> Created:
        async with rt.unit_of_work(who) as uow:
            speaker_id = await commands.add(
                uow,
                who,
                seminar_id,
                name=body.name,
                affiliation=body.affiliation,
                profession=body.profession,
                keynote=body.keynote,
                fee=body.fee,
                talk_title=body.talk_title,
            )
        return Created(id=str(speaker_id))

    @api.delete("/{speaker_id}", status_code=204, summary="Remove a speaker")
    async def remove_speaker(seminar_id: UUID, speaker_id: UUID, who: Who) -> Response:
        async with rt.unit_of_work(who) as uow:
            await commands.remove(uow, who, seminar_id, speaker_id)
        return Response(status_code=204)

    return api
