"""Bootstrap of the resilience service: the joint national-resilience plan (国土強靱化地域計画)."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter

from tosei_common.catalogue.resilience import (
    FundingProgrammeChanged,
    PlanItemAdded,
    PlanItemRetired,
    PlanItemRevised,
)
from tosei_common.platform.service import Runtime, ServiceSpec
from tosei_resilience import metrics
from tosei_resilience.api import feed, funding, lists, plan_imports, plan_items, reports
from tosei_resilience.cli import add_commands
from tosei_resilience.db.personal_data import REGISTER as PERSONAL_DATA
from tosei_resilience.domain import access


def resilience_service() -> ServiceSpec:
    """The service's spec; the runtime's clock dates every change (tests set it)."""

    def routers(runtime: Runtime) -> Sequence[APIRouter]:
        return [
            plan_items.router(runtime),
            plan_imports.router(runtime),
            funding.router(runtime),
            lists.router(runtime),
            reports.router(runtime),
            feed.router(runtime),
        ]

    return ServiceSpec(
        name="resilience",
        title="Tosei resilience — 国土強靱化地域計画",
        description=(
            "The five towns' joint national-resilience plan: plan items with their full revision "
            "history, the plan as it stood on any date, annual summaries of what changed, funding "
            "programmes whose changed conditions flag the items relying on them, a change feed "
            "with a bookmark per reader, and exports for council meetings."
        ),
        migrations_package="tosei_resilience.db.migrations",
        personal_data=PERSONAL_DATA,
        audit_readers=access.AUDIT_READERS,
        publishes=(PlanItemAdded, PlanItemRevised, PlanItemRetired, FundingProgrammeChanged),
        routers=routers,
        setup_metrics=metrics.PlanMetrics,
        refresh_metrics=metrics.refresh,
        commands=add_commands,
    )


SERVICE = resilience_service()
