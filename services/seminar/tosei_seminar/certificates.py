"""The certificate of attendance (修了証): an A4 landscape PDF in Japanese, one page per person.

The font is Noto Sans CJK JP (``tosei_common.platform.pdf``, which the console's disclosure uses
too); fpdf2 embeds only the glyphs used (a certificate is about 15 KB).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos

from tosei_common.platform.pdf import FAMILY, japanese_pdf
from tosei_common.region.fiscal import fiscal_year_label, japanese_date

#: The joint programme the towns run the seminar under (its own title is the seminar's).
PROGRAMME = "在宅医療推進のための共同セミナー"


def attended_as(mode: str, place: str) -> str:
    """「会場参加（青森市民ホール 大会議室）」; where the place says the mode already (the online
    place, オンライン配信), the mode alone: 「オンライン」, not 「オンライン（オンライン配信）」."""
    return mode if mode in place else f"{mode}（{place}）"


@dataclass(frozen=True)
class Certificate:
    name: str
    organisation: str | None
    role: str  # label, e.g. 訪問看護師
    title: str  # the seminar's title
    fiscal_year: int
    held_on: date
    host: str  # municipality name
    place: str  # where they attended: the venue, a viewing site or オンライン配信
    mode: str  # label, e.g. 会場参加
    reference: str
    issued_on: date


def render(certificates: Sequence[Certificate]) -> bytes:
    """One PDF with a page per certificate."""
    with japanese_pdf(
        orientation="L",
        title="修了証",
        author="東青圏域 在宅医療合同研修会",
        creator="Tosei seminar",
    ) as pdf:
        pdf.set_auto_page_break(False)
        for certificate in certificates:
            _page(pdf, certificate)
    return bytes(pdf.output())


def _page(pdf: FPDF, c: Certificate) -> None:
    pdf.add_page()
    width = pdf.w
    # A double frame, as printed certificates have.
    pdf.set_draw_color(120, 90, 40)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, width - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(14, 14, width - 28, pdf.h - 28)

    pdf.set_text_color(30, 30, 30)
    pdf.set_font(FAMILY, size=40)
    pdf.set_xy(0, 30)
    pdf.cell(width, 20, "修　了　証", align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    pdf.set_font(FAMILY, size=12)
    pdf.set_xy(0, 58)
    if c.organisation:
        pdf.cell(width, 8, c.organisation, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, size=26)
    pdf.set_x(0)
    pdf.cell(width, 16, f"{c.name}　殿", align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    pdf.set_font(FAMILY, size=14)
    pdf.set_xy(40, 95)
    body = (
        f"あなたは{japanese_date(c.held_on)}に開催された{fiscal_year_label(c.fiscal_year)}"
        f"{PROGRAMME}「{c.title}」を修了したことを証します。"
    )
    pdf.multi_cell(width - 80, 10, body, wrapmode=WrapMode.CHAR, align=Align.L)

    pdf.set_font(FAMILY, size=11)
    pdf.set_xy(40, pdf.get_y() + 8)
    for label, value in (
        ("職種", c.role),
        ("参加方法", attended_as(c.mode, c.place)),
        ("受付番号", c.reference),
    ):
        pdf.set_x(60)
        pdf.cell(30, 8, label)
        pdf.cell(0, 8, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    pdf.set_font(FAMILY, size=13)
    pdf.set_xy(0, pdf.h - 62)
    pdf.cell(width - 50, 9, japanese_date(c.issued_on), align=Align.R)
    pdf.set_xy(0, pdf.h - 50)
    pdf.cell(width - 50, 9, PROGRAMME, align=Align.R)
    pdf.set_xy(0, pdf.h - 41)
    pdf.cell(width - 50, 9, f"{fiscal_year_label(c.fiscal_year)}当番　{c.host}", align=Align.R)
