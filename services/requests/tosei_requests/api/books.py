"""HTTP: the joint request book (要望書) — as JSON, PDF and xlsx, and its publication (after
which the public reads it, and the year's answers)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from tosei_common.platform.auth import current_principal, optional_principal
from tosei_common.platform.downloads import XLSX_MEDIA_TYPE, download
from tosei_common.platform.principal import Principal
from tosei_common.platform.service import Runtime
from tosei_requests.api.briefing_responses import BookOut, BriefingOut
from tosei_requests.api.briefings import briefing_out
from tosei_requests.api.params import YearPath
from tosei_requests.book_files import book_pdf, book_xlsx, file_name
from tosei_requests.domain.book import Book
from tosei_requests.handlers import briefings, reads

Caller = Annotated[Principal, Depends(current_principal)]
Anyone = Annotated[Principal | None, Depends(optional_principal)]


def router(runtime: Runtime) -> APIRouter:
    r = APIRouter(prefix="/briefings", tags=["request book"])

    async def the_book(who: Principal | None, fiscal_year: int) -> Book:
        async with runtime.reading() as conn:
            return await reads.book(conn, who, fiscal_year)

    @r.post("/{fiscal_year}/book/publish", summary="Publish the request book (and its answers)")
    async def publish(fiscal_year: YearPath, who: Caller) -> BriefingOut:
        async with runtime.unit_of_work(who) as uow:
            await briefings.publish(uow, who, fiscal_year)
        return await briefing_out(runtime, who, fiscal_year)

    @r.get("/{fiscal_year}/book", summary="The request book (public once published)")
    async def book(fiscal_year: YearPath, who: Anyone) -> BookOut:
        return BookOut.of(await the_book(who, fiscal_year))

    @r.get(
        "/{fiscal_year}/book.pdf",
        summary="The request book as PDF (public once published)",
        response_class=Response,
        responses={200: {"content": {"application/pdf": {}}}},
    )
    async def book_as_pdf(fiscal_year: YearPath, who: Anyone) -> Response:
        found = await the_book(who, fiscal_year)
        return download(
            book_pdf(found),
            file_name(found, "pdf"),
            "application/pdf",
            ascii_filename=f"request-book-{fiscal_year}.pdf",
        )

    @r.get(
        "/{fiscal_year}/book.xlsx",
        summary="The request book as xlsx, one row per item (public once published)",
        response_class=Response,
        responses={200: {"content": {XLSX_MEDIA_TYPE: {}}}},
    )
    async def book_as_xlsx(fiscal_year: YearPath, who: Anyone) -> Response:
        found = await the_book(who, fiscal_year)
        return download(
            book_xlsx(found),
            file_name(found, "xlsx"),
            XLSX_MEDIA_TYPE,
            ascii_filename=f"request-book-{fiscal_year}.xlsx",
        )

    return r
