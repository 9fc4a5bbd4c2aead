"""The seminar service's HTTP API: one router per resource."""

from __future__ import annotations

from fastapi import APIRouter

from tosei_common.platform.service import Runtime
from tosei_seminar.api import (
    budget,
    disclosure,
    places,
    registrants,
    registrations,
    reports,
    rotation,
    seminars,
    speakers,
    venues,
)


def routers(rt: Runtime) -> list[APIRouter]:
    return [
        rotation.router(rt),
        seminars.router(rt),
        speakers.router(rt),
        venues.router(rt),
        places.router(rt),
        budget.router(rt),
        registrations.router(rt),
        registrants.router(rt),
        reports.router(rt),
        disclosure.router(rt),
    ]
