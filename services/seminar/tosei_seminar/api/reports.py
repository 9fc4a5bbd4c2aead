"""What the organisers take away: attendance, the attendee list, certificates, feedback, the
history of changes."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from tosei_common.platform.auth import current_principal
from tosei_common.platform.downloads import csv_download, download
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime
from tosei_common.region.inputs import phone_display
from tosei_common.region.municipalities import municipality
from tosei_common.region.rounding import percent
from tosei_common.region.small_cells import MARK
from tosei_common.region.text import phone_key
from tosei_seminar.api.responses.reports import AttendanceOut, FeedbackOut, HistoryOut, feedback_out
from tosei_seminar.domain.labels import MODE_LABELS, ROLE_LABELS
from tosei_seminar.domain.reports import AttendanceReport, FeedbackSummary
from tosei_seminar.domain.small_cells import Hidden
from tosei_seminar.handlers import documents, reads
from tosei_seminar.handlers.reads import Registrants

Who = Annotated[Principal, Depends(current_principal)]
PDF: dict[int | str, dict[str, Any]] = {200: {"content": {"application/pdf": {}}}}
CSV: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}}}

ATTENDEE_HEADER = [
    "受付番号", "氏名", "ふりがな", "所属", "職種", "市町村", "参加方法", "参加場所", "申込状況",
    "キャンセル待ち順位", "出席", "受付時刻", "メール", "電話", "申込日時",
]  # fmt: skip
ATTENDANCE_HEADER = ["区分", "項目", "申込者数", "出席者数", "出席率"]
FEEDBACK_HEADER = [
    "区分", "項目", "回答者数", "出席者数", "回答率", "平均", "1点", "2点", "3点", "4点", "5点",
]  # fmt: skip


def attendee_rows(found: Registrants) -> list[list[Any]]:
    """One row per registrant, seated (参加確定) or waiting (キャンセル待ち, with the place on
    its wait list); the phone with the hyphens people write, so Excel keeps its 0."""
    names = {p.place_id: p.name for p in found.places}
    positions = found.positions()
    rows = []
    for r in found.registrations:
        key = phone_key(r.phone)
        rows.append(
            [
                r.reference,
                r.name,
                r.name_kana,
                r.organisation,
                ROLE_LABELS[r.role],
                municipality(r.municipality).name,
                MODE_LABELS[r.mode],
                names.get(r.place_id, ""),
                r.status.label,
                positions.get(r.id),
                r.checked_in_at is not None,
                r.checked_in_at,
                r.email,
                phone_display(key) if key else r.phone,
                r.registered_at,
            ]
        )
    return rows


def attendance_rows(report: AttendanceReport, hidden: Hidden | None = None) -> list[list[Any]]:
    """One row per role, town and mode, and the total; a row hidden from this reader (too few
    people) is 「―」, and a last row 注記 says why."""
    rows: list[list[Any]] = []
    for section, breakdown, items in (
        ("職種", "by_role", report.by_role),
        ("市町村", "by_municipality", report.by_municipality),
        ("参加方法", "by_mode", report.by_mode),
    ):
        for item in items:
            if hidden is not None and f"{breakdown}.{item.key}" in hidden:
                rows.append([section, item.label, MARK, MARK, MARK])
                continue
            rate = percent(item.attended, item.registered)
            rows.append([section, item.label, item.registered, item.attended, rate])
    total = percent(report.attended, report.registered)
    if hidden is not None and "registered" in hidden:
        rows.append(["合計", "", MARK, MARK, MARK])
    else:
        rows.append(["合計", "", report.registered, report.attended, total])
    if hidden is not None:
        rows.append(["注記", hidden.note, "", "", ""])
    return rows


def feedback_rows(summary: FeedbackSummary, hidden: Hidden | None = None) -> list[list[Any]]:
    """The figures of ``GET /feedback`` as rows: each question with its responses, response
    rate, mean and 1–5 counts, then the satisfaction mean of each role. No comment, no name.
    A figure hidden from this reader (too few answers) is 「―」, and a last row 注記 says why."""
    shut = hidden.names if hidden is not None else frozenset()

    def cell(name: str, value: Any) -> Any:
        return MARK if name in shut else value

    rows: list[list[Any]] = []
    rate = cell("responses", percent(summary.responses, summary.attended))
    for figure, question, mean, counts in (
        ("satisfaction", "満足度", summary.satisfaction_mean, summary.satisfaction_distribution),
        ("usefulness", "業務・生活に役立つか", summary.usefulness_mean,
         summary.usefulness_distribution),
    ):  # fmt: skip
        rows.append(
            [
                "設問",
                question,
                cell("responses", summary.responses),
                summary.attended,
                rate,
                cell(f"{figure}_mean", mean),
            ]
            + [cell(f"{figure}_distribution.{score}", counts[score]) for score in range(1, 6)]
        )
    for role, mean in summary.satisfaction_by_role.items():
        shown = cell(f"satisfaction_by_role.{role}", mean)
        rows.append(["職種別の満足度", role, "", "", "", shown] + [""] * 5)
    if hidden is not None:
        rows.append(["注記", hidden.note] + [""] * 9)
    return rows


def router(rt: Runtime) -> APIRouter:
    api = APIRouter(prefix="/seminars/{seminar_id}", tags=["reports"])
    small = rt.settings.small_cell_threshold

    @api.get("/attendance", summary="Registered and attended, by role, town and mode")
    async def attendance(seminar_id: UUID, who: Who) -> AttendanceOut:
        async with rt.reading() as conn:
            read = await reads.attendance_report(conn, who, seminar_id, small_cells=small)
        return AttendanceOut.of(read.seminar, read.report, read.hidden)

    @api.get(
        "/attendance.csv",
        summary="The attendance report as CSV (Japanese headers)",
        response_class=Response,
        responses=CSV,
    )
    async def attendance_csv(seminar_id: UUID, who: Who) -> Response:
        async with rt.reading() as conn:
            read = await reads.attendance_report(conn, who, seminar_id, small_cells=small)
        return csv_download(
            f"出席状況_{read.seminar.fiscal_year}.csv",
            ATTENDANCE_HEADER,
            attendance_rows(read.report, read.hidden),
        )

    @api.get(
        "/attendees.csv",
        summary="Registrants seated or waiting, with their attendance, for the organisers "
        "(opens in Excel)",
        response_class=Response,
        responses=CSV,
    )
    async def attendees_csv(seminar_id: UUID, who: Who, attended: bool | None = None) -> Response:
        async with rt.unit_of_work(who) as uow:
            found = await reads.attendee_list(uow, who, seminar_id, attended=attended)
        return csv_download(
            f"参加者名簿_{found.seminar.fiscal_year}.csv", ATTENDEE_HEADER, attendee_rows(found)
        )

    @api.get(
        "/certificates.pdf",
        summary="Every attendee's certificate (修了証), one page each",
        response_class=Response,
        responses=PDF,
    )
    async def certificates(seminar_id: UUID, who: Who) -> Response:
        async with rt.reading() as conn:
            pdf, seminar = await documents.certificates(conn, who, seminar_id, rt.clock.today())
        return download(pdf, f"修了証_{seminar.fiscal_year}.pdf", "application/pdf")

    @api.get(
        "/feedback",
        summary="The attendees' feedback, summarised",
        description="Figures for coordinators, auditors and municipal officers; the free-text "
        "comments (tagged with role and town) only for coordinators and auditors, as in a small "
        "town they can name their writer.",
    )
    async def feedback(seminar_id: UUID, who: Who) -> FeedbackOut:
        async with rt.reading() as conn:
            read = await reads.feedback_summary(conn, who, seminar_id, small_cells=small)
        return feedback_out(read)

    @api.get(
        "/feedback.csv",
        summary="The feedback figures as CSV (Japanese headers), without the comments",
        description="The figures of GET /feedback, for whoever may read them: per question the "
        "responses, response rate, mean and the counts of each answer 1–5, then the "
        "satisfaction mean per role. Never a comment or a name.",
        response_class=Response,
        responses=CSV,
    )
    async def feedback_csv(seminar_id: UUID, who: Who) -> Response:
        async with rt.reading() as conn:
            read = await reads.feedback_summary(conn, who, seminar_id, small_cells=small)
        return csv_download(
            f"アンケート集計_{read.seminar.fiscal_year}.csv",
            FEEDBACK_HEADER,
            feedback_rows(read.summary, read.hidden),
        )

    @api.get("/history", summary="Who changed what, in order")
    async def history(seminar_id: UUID, who: Who) -> HistoryOut:
        async with rt.reading() as conn:
            return HistoryOut.of(await reads.history(conn, who, seminar_id))

    return api
