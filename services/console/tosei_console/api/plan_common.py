"""What the plan's screens share: the service's lists, the choices a form offers, downloads."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi.responses import Response

from tosei_common.catalogue import labels
from tosei_common.catalogue.resilience import FundingCondition, PlanItemStatus, RetirementReason
from tosei_common.platform.principal import Role
from tosei_common.region.fiscal import fiscal_year_label
from tosei_common.region.municipalities import REGION
from tosei_console.api.pages import Visitor
from tosei_console.domain.plan_forms import REGION as REGION_NAME
from tosei_console.domain.plan_words import PlanLists
from tosei_console.upstream import Answer

SERVICE = "resilience"
#: Who changes plan items (which ones: the service says, item by item).
EDITORS = (Role.MUNICIPALITY, Role.COORDINATOR)
#: The answer's headers a download passes on as the service sent them.
PASSED_ON = ("content-type", "content-disposition")
FIRST_YEAR = 2018  # a few years before the plan (令和2年12月), for items that began earlier


async def plan_lists(who: Visitor) -> PlanLists:
    goals, areas, programmes = await asyncio.gather(
        who.services.get(SERVICE, "/risk-scenarios"),
        who.services.get(SERVICE, "/policy-areas"),
        who.services.get(SERVICE, "/funding-programmes"),
    )
    return PlanLists.of(
        goals.body if goals.ok else None,
        areas.body if areas.ok else None,
        programmes.body if programmes.ok else None,
    )


def choices(who: Visitor, lists: PlanLists) -> dict[str, Any]:
    """The options of the plan's forms and filters, in Japanese."""
    this_year = who.runtime.clock.fiscal_year()
    years = [(str(y), fiscal_year_label(y)) for y in range(FIRST_YEAR, this_year + 11)]
    return {
        "lists": lists,
        "towns": [(m.code, m.name) for m in REGION] + [(REGION_NAME, REGION_NAME)],
        "years": years,
        "statuses": [
            (s.value, labels.PLAN_ITEM_STATUS[s]) for s in PlanItemStatus if s.value != "retired"
        ],
        "all_statuses": [(s.value, labels.PLAN_ITEM_STATUS[s]) for s in PlanItemStatus],
        "retirements": [
            (r.value, labels.RETIREMENT_REASON[r])
            for r in (
                RetirementReason.COMPLETED,
                RetirementReason.ABOLISHED,
                RetirementReason.OTHER,
            )
        ],
        "conditions": [(c.value, labels.FUNDING_CONDITION[c]) for c in FundingCondition],
        "may_edit": who.account.role in EDITORS,
        "is_coordinator": who.account.role is Role.COORDINATOR,
        "own_town": who.account.municipality,
    }


def own_town(who: Visitor) -> str:
    """An officer's town (their form's default 実施主体); blank for anyone else."""
    return who.account.municipality or "" if who.account.role is Role.MUNICIPALITY else ""


def download(answer: Answer) -> Response:
    """The service's file as it sent it: its bytes, content type and file name."""
    headers = {k: v for k, v in answer.headers.items() if k.lower() in PASSED_ON}
    return Response(answer.body, headers=headers)
