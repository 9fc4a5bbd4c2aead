"""HTTP: /plan-imports — the plan's history from the coordinators' spreadsheet, dry run first."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, File, Header, Query, UploadFile

from tosei_common.platform.errors import preferred_language
from tosei_common.platform.service import Runtime
from tosei_common.region.sheet_import import MAX_SHEET_BYTES, upload_name
from tosei_resilience.api.parameters import Caller
from tosei_resilience.api.responses.imports import PlanImportOut, plan_import
from tosei_resilience.handlers.plan_imports import import_upload


def router(runtime: Runtime) -> APIRouter:
    r = APIRouter(prefix="/plan-imports", tags=["history import"])

    @r.post(
        "",
        summary="Import the plan's history (CSV in UTF-8 or Shift_JIS, or .xlsx), dry run first",
        description=(
            "One row per decision: 種別 (策定・追加・改定・廃止), 決定日, 事業番号, 理由 and the "
            "item's columns as the plan's export names them. Every row is checked first; the "
            "report lists, by line, what would be recorded per fiscal year and every refused row "
            "with the column at fault. With `dry_run=true` nothing is written. Otherwise one "
            "refused row refuses the whole file (422, the rows in `rejected`); a good file is "
            "recorded with each revision dated on its decision day and marked as imported. "
            "Coordinators only."
        ),
    )
    async def import_history(
        file: Annotated[UploadFile, File(description="The plan's history: one sheet.")],
        who: Caller,
        dry_run: Annotated[bool, Query(description="Check and report; write nothing.")] = False,
        accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
    ) -> PlanImportOut:
        data = await file.read(MAX_SHEET_BYTES + 1)
        result = await import_upload(
            partial(runtime.unit_of_work, who),
            who,
            upload_name(file.filename, "plan-history.csv"),
            data,
            dry_run=dry_run,
        )
        return plan_import(result, preferred_language(accept_language))

    return r
