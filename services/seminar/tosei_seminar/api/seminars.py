"""Seminars: the coordinators plan them; anyone reads the published ones."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response

from tosei_common.platform.auth import Principal
from tosei_common.platform.service import Runtime
from tosei_common.region.municipalities import municipality
from tosei_seminar.api import shapes
from tosei_seminar.api.deps import is_staff, manage, optional_principal, schedule_of
from tosei_seminar.api.models import (
    BudgetLineIn,
    BudgetLinePatch,
    ChooseVenueIn,
    OnlineIn,
    SeminarIn,
    SeminarPatch,
    SiteIn,
    SitePatch,
    SpeakerIn,
    StateIn,
    VenueIn,
)
from tosei_seminar.handlers import seminars as commands
from tosei_seminar.handlers import views


def seminar_routes(rt: Runtime) -> APIRouter:
    router = APIRouter(prefix="/seminars", tags=["seminars"])

    async def detail(seminar_id: UUID, who: Principal | None) -> dict[str, Any]:
        staff = is_staff(who)
        return shapes.seminar_detail(
            await views.seminar_detail(rt, seminar_id, staff=staff), staff=staff
        )

    @router.get("", summary="Seminars: the published ones, or all of them for staff")
    async def list_seminars(
        who: Principal | None = Depends(optional_principal),
    ) -> dict[str, Any]:
        rows = await views.seminars(rt, staff=is_staff(who))
        return {"seminars": [shapes.seminar_summary(s) for s in rows]}

    @router.post("", status_code=201, summary="Plan the seminar of a fiscal year")
    async def create(body: SeminarIn, who: Principal = Depends(manage)) -> dict[str, Any]:
        when = schedule_of(body, body.fiscal_year)
        seminar_id = await commands.create_seminar(
            rt, body.fiscal_year, body.title, when, who.actor
        )
        return await detail(seminar_id, who)

    @router.get("/{seminar_id}", summary="A seminar (staff also see fees, candidates, budget)")
    async def read(
        seminar_id: UUID, who: Principal | None = Depends(optional_principal)
    ) -> dict[str, Any]:
        return await detail(seminar_id, who)

    @router.patch("/{seminar_id}", summary="Change the title or the date and times")
    async def update(
        seminar_id: UUID, body: SeminarPatch, who: Principal = Depends(manage)
    ) -> dict[str, Any]:
        current = (await views.seminar_detail(rt, seminar_id, staff=True)).seminar
        await commands.update_seminar(
            rt,
            seminar_id,
            title=body.title,
            when=schedule_of(body, current.fiscal_year),
            actor=who.actor,
        )
        return await detail(seminar_id, who)

    @router.post("/{seminar_id}/state", summary="Move the seminar along its states")
    async def change_state(
        seminar_id: UUID, body: StateIn, who: Principal = Depends(manage)
    ) -> dict[str, Any]:
        await commands.change_state(rt, seminar_id, body.state, body.reason, who.actor)
        return await detail(seminar_id, who)

    @router.post("/{seminar_id}/speakers", status_code=201, summary="Add a speaker")
    async def add_speaker(
        seminar_id: UUID, body: SpeakerIn, who: Principal = Depends(manage)
    ) -> dict[str, Any]:
        speaker_id = await commands.add_speaker(
            rt,
            seminar_id,
            name=body.name,
            affiliation=body.affiliation,
            profession=body.profession,
            keynote=body.keynote,
            fee=body.fee,
            actor=who.actor,
        )
        return {"id": str(speaker_id)}

    @router.delete("/{seminar_id}/speakers/{speaker_id}", status_code=204)
    async def remove_speaker(
        seminar_id: UUID, speaker_id: UUID, who: Principal = Depends(manage)
    ) -> Response:
        await commands.remove_speaker(rt, seminar_id, speaker_id, who.actor)
        return Response(status_code=204)

    @router.post("/{seminar_id}/venues", status_code=201, summary="Add a candidate venue")
    async def add_venue(
        seminar_id: UUID, body: VenueIn, who: Principal = Depends(manage)
    ) -> dict[str, Any]:
        venue_id = await commands.add_venue(
            rt,
            seminar_id,
            name=body.name,
            town=municipality(body.municipality),
            capacity=body.capacity,
            fee=body.fee,
            actor=who.actor,
        )
        return {"id": str(venue_id)}

    @router.delete("/{seminar_id}/venues/{venue_id}", status_code=204)
    async def remove_venue(
        seminar_id: UUID, venue_id: UUID, who: Principal = Depends(manage)
    ) -> Response:
        await commands.remove_venue(rt, seminar_id, venue_id, who.actor)
        return Response(status_code=204)

    @router.put("/{seminar_id}/venue", summary="Choose the main venue among the candidates")
    async def choose_venue(
        seminar_id: UUID, body: ChooseVenueIn, who: Principal = Depends(manage)
    ) -> dict[str, Any]:
        await commands.choose_venue(rt, seminar_id, body.venue_id, who.actor)
        return await detail(seminar_id, who)

    @router.get(
        "/{seminar_id}/venue-recommendation",
        summary="The smallest candidate venue that fits the expected audience, and why",
    )
    async def recommend_venue(
        seminar_id: UUID,
        no_show_rate: float = Query(default=0.1, ge=0, le=0.9, description="0.1 = 10%"),
        margin: float = Query(default=0.1, ge=0, le=1, description="Spare seats, 0.1 = 10%"),
        expected_turnout: int | None = Query(
            default=None,
            ge=0,
            le=100_000,
            description="Expected registrations for the main venue; default: those so far.",
        ),
        _: Principal = Depends(manage),
    ) -> dict[str, Any]:
        result = await views.venue_recommendation(
            rt,
            seminar_id,
            no_show_rate=no_show_rate,
            margin=margin,
            expected_turnout=expected_turnout,
        )
        return shapes.recommendation(result)

    @router.put("/{seminar_id}/online", summary="The stream for the other towns and its seats")
    async def set_online(
        seminar_id: UUID, body: OnlineIn, who: Principal = Depends(manage)
    ) -> dict[str, Any]:
        await commands.set_online(
            rt, seminar_id, stream_url=body.stream_url, capacity=body.capacity, actor=who.actor
        )
        return await detail(seminar_id, who)

    @router.post("/{seminar_id}/sites", status_code=201, summary="Add a viewing site in a town")
    async def add_site(
        seminar_id: UUID, body: SiteIn, who: Principal = Depends(manage)
    ) -> dict[str, Any]:
        site_id = await commands.add_site(
            rt,
            seminar_id,
            name=body.name,
            town=municipality(body.municipality),
            capacity=body.capacity,
            actor=who.actor,
        )
        return {"id": str(site_id)}

    @router.patch("/{seminar_id}/sites/{site_id}", summary="Rename a site or change its seats")
    async def change_site(
        seminar_id: UUID, site_id: UUID, body: SitePatch, who: Principal = Depends(manage)
    ) -> dict[str, Any]:
        await commands.change_site(
            rt, seminar_id, site_id, name=body.name, capacity=body.capacity, actor=who.actor
        )
        return await detail(seminar_id, who)

    @router.delete("/{seminar_id}/sites/{site_id}", status_code=204)
    async def remove_site(
        seminar_id: UUID, site_id: UUID, who: Principal = Depends(manage)
    ) -> Response:
        await commands.remove_site(rt, seminar_id, site_id, who.actor)
        return Response(status_code=204)

    @router.post("/{seminar_id}/budget", status_code=201, summary="Add a budget line")
    async def add_budget_line(
        seminar_id: UUID, body: BudgetLineIn, who: Principal = Depends(manage)
    ) -> dict[str, Any]:
        line_id = await commands.save_budget_line(
            rt,
            seminar_id,
            None,
            category=body.category,
            item=body.item,
            planned=body.planned,
            actual=body.actual,
            clear_actual=False,
            actor=who.actor,
        )
        return {"id": str(line_id)}

    @router.patch("/{seminar_id}/budget/{line_id}", summary="Change a budget line")
    async def change_budget_line(
        seminar_id: UUID, line_id: UUID, body: BudgetLinePatch, who: Principal = Depends(manage)
    ) -> dict[str, Any]:
        await commands.save_budget_line(
            rt,
            seminar_id,
            line_id,
            category=body.category,
            item=body.item,
            planned=body.planned,
            actual=body.actual,
            clear_actual="actual" in body.model_fields_set and body.actual is None,
            actor=who.actor,
        )
        return {"id": str(line_id)}

    @router.delete("/{seminar_id}/budget/{line_id}", status_code=204)
    async def remove_budget_line(
        seminar_id: UUID, line_id: UUID, who: Principal = Depends(manage)
    ) -> Response:
        await commands.remove_budget_line(rt, seminar_id, line_id, who.actor)
        return Response(status_code=204)

    return router
