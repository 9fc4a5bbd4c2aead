"""QR codes of short texts (a seminar registration's reference): one code on the registrant's
page, in their e-mail and under the camera at the door, so the three never disagree."""

from __future__ import annotations

import io

import segno

#: Error correction M survives a crease or a smudge on a printed e-mail; a reference is short,
#: so the code stays small (version 2 or 3).
_ERROR = "m"


def qr_svg(text: str, *, scale: int = 6, title: str = "") -> str:
    """An inline SVG (black on white, a 4-module quiet zone, as scanners expect)."""
    out = io.BytesIO()
    segno.make(text, error=_ERROR, micro=False).save(
        out, kind="svg", scale=scale, border=4, xmldecl=False, svgns=True, title=title or None
    )
    return out.getvalue().decode()


def qr_png(text: str, *, scale: int = 6) -> bytes:
    """The same code as a PNG, for mail clients that show no inline SVG."""
    out = io.BytesIO()
    segno.make(text, error=_ERROR, micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
