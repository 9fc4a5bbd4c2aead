"""Bootstrap of the requests service: the towns' joint priority requests to the prefecture."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter

from tosei_common.catalogue.requests import (
    BriefingAgendaFixed,
    BriefingScheduled,
    RequestAdopted,
    RequestAnswered,
    RequestCarriedOver,
    RequestSubmitted,
)
from tosei_common.catalogue.resilience import PlanItemAdded, PlanItemRetired, PlanItemRevised
from tosei_common.platform.service import Runtime, ServiceSpec
from tosei_requests import metrics
from tosei_requests.api import (
    answers,
    books,
    briefings,
    carry_over,
    lists,
    plan_items,
    request_items,
)
from tosei_requests.db.personal_data import REGISTER as PERSONAL_DATA
from tosei_requests.domain import access
from tosei_requests.handlers.events import on_plan_item


def routers(runtime: Runtime) -> Sequence[APIRouter]:
    return [
        request_items.router(runtime),
        carry_over.router(runtime),
        briefings.router(runtime),
        books.router(runtime),
        answers.router(runtime),
        lists.router(runtime),
        plan_items.router(runtime),
    ]


SERVICE = ServiceSpec(
    name="requests",
    title="Tosei requests — 県への重点要望",
    description=(
        "The five towns' joint priority requests to Aomori Prefecture (重点事業要望): request "
        "items drafted by the towns and adopted into the joint list, the yearly briefing "
        "(重点事業説明会) with its agenda, the joint request book (要望書) as PDF and xlsx, the "
        "prefecture's answers, and each request's lineage across the years."
    ),
    migrations_package="tosei_requests.db.migrations",
    personal_data=PERSONAL_DATA,
    audit_readers=access.AUDIT_READERS,
    publishes=(
        RequestSubmitted,
        RequestAdopted,
        RequestAnswered,
        RequestCarriedOver,
        BriefingScheduled,
        BriefingAgendaFixed,
    ),
    handlers={
        PlanItemAdded: on_plan_item,
        PlanItemRevised: on_plan_item,
        PlanItemRetired: on_plan_item,
    },
    # Everything but the plan-item copy is a record of commands (their events carry no text,
    # so they could not rebuild it); replay copies these and rebuilds the copy from the topic.
    replay_keeps=(
        "departments",
        "request_years",
        "request_items",
        "briefings",
        "answers",
        "audit_log",
    ),
    routers=routers,
    setup_metrics=metrics.RequestMetrics,
    refresh_metrics=metrics.refresh,
)
