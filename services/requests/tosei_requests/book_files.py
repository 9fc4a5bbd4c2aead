"""The request book as files: a Japanese PDF (cover, table of contents, one section per item)
and an xlsx workbook (one row per item, Japanese headers, numbers as numbers).

The PDF's font is Noto Sans CJK JP from the ``noto-cjk-sans-jp-regular`` package, as the
seminar's certificates use it: no machine needs a system font, and fpdf2 embeds only the glyphs
the book uses.
"""

from __future__ import annotations

import math
from importlib import resources
from typing import Any

from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos
from fpdf.outline import OutlineSection

from tosei_common.region.exports import xlsx_bytes
from tosei_requests.domain.book import Book, BookEntry

FONT_PACKAGE = "noto_cjk_sans_jp_regular"
FONT_FILE = "NotoSansCJKjp-Regular.otf"
FAMILY = "NotoSansJP"
TOC_LINES_PER_PAGE = 28

XLSX_HEADER = (
    "番号",
    "区分",
    "要望事項",
    "要望団体",
    "担当部局",
    "要望額（円）",
    "現状と課題",
    "要望内容",
    "関連する国土強靱化地域計画の事業",
    "受付番号",
)


MONEY_COLUMNS = ("要望額（円）",)


def file_name(book: Book, extension: str) -> str:
    return f"{book.era_year}重点事業要望書.{extension}"


def book_xlsx(book: Book) -> bytes:
    """One row per item, in the book's order."""
    return xlsx_bytes(
        XLSX_HEADER, [_row(e) for e in book.entries], sheet="要望書", money_columns=MONEY_COLUMNS
    )


def _row(entry: BookEntry) -> list[Any]:
    item = entry.item
    return [
        entry.number,
        entry.group or "",
        item.title,
        entry.towns,
        "、".join(entry.departments),
        item.requested_amount_yen,
        item.background,
        item.body,
        "\n".join(entry.plan_items),
        item.reference,
    ]


def book_pdf(book: Book) -> bytes:
    """A4 portrait: the cover, the table of contents, then each item from a new page."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(book.title)
    pdf.set_author("東青地域5市町村")
    pdf.set_creator("Tosei requests")
    pdf.set_auto_page_break(True, margin=18)
    with resources.as_file(resources.files(FONT_PACKAGE) / FONT_FILE) as font:
        pdf.add_font(FAMILY, fname=str(font))
        _cover(pdf, book)
        pdf.add_page()
        pages = max(1, math.ceil(len(book.entries) / TOC_LINES_PER_PAGE))
        # the placeholder ends with a page break: the first item starts on that new page
        pdf.insert_toc_placeholder(_contents, pages=pages)
        for n, entry in enumerate(book.entries):
            if n:
                pdf.add_page()
            _entry(pdf, entry)
        return bytes(pdf.output())


def _cover(pdf: FPDF, book: Book) -> None:
    pdf.add_page()
    width = pdf.w
    pdf.set_font(FAMILY, size=16)
    pdf.set_xy(0, 60)
    pdf.cell(width, 10, f"{book.era_year}（{book.western_year}）", align=Align.C)
    pdf.set_font(FAMILY, size=30)
    pdf.set_xy(0, 75)
    pdf.cell(width, 16, "重点事業要望書", align=Align.C)
    pdf.set_font(FAMILY, size=13)
    pdf.set_xy(0, 110)
    pdf.cell(width, 8, book.dated_label, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(150)
    for requester in book.requesters:
        head = (
            requester.head
            if requester.head_name is None
            else (f"{requester.head}　{requester.head_name}")
        )
        pdf.set_x(0)
        pdf.cell(width, 9, head, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _contents(pdf: FPDF, outline: list[OutlineSection]) -> None:
    pdf.set_font(FAMILY, size=18)
    pdf.cell(0, 14, "目次", align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, size=11)
    for section in outline:
        pdf.cell(pdf.epw - 20, 8, section.name, new_x=XPos.RIGHT, new_y=YPos.TOP)
        pdf.cell(
            20, 8, str(section.page_number), align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )


def _entry(pdf: FPDF, entry: BookEntry) -> None:
    item = entry.item
    pdf.set_font(FAMILY, size=15)
    heading = f"{entry.number}　{item.title}"
    pdf.start_section(heading)
    pdf.multi_cell(0, 9, heading, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font(FAMILY, size=10.5)
    amount = "—" if item.requested_amount_yen is None else f"{item.requested_amount_yen:,}円"
    facts = [
        ("区分", entry.group or "—"),
        ("要望団体", entry.towns),
        ("担当部局", "、".join(entry.departments)),
        ("要望額", amount),
        ("関連事業", "\n".join(entry.plan_items) or "—"),
    ]
    for label, value in facts:
        pdf.set_x(pdf.l_margin)
        pdf.cell(28, 7, label, new_x=XPos.RIGHT, new_y=YPos.TOP)
        pdf.multi_cell(0, 7, value, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for label, text in (("現状と課題", item.background), ("要望内容", item.body)):
        pdf.ln(3)
        pdf.set_font(FAMILY, size=12)
        pdf.cell(0, 8, f"【{label}】", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FAMILY, size=10.5)
        pdf.multi_cell(0, 6.5, text, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
