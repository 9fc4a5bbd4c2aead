"""What routes take besides a body: the caller, and the query and path parameters they share.

Dates are accepted as people type them (2024/5/1, 令和6年5月1日, 2024-05-01T10:00:00+09:00),
fiscal years as 2026, FY2026, 2026年度, 令和8年度 or R8, municipalities as 平内, 023019 or 圏域全体.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Path, Query

from tosei_common.catalogue.resilience import PlanItemStatus
from tosei_common.platform.auth import current_principal
from tosei_common.platform.errors import InputError, Message, Unprocessable
from tosei_common.platform.principal import Principal
from tosei_common.region.fiscal import TOKYO, parse_date
from tosei_common.region.inputs import FiscalYear, check_text
from tosei_resilience.api.requests import FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR
from tosei_resilience.domain.labels import owner_code
from tosei_resilience.domain.plan import ItemFilter
from tosei_resilience.domain.reference import POLICY_AREA_CODE, SCENARIO_CODE

#: The authenticated caller; what they may do is for the handlers to decide.
Caller = Annotated[Principal, Depends(current_principal)]

FiscalYearPath = Annotated[
    int,
    Path(description="The fiscal year: 2024, FY2024, 2024年度, 令和6年度 or R6."),
    FiscalYear(FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR),
]

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


def parse_owner_filter(text: str | None) -> tuple[bool, str | None]:
    """(any municipality, which): no filter, a town's code, or None for region items."""
    if text is None:
        return True, None
    try:
        return False, owner_code(text)
    except InputError as exc:
        raise _refused("municipality", exc.message) from exc


_EXAMPLES = "2024/5/1、令和6年5月1日、2024-05-01T10:00:00+09:00"


def parse_moment(text: str | None, field: str = "as_of") -> datetime | None:
    """A moment as typed: a date means the end of that day in Japan; a time without zone, JST."""
    if text is None:
        return None
    try:
        moment = _moment(check_text(text, max_length=40))
    except InputError as exc:
        raise _refused(field, exc.message) from exc
    except (ValueError, OverflowError) as exc:
        said = Message(
            f"「{text}」は日付や日時として読めません（例: {_EXAMPLES}）",
            f"{text!r} is not a date or a moment (e.g. 2024/5/1, 令和6年5月1日, "
            "2024-05-01T10:00:00+09:00)",
        )
        raise _refused(field, said) from exc
    if not FIRST_FISCAL_YEAR <= moment.year <= LAST_FISCAL_YEAR:
        raise _refused(
            field,
            Message(
                f"{FIRST_FISCAL_YEAR}年から{LAST_FISCAL_YEAR}年までの日付にしてください",
                f"a moment between {FIRST_FISCAL_YEAR} and {LAST_FISCAL_YEAR}",
            ),
        )
    return moment


def _moment(text: str) -> datetime:
    if "T" in text or ":" in text:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return moment if moment.tzinfo else moment.replace(tzinfo=TOKYO)
    day = parse_date(text)
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), TOKYO) - timedelta(
        microseconds=1
    )


def _refused(field: str, said: Message) -> Unprocessable:
    return Unprocessable(said.ja, en=said.en, fields={field: said})
