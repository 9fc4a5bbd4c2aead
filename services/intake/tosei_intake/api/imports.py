"""/imports/legacy: the hand-over import of the old desks' exports, as an upload."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Header, UploadFile

from tosei_common.platform.auth import Principal, current_principal
from tosei_common.platform.errors import Message, Unprocessable, preferred_language
from tosei_common.platform.idempotency import commits_by_itself
from tosei_common.platform.service import Runtime
from tosei_common.region.sheet_import import upload_name
from tosei_intake.api.responses import ImportReportOut
from tosei_intake.domain.legacy import MAX_FILE_BYTES, Desk
from tosei_intake.handlers.imports import import_uploads

MAX_FILES = 20


def _file_name(upload: UploadFile, index: int) -> str:
    return upload_name(upload.filename, f"upload-{index + 1}.csv")


def router(runtime: Runtime) -> APIRouter:
    routes = APIRouter(prefix="/imports", tags=["hand-over import"])

    @routes.post(
        "/legacy",
        summary="Hand over the old desks' cases (CSV in UTF-8 or Shift_JIS, or .xlsx)",
        description=(
            "Validates every row of every file first. A file that cannot be read at all is a "
            "422 and nothing is written. Otherwise the accepted rows are imported (unless "
            "`dry_run`), each in its own transaction, and the report lists rejected rows with "
            "file, line and reasons (Japanese; English on `Accept-Language: en`). Importing "
            "the same rows again adds nothing."
        ),
    )
    @commits_by_itself  # row by row, so the import never holds the desk's locks for long
    async def upload(
        files: Annotated[list[UploadFile], File(description="One or more exports.")],
        who: Annotated[Principal, Depends(current_principal)],
        desk: Annotated[
            Desk | None,
            Form(description="startup or sme; default: told by each file's name (創業, 中小)."),
        ] = None,
        dry_run: Annotated[bool, Form(description="Validate and report; write nothing.")] = False,
        accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
    ) -> ImportReportOut:
        if len(files) > MAX_FILES:
            at_most = Message(f"{MAX_FILES}個までにしてください", f"at most {MAX_FILES}")
            raise Unprocessable(
                f"一度に取り込めるファイルは{MAX_FILES}個までです",
                en=f"at most {MAX_FILES} files at once",
                fields={"files": at_most},
            )
        uploads = [
            (_file_name(upload, index), await upload.read(MAX_FILE_BYTES + 1))
            for index, upload in enumerate(files)
        ]
        report = await import_uploads(
            partial(runtime.unit_of_work, who),
            who,
            uploads,
            desk,
            today=runtime.clock.today(),
            dry_run=dry_run,
            pseudonym_secret=runtime.settings.pseudonym_secret,
        )
        return ImportReportOut.of(report, preferred_language(accept_language))

    return routes
