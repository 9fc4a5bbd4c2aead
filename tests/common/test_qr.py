"""The QR code of a registration's reference: small enough to print and scan, one per text."""

from __future__ import annotations

import segno

from tosei_common.platform.qr import qr_png, qr_svg

REFERENCE = "7KQ2-M9XD-4TPA-R3WB"


def test_a_reference_fits_a_small_code_that_survives_a_smudge() -> None:
    code = segno.make(REFERENCE, error="m", micro=False)
    assert isinstance(code.version, int)  # a micro code's version is a str ("M4")
    assert code.version <= 3
    assert code.error == "M"


def test_the_svg_is_inline_and_titled_and_the_png_is_a_png() -> None:
    svg = qr_svg(REFERENCE, title="受付番号の QR コード")
    assert svg.startswith("<svg")
    assert "<title>受付番号の QR コード</title>" in svg
    assert qr_png(REFERENCE).startswith(b"\x89PNG\r\n\x1a\n")


def test_different_references_give_different_codes_and_one_reference_always_the_same() -> None:
    assert qr_svg(REFERENCE) == qr_svg(REFERENCE)
    assert qr_svg(REFERENCE) != qr_svg("7KQ2-M9XD-4TPA-R3WC")
