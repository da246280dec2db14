"""The visible signature's text is legible: a font with the Vietnamese letters, and glyph widths
in thousandths of an em, so that a viewer advances each letter by its width and the lines stay
inside the box (NĐ 30/2020 App. I: the agency's name and the signing time)."""

from __future__ import annotations

import io

import pikepdf
import pytest

from motcua.signing import appearance
from motcua.signing.keys import installation_key
from motcua.signing.pades import Appearance, sign_pdf
from tests.signing.conftest import a_pdf

AGENCY_NAME = "Ủy ban nhân dân thị trấn Yên Thế"


def test_the_font_chosen_has_the_vietnamese_letters(settings):
    settings.SIGNING_FONT = ""
    path = appearance.font_path()
    if not path:
        pytest.skip("no candidate font installed (fonts-dejavu-core)")
    from fontTools.ttLib import TTFont

    cmap = TTFont(path).getBestCmap()
    assert all(ord(letter) in cmap for letter in appearance.VIETNAMESE + AGENCY_NAME + "Thời gian ký")


def _text_lines(xobject, found: list) -> None:
    """Each ``TJ``/``Tj`` of the appearance (nested form XObjects too) as ``(font, [cids…])``."""
    font = None
    for operands, operator in pikepdf.parse_content_stream(xobject):
        op = str(operator)
        if op == "Tf":
            font = xobject.Resources.Font[operands[0]]
        elif op in ("TJ", "Tj"):
            parts = operands[0] if op == "TJ" else [operands[0]]
            cids = []
            for part in parts:
                if isinstance(part, pikepdf.String):
                    raw = bytes(part)
                    cids += [int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw), 2)]
            found.append((font, cids))
        elif op == "Do":
            inner = xobject.Resources.XObject[operands[0]]
            if inner.get("/Subtype") == "/Form":  # not the background picture
                _text_lines(inner, found)


def _widths(font) -> dict[int, float]:
    cid_font = font.DescendantFonts[0]
    widths, w = {}, list(cid_font.get("/W", []))
    i = 0
    while i < len(w):
        first = int(w[i])
        if isinstance(w[i + 1], pikepdf.Array):
            for k, value in enumerate(w[i + 1]):
                widths[first + k] = float(value)
            i += 2
        else:
            for cid in range(first, int(w[i + 1]) + 1):
                widths[cid] = float(w[i + 2])
            i += 3
    return widths


def test_the_signing_time_and_the_agency_fit_in_the_box(pki, settings):
    settings.SIGNING_FONT = ""
    if not appearance.font_path():
        pytest.skip("no candidate font installed (fonts-dejavu-core)")
    signed = sign_pdf(a_pdf(), installation_key(), Appearance(role="agency", agency=AGENCY_NAME))
    with pikepdf.open(io.BytesIO(signed)) as pdf:
        (widget,) = [a for a in pdf.pages[0].Annots if a.get("/FT") == "/Sig"]
        box_width = float(widget.Rect[2]) - float(widget.Rect[0])
        lines: list = []
        _text_lines(widget.AP.N, lines)
        assert len(lines) == 2  # the agency, the signing time
        for font, cids in lines:
            widths = _widths(font)
            assert max(widths.values()) <= 1000  # thousandths of an em, whatever the font's own units
            advance = sum(widths[cid] for cid in cids) * appearance.FONT_SIZE / 1000
            assert 0 < advance < box_width
            assert 0 not in cids  # no letter missing from the font (.notdef)
