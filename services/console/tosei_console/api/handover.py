"""引継ぎ: an old desk's spreadsheet, checked line by line first, then taken in.

The console keeps no copy of the file: the checked file travels back with the confirmation
form (base64 in the page), so the import confirmed is the file the report was about.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import Response

from tosei_common.platform.service import Runtime
from tosei_console.api.pages import Posted, Signed, Visitor, render
from tosei_console.api.problems import refused_page
from tosei_console.upstream import Answer

MAX_FILE_BYTES = 5 * 1024 * 1024
#: The old desks a file may come from (intake tells by the file name when none is chosen).
DESKS = {"startup": "旧 創業支援窓口", "sme": "旧 中小企業経営支援窓口"}


async def _send(
    who: Visitor, name: str, content: bytes, desk: str, *, dry_run: bool, key: str | None
) -> Answer:
    data = {"dry_run": "true" if dry_run else "false"}
    if desk:
        data["desk"] = desk
    return await who.services.upload(
        "intake",
        "/imports/legacy",
        files=[("files", (name, content))],
        data=data,
        idempotency_key=key,
    )


def _is_report(answer: Answer) -> bool:
    """intake answered with a line-by-line report (not a refusal of the whole upload)."""
    return (
        answer.status in (200, 422) and isinstance(answer.body, dict) and "rejected" in answer.body
    )


def _form_page(
    request: Request, who: Visitor, error: str | None = None, status: int = 200
) -> Response:
    return render(
        request,
        "handover/upload.html",
        who,
        title="引継ぎ",
        desks=DESKS,
        error=error,
        status_code=status,
    )


async def _check(request: Request, who: Visitor, file: UploadFile, desk: str) -> Response:
    """The dry run: intake's line-by-line report, and the form that confirms the import."""
    content = await file.read(MAX_FILE_BYTES + 1)
    if not file.filename or not content:
        return _form_page(request, who, "ファイルを選んでください", 422)
    if len(content) > MAX_FILE_BYTES:
        return _form_page(
            request, who, "ファイルが大きすぎます（5MBまで）。分けて取り込んでください", 422
        )
    answer = await _send(who, file.filename, content, desk, dry_run=True, key=None)
    if not _is_report(answer):
        if answer.status == 422:
            return _form_page(request, who, answer.message, 422)
        return refused_page(request, who, answer)
    return render(
        request,
        "handover/report.html",
        who,
        title="引継ぎ（確認）",
        report=answer.body,
        dry_run=True,
        file_name=file.filename,
        desk=desk,
        content=base64.b64encode(content).decode(),
        confirm_key=str(uuid.uuid4()),
    )


def router(_: Runtime) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/handover", response_model=None)
    async def upload_form(request: Request, who: Signed) -> Response:
        return _form_page(request, who)

    @routes.post("/handover/check", response_model=None)
    async def check(
        request: Request,
        who: Posted,
        file: UploadFile,
        desk: Annotated[str, Form()] = "",
    ) -> Response:
        return await _check(request, who, file, desk)

    @routes.post("/handover/confirm", response_model=None)
    async def confirm(
        request: Request,
        who: Posted,
        file_name: Annotated[str, Form()],
        content: Annotated[str, Form()],
        confirm_key: Annotated[str, Form()],
        desk: Annotated[str, Form()] = "",
    ) -> Response:
        try:
            raw = base64.b64decode(content, validate=True)
        except binascii.Error:
            return _form_page(
                request, who, "確認したファイルが読み取れません。もう一度選んでください", 422
            )
        answer = await _send(who, file_name, raw, desk, dry_run=False, key=confirm_key)
        if not _is_report(answer):
            return refused_page(request, who, answer)
        return render(
            request,
            "handover/report.html",
            who,
            title="引継ぎ（結果）",
            report=answer.body,
            dry_run=False,
            file_name=file_name,
            desk=desk,
            status_code=200 if answer.ok else 422,
        )

    return routes
