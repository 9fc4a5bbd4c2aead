"""/consultations: register (opens a case), read, list, count, export for the council."""

from __future__ import annotations

import dataclasses
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from tosei_common.platform.auth import Principal
from tosei_common.platform.downloads import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    csv_download,
    xlsx_download,
)
from tosei_common.platform.service import Runtime
from tosei_intake.api import access
from tosei_intake.api.filters import Filters, consultation_filters
from tosei_intake.api.models import (
    ConsultationIn,
    ConsultationOut,
    ConsultationPage,
    CountRowOut,
    CountsOut,
    RegisteredOut,
    consultation_out,
)
from tosei_intake.domain.reports import EXPORT_HEADER, CountBy, export_row
from tosei_intake.handlers import reads
from tosei_intake.handlers.consultations import register_consultation
from tosei_intake.handlers.context import Intake


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


def consultation_router(runtime: Runtime) -> APIRouter:
    router = APIRouter(prefix="/consultations", tags=["consultations"])

    @router.post(
        "",
        status_code=201,
        summary="Register a consultation; it opens a case (case.opened)",
    )
    async def register(
        body: ConsultationIn, who: Principal = Depends(access.register)
    ) -> RegisteredOut:
        done = await register_consultation(
            Intake.of(runtime), body.consultation(runtime.clock.now()), actor=who.actor
        )
        return RegisteredOut(
            id=done.consultation_id,
            client_id=done.client_id,
            client_created=done.client_created,
            by=who.actor,
        )

    @router.get("", summary="Consultations, newest first (an expert: their own cases)")
    async def list_consultations(
        filters: Filters = Depends(consultation_filters),
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
        who: Principal = Depends(access.read_case),
    ) -> ConsultationPage:
        where = dataclasses.replace(filters.where, expert_id=access.own_cases_only(who))
        total, rows = await reads.consultations(
            Intake.of(runtime), where, limit=limit, offset=offset
        )
        return ConsultationPage(
            total=total, limit=limit, offset=offset, items=[consultation_out(r) for r in rows]
        )

    @router.get("/counts", summary="Consultations per day, municipality or category")
    async def counts(
        by: CountBy,
        filters: Filters = Depends(consultation_filters),
        _: Principal = Depends(access.read_all),
    ) -> CountsOut:
        total, rows = await reads.counts(Intake.of(runtime), by, filters.where)
        return CountsOut(
            by=by.value,
            period=filters.period.label,
            total=total,
            rows=[CountRowOut(key=r.key, label=r.label, count=r.count) for r in rows],
        )

    @router.get(
        "/export",
        summary="The consultation list for the council (CSV for Japanese Excel, or .xlsx)",
        response_class=Response,
        responses={
            200: {"content": {CSV_MEDIA_TYPE: {}, XLSX_MEDIA_TYPE: {}}},
        },
    )
    async def export(
        format: ExportFormat = ExportFormat.CSV,
        filters: Filters = Depends(consultation_filters),
        _: Principal = Depends(access.read_all),
    ) -> Response:
        __, rows = await reads.consultations(Intake.of(runtime), filters.where, limit=None)
        lines = [export_row(r) for r in reversed(rows)]  # oldest first, as a register reads
        name = f"相談一覧_{filters.period.label}"
        if format is ExportFormat.XLSX:
            return xlsx_download(f"{name}.xlsx", EXPORT_HEADER, lines, sheet="相談一覧")
        return csv_download(f"{name}.csv", EXPORT_HEADER, lines)

    @router.get("/{consultation_id}", summary="A consultation, its client and assigned expert")
    async def read(
        consultation_id: UUID, who: Principal = Depends(access.read_case)
    ) -> ConsultationOut:
        row = await reads.consultation(
            Intake.of(runtime), consultation_id, expert_id=access.own_cases_only(who)
        )
        return consultation_out(row)

    return router
