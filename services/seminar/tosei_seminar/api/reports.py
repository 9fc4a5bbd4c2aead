"""What the organisers take away: attendance, the attendee list, certificates, feedback."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from tosei_common.platform.auth import Principal
from tosei_common.platform.downloads import csv_download, download
from tosei_common.platform.service import Runtime
from tosei_seminar.api import shapes
from tosei_seminar.api.deps import manage, read_figures, read_personal, reads_personal
from tosei_seminar.domain.registration import RegistrationStatus
from tosei_seminar.handlers import documents, views

PDF: dict[int | str, dict[str, Any]] = {200: {"content": {"application/pdf": {}}}}
CSV: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}}}


def report_routes(rt: Runtime) -> APIRouter:
    router = APIRouter(prefix="/seminars/{seminar_id}", tags=["reports"])

    @router.get("/attendance", summary="Registered and attended, by role, town and mode")
    async def attendance(seminar_id: UUID, _: Principal = Depends(read_figures)) -> dict[str, Any]:
        seminar, report = await views.attendance_report(rt, seminar_id)
        return {"seminar": shapes.seminar_summary(seminar)} | shapes.attendance(report)

    @router.get(
        "/attendance.csv",
        summary="The attendance report as CSV (Japanese headers)",
        response_class=Response,
        responses=CSV,
    )
    async def attendance_csv(seminar_id: UUID, _: Principal = Depends(read_figures)) -> Response:
        seminar, report = await views.attendance_report(rt, seminar_id)
        return csv_download(
            f"出席状況_{seminar.fiscal_year}.csv",
            documents.ATTENDANCE_HEADER,
            documents.attendance_rows(report),
        )

    @router.get(
        "/attendees.csv",
        summary="Registrants with their attendance, for the organisers (opens in Excel)",
        response_class=Response,
        responses=CSV,
    )
    async def attendees_csv(
        seminar_id: UUID, attended: bool | None = None, _: Principal = Depends(read_personal)
    ) -> Response:
        seminar, places, rows = await views.registrations(
            rt, seminar_id, status=RegistrationStatus.ACCEPTED, mode=None, attended=attended
        )
        return csv_download(
            f"参加者名簿_{seminar.fiscal_year}.csv",
            documents.ATTENDEE_HEADER,
            documents.attendee_rows(rows, places),
        )

    @router.get(
        "/certificates.pdf",
        summary="Every attendee's certificate (修了証), one page each",
        response_class=Response,
        responses=PDF,
    )
    async def certificates(seminar_id: UUID, _: Principal = Depends(manage)) -> Response:
        pdf, seminar = await documents.certificates(rt, seminar_id)
        return download(pdf, f"修了証_{seminar.fiscal_year}.pdf", "application/pdf")

    @router.get(
        "/feedback",
        summary="The attendees' feedback, summarised",
        description="Figures for coordinators, auditors and municipal officers; the free-text "
        "comments (tagged with role and town) only for coordinators and auditors, as in a small "
        "town they can name their writer.",
    )
    async def feedback(seminar_id: UUID, who: Principal = Depends(read_figures)) -> dict[str, Any]:
        seminar, summary = await views.feedback_summary(rt, seminar_id)
        return {"seminar": shapes.seminar_summary(seminar)} | shapes.feedback(
            summary, with_comments=reads_personal(who)
        )

    @router.get("/history", summary="Who changed what, in order")
    async def history(seminar_id: UUID, _: Principal = Depends(read_personal)) -> dict[str, Any]:
        rows = await views.history(rt, seminar_id)
        return {
            "changes": [
                {"at": c.at.isoformat(), "actor": c.actor, "action": c.action, "detail": c.detail}
                for c in rows
            ]
        }

    return router
