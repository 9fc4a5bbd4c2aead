"""Reading back the text of the PDFs the services write with fpdf2 and Noto Sans CJK JP.

fpdf2 gives its Type0 font an embedded two-byte encoding CMap that pypdf does not read: pypdf
decodes one byte at a time, which is right only while the document uses fewer than 256 glyphs.
This decodes every string two bytes at a time through the font's ToUnicode map instead.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pypdf
from pypdf.generic import ContentStream

_PAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _to_unicode(font: Any) -> dict[int, str]:
    found: dict[int, str] = {}
    if "/ToUnicode" not in font:
        return found
    cmap = font["/ToUnicode"].get_object().get_data()
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, start in _RANGE.findall(block):
            first = int(start, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                found[code] = chr(first + offset)
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in _PAIR.findall(block):
            found[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    return found


def _decode(string: Any, codes: dict[int, str]) -> str:
    raw = getattr(string, "original_bytes", None) or bytes(string)
    return "".join(codes.get(int.from_bytes(raw[i : i + 2]), "") for i in range(0, len(raw), 2))


def pdf_text(content: bytes) -> tuple[str, int]:
    """The text of every page (one line per text operation) and the number of pages."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    lines: list[str] = []
    for page in reader.pages:
        resources: Any = page["/Resources"]
        fonts = {name: _to_unicode(font.get_object()) for name, font in resources["/Font"].items()}
        codes: dict[int, str] = {}
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                codes = fonts.get(operands[0], {})
            elif operator in (b"Tj", b"'", b'"'):
                lines.append(_decode(operands[-1], codes))
            elif operator == b"TJ":
                lines.append(
                    "".join(
                        _decode(s, codes) for s in operands[0] if not isinstance(s, int | float)
                    )
                )
    return "\n".join(lines), len(reader.pages)
