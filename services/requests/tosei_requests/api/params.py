"""Path and query parameters the routers share (fiscal years and towns typed any usual way)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from pydantic import BeforeValidator

from tosei_common.region.inputs import FiscalYear
from tosei_requests.api.requests import FIRST_YEAR, town_code

YearPath = Annotated[
    int,
    FiscalYear(first=FIRST_YEAR, last=2100),
    Path(description="Fiscal year: 2020, FY2020, 2020年度, 令和2年度 or R2."),
]
YearQuery = Annotated[
    int | None,
    FiscalYear(first=FIRST_YEAR, last=2100),
    Query(description="Fiscal year: 2020, FY2020, 2020年度, 令和2年度 or R2."),
]
TownQuery = Annotated[
    str | None,
    BeforeValidator(town_code),
    Query(max_length=40, description="Only this town's requests (青森市, 外ケ浜町, 023019)."),
]
