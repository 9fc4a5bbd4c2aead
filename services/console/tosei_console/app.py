"""Bootstrap of the console: the Japanese web console on the services' HTTP APIs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from tosei_common.platform.service import Runtime, ServiceSpec
from tosei_console import cli
from tosei_console.api import (
    audit,
    cases,
    check_in,
    clients,
    corrections,
    desk,
    disclosure,
    experts,
    handover,
    home,
    kpi,
    my_registration,
    oidc,
    plan,
    plan_changes,
    plan_funding,
    plan_reports,
    problems,
    public,
    request_answers,
    request_briefing,
    request_items,
    seminar_public,
    seminar_reports,
    seminars,
    signin,
)
from tosei_console.db.personal_data import REGISTER as PERSONAL_DATA
from tosei_console.handlers.accounts import first_coordinator
from tosei_console.handlers.rate_limits import forget_past_windows

STATIC = Path(__file__).resolve().parent / "static"


def routers(runtime: Runtime) -> Sequence[APIRouter]:
    return [
        signin.router(runtime),
        oidc.router(runtime),
        home.router(runtime),
        desk.router(runtime),
        cases.router(runtime),
        clients.router(runtime),
        corrections.router(runtime),
        disclosure.router(runtime),
        handover.router(runtime),
        experts.router(runtime),
        kpi.router(runtime),
        audit.router(runtime),
        # plan_changes before plan: /plan/items/new is not an item's id
        plan_changes.router(runtime),
        plan.router(runtime),
        plan_reports.router(runtime),
        plan_funding.router(runtime),
        request_items.router(runtime),
        request_briefing.router(runtime),
        request_answers.router(runtime),
        seminar_public.router(runtime),
        my_registration.router(runtime),
        seminars.router(runtime),
        check_in.router(runtime),
        seminar_reports.router(runtime),
    ]


def extend_app(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    signin.install_answers(app)
    problems.install_page_answers(app)
    public.install_answers(app)


SERVICE = ServiceSpec(
    name="console",
    title="Tosei console — 連携事業コンソール",
    description=(
        "The Japanese web console for the people of the consultation desk: desk staff, experts "
        "and the council's coordinators sign in and work through the services' HTTP APIs; the "
        "public registers for the seminar on its pages without an account. It owns only "
        "accounts and sessions, and the public pages' rate-limit counts."
    ),
    migrations_package="tosei_console.db.migrations",
    personal_data=PERSONAL_DATA,
    routers=routers,
    extend_app=extend_app,
    after_migrate=first_coordinator,
    housekeeping=forget_past_windows,
    commands=cli.add_commands,
)
