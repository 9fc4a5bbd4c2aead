"""Japanese PDFs (the seminar's certificates, the console's disclosure to a person): fpdf2 with
Noto Sans CJK JP from the ``noto-cjk-sans-jp-regular`` package, so no machine needs a system
font; fpdf2 embeds only the glyphs used.

The services that write PDFs depend on ``fpdf2`` and that font package (the ``pdf`` extra of
tosei-common); nothing else imports this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import Literal

from fpdf import FPDF

__all__ = ["FAMILY", "FONT_FILE", "FONT_PACKAGE", "japanese_pdf"]

FONT_PACKAGE = "noto_cjk_sans_jp_regular"
FONT_FILE = "NotoSansCJKjp-Regular.otf"
FAMILY = "NotoSansJP"


@contextmanager
def japanese_pdf(
    pdf: FPDF | None = None,
    *,
    orientation: Literal["P", "L"] = "P",
    title: str,
    author: str,
    creator: str,
) -> Iterator[FPDF]:
    """An A4 document (``pdf``, or a new one) with the Japanese font loaded as ``FAMILY``;
    write the pages inside the block, then ``bytes(pdf.output())``."""
    document = pdf or FPDF(orientation=orientation, unit="mm", format="A4")
    document.set_title(title)
    document.set_author(author)
    document.set_creator(creator)
    with resources.as_file(resources.files(FONT_PACKAGE) / FONT_FILE) as font:
        document.add_font(FAMILY, fname=str(font))
        yield document
