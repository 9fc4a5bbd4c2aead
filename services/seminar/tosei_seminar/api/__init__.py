"""The seminar service's HTTP API."""

from __future__ import annotations

from fastapi import APIRouter

from tosei_common.platform.service import Runtime
from tosei_seminar.api.registrations import registration_routes
from tosei_seminar.api.reports import report_routes
from tosei_seminar.api.rotation import rotation_routes
from tosei_seminar.api.seminars import seminar_routes


def routers(rt: Runtime) -> list[APIRouter]:
    return [
        rotation_routes(rt),
        seminar_routes(rt),
        *registration_routes(rt),
        report_routes(rt),
    ]
