"""HTTP: a year's answers from the prefecture with the summary per year and per town (public once
the year's request book is published)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from tosei_common.platform.auth import optional_principal
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime
from tosei_requests.api.params import YearPath
from tosei_requests.api.responses import AnswersOut
from tosei_requests.handlers import reads

Anyone = Annotated[Principal | None, Depends(optional_principal)]


def router(runtime: Runtime) -> APIRouter:
    r = APIRouter(prefix="/answers", tags=["answers"])

    @r.get("/{fiscal_year}", summary="The year's answers, with the summary per year and per town")
    async def year_answers(fiscal_year: YearPath, who: Anyone) -> AnswersOut:
        async with runtime.reading() as conn:
            return AnswersOut.of(await reads.answers(conn, who, fiscal_year))

    return r
