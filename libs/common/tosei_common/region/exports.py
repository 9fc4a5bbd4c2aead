"""Spreadsheets in and out, the way Japanese offices use them.

Out: CSV as UTF-8 with a BOM and CRLF line ends (Japanese Excel opens plain UTF-8 CSV as
Shift_JIS and garbles it) and .xlsx. In: CSV in UTF-8 (with or without BOM) or Shift_JIS/CP932,
and .xlsx, each row with the line number a person sees in Excel.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tosei_common.region.fiscal import TOKYO

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"


#: Text a spreadsheet would run as a formula when it begins with one of these (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CELL_LIMIT = 32_767
#: Characters the .xlsx format (XML) cannot hold at all.
ILLEGAL_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Amounts of money read as 45,000,000 (yen have no decimals).
MONEY_FORMAT = "#,##0"


def inert(text: str) -> str:
    """Text that a spreadsheet shows instead of evaluating: a leading quote before = + - @.

    Anyone can type a name like =HYPERLINK(...) into a public form; the desk must not run it
    by opening an export.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(TOKYO).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, list | tuple):
        return inert("、".join(str(v) for v in value))
    if isinstance(value, str):
        return inert(value)
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A CSV document Japanese Excel opens correctly: UTF-8 with BOM, CRLF line ends.

    Datetimes are written in Japan time, booleans as はい/いいえ, lists joined with 、.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return (BOM + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet: str = "一覧",
    money_columns: Collection[str] = (),
) -> bytes:
    """An .xlsx workbook with one sheet: a bold, frozen header row with an autofilter on it,
    widened columns, and the columns named in ``money_columns`` (header texts, e.g.
    ``概算事業費（円）``) shown as amounts with thousands separators (``#,##0``); their cells
    stay numbers, so the council's sums still work.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    unknown = [name for name in money_columns if name not in header]
    if unknown:  # a renamed header would otherwise lose its format without a sound
        raise ValueError(f"money_columns not in the header: {', '.join(unknown)}")
    money = [i for i, name in enumerate(header) if name in money_columns]
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet[:31]
    worksheet.append(list(header))
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    widths = [_width(h) for h in header]
    for row in rows:
        values = [_xlsx_cell(v) for v in row]
        worksheet.append(values)
        for i in money:
            worksheet.cell(worksheet.max_row, i + 1).number_format = MONEY_FORMAT
        shown = [f"{v:,}" if i in money and isinstance(v, int) else v for i, v in enumerate(values)]
        widths = [max(w, _width(v)) for w, v in zip(widths, shown, strict=False)]
    for index, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = min(60, width + 2)
    worksheet.freeze_panes = "A2"
    last_column = get_column_letter(max(len(header), 1))
    worksheet.auto_filter.ref = f"A1:{last_column}{worksheet.max_row}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(TOKYO).replace(tzinfo=None)  # Excel has no time zones
    if isinstance(value, date | int | float) and not isinstance(value, bool):
        return value
    cell = _cell(value)
    if not isinstance(cell, str):
        return cell
    cell = ILLEGAL_IN_XLSX.sub("", cell)
    # Excel refuses (or "repairs") a workbook with a longer cell
    return cell if len(cell) <= XLSX_CELL_LIMIT else cell[: XLSX_CELL_LIMIT - 1] + "…"


def _width(value: Any) -> int:
    text = str(value) if value is not None else ""
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)  # CJK characters are double width


# reading -------------------------------------------------------------------------------------


class UnreadableFile(ValueError):
    """The file is not a CSV or .xlsx this module can read; the message says why."""


@dataclass(frozen=True)
class SheetRow:
    line: int  # 1-based, as Excel and text editors number lines; the header is line 1
    values: dict[str, str]


@dataclass(frozen=True)
class Sheet:
    name: str
    header: list[str]
    rows: list[SheetRow]
    encoding: str  # utf-8-sig, utf-8, cp932 or xlsx


def read_sheet(data: bytes, filename: str) -> Sheet:
    """Read a CSV (UTF-8 with or without BOM, or CP932) or the first sheet of an .xlsx.

    Header cells are tidied (spaces removed); blank rows are skipped but keep line numbering.
    """
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        return _read_xlsx(data, filename)
    return _read_csv(data, filename)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932"), "cp932"
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"not UTF-8 and not Shift_JIS/CP932 text (byte {exc.start}); save it as CSV or .xlsx"
        ) from exc


def _read_csv(data: bytes, filename: str) -> Sheet:
    text, encoding = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[SheetRow] = []
    header: list[str] | None = None
    # Excel numbers records, not text lines: a cell with a line break in it (a quoted
    # multi-line 相談内容) is still one row. csv yields blank lines too, so counting fits.
    for line, values in enumerate(reader, start=1):
        if header is None:
            if not any(v.strip() for v in values):
                continue
            header = [_header_cell(v) for v in values]
            continue
        if not any(v.strip() for v in values):
            continue
        rows.append(SheetRow(line, _zip_row(header, values)))
    if header is None:
        raise UnreadableFile(f"{filename} is empty")
    return Sheet(filename, header, rows, encoding)


def _read_xlsx(data: bytes, filename: str) -> Sheet:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(f"{filename} is not a readable .xlsx workbook: {exc}") from exc
    worksheet = workbook.worksheets[0]
    header: list[str] | None = None
    rows: list[SheetRow] = []
    for line, raw in enumerate(worksheet.iter_rows(values_only=True), start=1):
        values = [_xlsx_text(v) for v in raw]
        if not any(v.strip() for v in values):
            continue
        if header is None:
            header = [_header_cell(v) for v in values]
            continue
        rows.append(SheetRow(line, _zip_row(header, values)))
    workbook.close()
    if header is None:
        raise UnreadableFile(f"{filename} has no rows")
    return Sheet(filename, header, rows, "xlsx")


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _header_cell(value: str) -> str:
    return "".join(value.split()).lstrip("\ufeff")


def _zip_row(header: list[str], values: list[str]) -> dict[str, str]:
    row = {name: (values[i] if i < len(values) else "") for i, name in enumerate(header) if name}
    return {k: v.strip() for k, v in row.items()}
