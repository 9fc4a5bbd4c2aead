"""The top page: where each person starts."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

from tosei_common.platform.service import Runtime
from tosei_console.api.pages import Signed
from tosei_console.domain.menu import home_for


def router(_: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/")
    async def home(who: Signed) -> RedirectResponse:
        return RedirectResponse(home_for(who.account.role), status_code=303)

    return routes
