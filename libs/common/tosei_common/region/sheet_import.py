"""Importing a spreadsheet that people kept by hand: the file read (or refused as a whole, in
words a person can act on), and each refused row named by the line Excel shows.

Shared by the imports of the services (the desk's hand-over of the old desks' cases, the plan's
history): what differs is what a row means; how a file is read and how a refused row is told
is the same everywhere.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from tosei_common.region.exports import Sheet, read_sheet
from tosei_common.region.inputs import check_optional_text
from tosei_common.region.said import InputError, Language, Message

#: Larger files are refused whole (the spreadsheets imported are a few hundred rows).
MAX_SHEET_BYTES = 20 * 1024 * 1024


class FileProblem(InputError):
    """A whole file cannot be imported (too large, unreadable, the wrong headers)."""


@dataclass(frozen=True)
class RowProblem:
    """One refused row: its file, its line (as Excel numbers it) and every reason."""

    file: str
    line: int
    reasons: tuple[Message, ...]

    def reasons_in(self, language: Language) -> list[str]:
        return [reason.in_(language) for reason in self.reasons]

    def __str__(self) -> str:
        return f"{self.file}:{self.line}  {'; '.join(self.reasons_in('ja'))}"


def read_upload(name: str, data: bytes, *, max_bytes: int = MAX_SHEET_BYTES) -> Sheet:
    """A given file as a sheet: CSV (UTF-8, with or without BOM, or Shift_JIS/CP932) or .xlsx.

    Raises ``FileProblem`` saying, in Japanese and English, why the file cannot be used."""
    if len(data) > max_bytes:
        mb = max_bytes // (1024 * 1024)
        raise FileProblem(f"{name}: {mb} MB を超えています", f"{name}: larger than {mb} MB")
    try:
        return read_sheet(data, name)
    except Exception as exc:  # csv, zip and openpyxl each fail their own way on a damaged file
        reason = str(exc) if name in str(exc) else f"{name}: {exc}"
        raise FileProblem(
            f"{name}: ファイルを読めません。CSV（UTF-8 または Shift_JIS）か .xlsx として"
            "保存し直してください",
            reason or f"{name}: unreadable",
        ) from exc


def upload_name(given: str | None, fallback: str) -> str:
    """The name to call an uploaded file by: the last part of what the browser sent (never a
    path), or ``fallback`` when it sent nothing usable."""
    try:
        name = check_optional_text(given, max_length=200) or ""
    except InputError:
        return fallback
    return posixpath.basename(name.replace("\\", "/")) or fallback
