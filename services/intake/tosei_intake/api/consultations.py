"""/consultations: register (opens a case), read, list, count, export for the council."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from tosei_common.platform.auth import Principal, current_principal
from tosei_common.platform.downloads import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    csv_download,
    xlsx_download,
)
from tosei_common.platform.service import Runtime
from tosei_intake.api.requests import (
    ConsentIn,
    ConsultationCorrectionIn,
    ConsultationIn,
    consultation_filter,
)
from tosei_intake.api.responses import (
    ConsultationOut,
    ConsultationPage,
    CountRowOut,
    CountsOut,
    RegisteredOut,
)
from tosei_intake.domain.periods import ConsultationFilter
from tosei_intake.domain.reports import EXPORT_HEADER, CountBy, export_row
from tosei_intake.handlers import reads
from tosei_intake.handlers.consultations import correct, record_consent, register_consultation

Caller = Annotated[Principal, Depends(current_principal)]
Covered = Annotated[ConsultationFilter, Depends(consultation_filter)]


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


def router(runtime: Runtime) -> APIRouter:
    routes = APIRouter(prefix="/consultations", tags=["consultations"])

    @routes.post(
        "",
        status_code=201,
        summary="Register a consultation; it opens a case (case.opened)",
    )
    async def register(body: ConsultationIn, who: Caller) -> RegisteredOut:
        async with runtime.unit_of_work(who) as uow:
            done = await register_consultation(uow, who, body.consultation())
        return RegisteredOut.of(done, who.actor)

    @routes.patch(
        "/{consultation_id}",
        status_code=204,
        summary="Correct a consultation's town, categories, stage, channel or description "
        "(with the reason; old → new kept)",
    )
    async def correct_consultation(
        consultation_id: UUID, body: ConsultationCorrectionIn, who: Caller
    ) -> None:
        async with runtime.unit_of_work(who) as uow:
            await correct(uow, who, consultation_id, body.correction())

    @routes.post(
        "/{consultation_id}/consent",
        status_code=204,
        summary="Record the client's consent to share with external experts, or its withdrawal",
    )
    async def consent(consultation_id: UUID, body: ConsentIn, who: Caller) -> None:
        async with runtime.unit_of_work(who) as uow:
            await record_consent(uow, who, consultation_id, body.change())

    @routes.get("", summary="Consultations, newest first (an expert: their own cases)")
    async def list_consultations(
        covered: Covered,
        who: Caller,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> ConsultationPage:
        async with runtime.unit_of_work(who) as uow:
            total, found = await reads.consultations(uow, who, covered, limit=limit, offset=offset)
        return ConsultationPage(
            total=total, limit=limit, offset=offset, items=[ConsultationOut.of(c) for c in found]
        )

    @routes.get("/counts", summary="Consultations per day, municipality or category")
    async def counts(by: CountBy, covered: Covered, who: Caller) -> CountsOut:
        async with runtime.reading() as conn:
            total, rows = await reads.counts(conn, who, by, covered)
        return CountsOut(
            by=by.value,
            period=covered.period.label,
            total=total,
            rows=[CountRowOut.of(r) for r in rows],
        )

    @routes.get(
        "/export",
        summary="The consultation list for the council (CSV for Japanese Excel, or .xlsx)",
        response_class=Response,
        responses={
            200: {"content": {CSV_MEDIA_TYPE: {}, XLSX_MEDIA_TYPE: {}}},
        },
    )
    async def export(
        covered: Covered, who: Caller, format: ExportFormat = ExportFormat.CSV
    ) -> Response:
        async with runtime.unit_of_work(who) as uow:
            listed = await reads.council_list(uow, who, covered)
        lines = [export_row(c) for c in listed]
        name = f"相談一覧_{covered.period.label}"
        if format is ExportFormat.XLSX:
            return xlsx_download(f"{name}.xlsx", EXPORT_HEADER, lines, sheet="相談一覧")
        return csv_download(f"{name}.csv", EXPORT_HEADER, lines)

    @routes.get("/{consultation_id}", summary="A consultation, its client and assigned expert")
    async def read(consultation_id: UUID, who: Caller) -> ConsultationOut:
        async with runtime.unit_of_work(who) as uow:
            found = await reads.consultation(uow, who, consultation_id)
        return ConsultationOut.of(found)

    return routes
