"""Files to download over HTTP: the council's CSV and .xlsx, certificates, with Japanese names."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any
from urllib.parse import quote

from fastapi.responses import Response

from tosei_common.region.exports import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, csv_bytes, xlsx_bytes

__all__ = ["CSV_MEDIA_TYPE", "XLSX_MEDIA_TYPE", "csv_download", "download", "xlsx_download"]


def download(
    content: bytes, filename: str, media_type: str, *, ascii_filename: str | None = None
) -> Response:
    """A file download whose Japanese file name survives every browser (RFC 6266/5987);
    ``ascii_filename`` is what browsers that cannot read UTF-8 names show instead."""
    ascii_fallback = ascii_filename or "download" + filename[filename.rfind(".") :]
    disposition = f"attachment; filename=\"{ascii_fallback}\"; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})


def csv_download(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    ascii_filename: str | None = None,
) -> Response:
    return download(
        csv_bytes(header, rows), filename, CSV_MEDIA_TYPE, ascii_filename=ascii_filename
    )


def xlsx_download(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet: str = "一覧",
    money_columns: Collection[str] = (),
    ascii_filename: str | None = None,
) -> Response:
    """An .xlsx download (see ``xlsx_bytes``: ``money_columns`` read as 45,000,000)."""
    content = xlsx_bytes(header, rows, sheet=sheet, money_columns=money_columns)
    return download(content, filename, XLSX_MEDIA_TYPE, ascii_filename=ascii_filename)
