"""/imports/legacy: the hand-over import of the old desks' exports, as an upload."""

from __future__ import annotations

import posixpath
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, UploadFile

from tosei_common.platform.auth import Principal
from tosei_common.platform.errors import Unprocessable
from tosei_common.platform.service import Runtime
from tosei_intake.api import access
from tosei_intake.api.models import (
    ImportedRowOut,
    ImportFileOut,
    ImportReportOut,
    RejectedRowOut,
    SkippedRowOut,
)
from tosei_intake.domain import values
from tosei_intake.domain.import_report import ImportReport
from tosei_intake.domain.legacy import Desk, FileProblem, ParsedFile, parse_file
from tosei_intake.handlers.context import Intake
from tosei_intake.handlers.imports import import_legacy

MAX_FILES = 20
MAX_FILE_BYTES = 20 * 1024 * 1024


def report_out(report: ImportReport) -> ImportReportOut:
    return ImportReportOut(
        dry_run=report.dry_run,
        files=[
            ImportFileOut(name=f.name, encoding=f.encoding, desk=f.desk.value, rows=f.rows)
            for f in report.files
        ],
        accepted=len(report.imported),
        new_clients=report.new_clients,
        matched_existing_clients=len(report.matched),
        imported=[
            ImportedRowOut(
                file=r.file,
                line=r.line,
                consultation_id=r.consultation_id,
                client_id=r.client_id,
                client=r.client.value,
            )
            for r in report.imported
        ],
        already_imported=[
            SkippedRowOut(file=r.file, line=r.line, consultation_id=r.consultation_id)
            for r in report.already_imported
        ],
        rejected=[
            RejectedRowOut(file=p.file, line=p.line, reasons=list(p.reasons))
            for p in report.rejected
        ],
    )


def _file_name(upload: UploadFile, index: int) -> str:
    fallback = f"upload-{index + 1}.csv"
    try:
        name = values.text(upload.filename or "", max_length=200)
    except ValueError:
        return fallback
    return posixpath.basename(name.replace("\\", "/")) or fallback


def import_router(runtime: Runtime) -> APIRouter:
    router = APIRouter(prefix="/imports", tags=["hand-over import"])

    @router.post(
        "/legacy",
        summary="Hand over the old desks' cases (CSV in UTF-8 or Shift_JIS, or .xlsx)",
        description=(
            "Validates every row of every file first. A file that cannot be read at all is a "
            "422 and nothing is written. Otherwise the accepted rows are imported (unless "
            "`dry_run`) and the report lists rejected rows with file, line and reason. "
            "Importing the same rows again adds nothing."
        ),
    )
    async def upload(
        files: Annotated[list[UploadFile], File(description="One or more exports.")],
        desk: Annotated[
            Desk | None,
            Form(description="startup or sme; default: told by each file's name (創業, 中小)."),
        ] = None,
        dry_run: Annotated[bool, Form(description="Validate and report; write nothing.")] = False,
        who: Principal = Depends(access.register),
    ) -> ImportReportOut:
        if len(files) > MAX_FILES:
            raise Unprocessable(
                f"at most {MAX_FILES} files at once", fields={"files": f"at most {MAX_FILES}"}
            )
        today = runtime.clock.today()
        parsed: list[ParsedFile] = []
        problems: list[str] = []
        for index, upload in enumerate(files):
            name = _file_name(upload, index)
            data = await upload.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                problems.append(f"{name}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
                continue
            try:
                parsed.append(parse_file(name, data, desk, today=today))
            except FileProblem as exc:
                problems.append(str(exc))
        if problems:
            raise Unprocessable(
                "nothing was imported: " + "; ".join(problems),
                fields={"files": "; ".join(problems)},
            )
        report = await import_legacy(Intake.of(runtime), parsed, dry_run=dry_run, actor=who.actor)
        return report_out(report)

    return router
