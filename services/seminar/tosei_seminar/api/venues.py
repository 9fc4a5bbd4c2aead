"""Candidate venues, the choice of the main venue and the sizing advice (coordinators)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response

from tosei_common.platform.auth import current_principal
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime
from tosei_common.region.municipalities import municipality
from tosei_seminar.api.requests import ChooseVenueIn, VenueIn
from tosei_seminar.api.responses.common import Created
from tosei_seminar.api.responses.seminars import RecommendationOut, SeminarOut
from tosei_seminar.api.seminars import shown
from tosei_seminar.handlers import reads
from tosei_seminar.handlers import venues as commands

Who = Annotated[Principal, Depends(current_principal)]


def router(rt: Runtime) -> APIRouter:
    api = APIRouter(prefix="/seminars/{seminar_id}", tags=["seminars"])

    @api.post("/venues", status_code=201, summary="Add a candidate venue")
    async def add_venue(seminar_id: UUID, body: VenueIn, who: Who) -> Created:
        async with rt.unit_of_work(who) as uow:
            venue_id = await commands.add(
                uow,
                who,
                seminar_id,
                name=body.name,
                town=municipality(body.municipality),
                capacity=body.capacity,
                fee=body.fee,
            )
        return Created(id=str(venue_id))

    @api.delete("/venues/{venue_id}", status_code=204, summary="Remove a candidate venue")
    async def remove_venue(seminar_id: UUID, venue_id: UUID, who: Who) -> Response:
        async with rt.unit_of_work(who) as uow:
            await commands.remove(uow, who, seminar_id, venue_id)
        return Response(status_code=204)

    @api.put("/venue", summary="Choose the main venue among the candidates")
    async def choose_venue(seminar_id: UUID, body: ChooseVenueIn, who: Who) -> SeminarOut:
        async with rt.unit_of_work(who) as uow:
            await commands.choose(uow, who, seminar_id, body.venue_id)
        return await shown(rt, who, seminar_id)

    @api.get(
        "/venue-recommendation",
        summary="The smallest candidate venue that fits the expected audience, and why",
    )
    async def recommend_venue(
        seminar_id: UUID,
        who: Who,
        no_show_rate: Annotated[
            float | None,
            Query(
                ge=0,
                le=0.9,
                description="0.1 = 10%; default: last year's actual rate when sizing from last "
                "year, else 10%",
            ),
        ] = None,
        margin: Annotated[float, Query(ge=0, le=1, description="Spare seats, 0.1 = 10%")] = 0.1,
        expected_turnout: Annotated[
            int | None,
            Query(
                ge=1,
                le=100_000,
                description="Expected registrations for the main venue; default: those so far, "
                "or with none yet, last year's seminar's (else a 422 asks for it).",
            ),
        ] = None,
    ) -> RecommendationOut:
        async with rt.reading() as conn:
            found = await reads.venue_recommendation(
                conn,
                who,
                seminar_id,
                no_show_rate=no_show_rate,
                margin=margin,
                expected_turnout=expected_turnout,
            )
        return RecommendationOut.of(found)

    return api
