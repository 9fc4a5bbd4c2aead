"""What routes take besides a body: the caller, and the query parameters several routes share."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query

from tosei_common.catalogue.resilience import PlanItemStatus
from tosei_common.platform.auth import current_principal
from tosei_common.platform.principal import Principal
from tosei_resilience.api.inputs import parse_owner_filter
from tosei_resilience.domain.plan import ItemFilter
from tosei_resilience.domain.reference import POLICY_AREA_CODE, SCENARIO_CODE

#: The authenticated caller; what they may do is for the handlers to decide.
Caller = Annotated[Principal, Depends(current_principal)]

AsOf = Annotated[
    str | None,
    Query(
        max_length=40,
        description="Show the plan as it stood then: a date (the end of that day, JST) such as "
        "2024/5/1 or 令和6年5月1日, or a moment such as 2024-05-01T10:00:00+09:00.",
    ),
]
MunicipalityFilter = Annotated[
    str | None,
    Query(
        max_length=40,
        description="Only this municipality's items (平内町, 023019), or 圏域全体 for the "
        "region's own.",
    ),
]


def item_filter(
    municipality: MunicipalityFilter = None,
    status: PlanItemStatus | None = None,
    risk_scenario: Annotated[str | None, Query(pattern=SCENARIO_CODE, max_length=5)] = None,
    policy_area: Annotated[str | None, Query(pattern=POLICY_AREA_CODE, max_length=40)] = None,
    funding_programme: UUID | None = None,
    include_retired: bool = False,
) -> ItemFilter:
    any_town, town = parse_owner_filter(municipality)
    return ItemFilter(
        any_municipality=any_town,
        municipality=town,
        status=status,
        risk_scenario=risk_scenario,
        policy_area=policy_area,
        funding_programme=funding_programme,
        include_retired=include_retired,
    )


Filter = Annotated[ItemFilter, Depends(item_filter)]
