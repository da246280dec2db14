"""The visible signature (NĐ 30/2020/NĐ-CP Appendix I, as far as shared/domain/national-systems.md
§3.1 confirms it): the signing time in ISO 8601 Vietnam time and the agency's name, in a
serif font with Vietnamese letters at 10 pt, black; the agency's box at the top right of page 1
with the red seal (a transparent PNG) when one is set; the leader's box with their handwritten
signature image (blue, transparent PNG) when one is set. Both carry the QR code of the result's
verification link (/xac-thuc/{token}/).

What the domain file does not confirm is configurable: where each box goes
(``MOTCUA_SIGNING_AGENCY_BOX``, ``MOTCUA_SIGNING_LEADER_BOX``; on the printed forms, whose top
right holds the national motto, ``MOTCUA_SIGNING_FORM_BOX``), the font (``MOTCUA_SIGNING_FONT``)
and the seal (``MOTCUA_SIGNING_SEAL_IMAGE``, or the unit's own).
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

from django.conf import settings

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",  # metrics of Times New Roman
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
)
# The letters a Vietnamese name and "Thời gian ký" need: a font without them drops them from the box
# (Liberation Serif before 2.1 has no precomposed ạ, ấ, ờ …).
VIETNAMESE = "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđĐơư"
FONT_SIZE = 10
PX_PER_PT = 4


def font_path() -> str:
    """``MOTCUA_SIGNING_FONT``, else the first candidate installed that has the Vietnamese letters."""
    if settings.SIGNING_FONT:
        return settings.SIGNING_FONT
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists() and _has_vietnamese(candidate):
            return candidate
    return ""


@functools.lru_cache(maxsize=8)
def _has_vietnamese(path: str) -> bool:
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, lazy=True) as font:
            cmap = font.getBestCmap() or {}
    except Exception:
        return False
    return all(ord(letter) in cmap for letter in VIETNAMESE)


def box_setting(role: str, box: str = "") -> tuple[int, float, float, float, float]:
    """``page, x, y, width, height`` of ``box`` (a setting's value), else of ``role``'s setting."""
    raw = box or (settings.SIGNING_AGENCY_BOX if role == "agency" else settings.SIGNING_LEADER_BOX)
    page, x, y, w, h = (float(part) for part in raw.split(","))
    return int(page), x, y, w, h


def place(data: bytes, role: str, box: str = "") -> tuple[int, tuple[int, int, int, int]]:
    """The page index and the box (PDF points, from the bottom left) of ``role``'s signature
    (at ``box`` when given: a value as the box settings')."""
    import pikepdf

    page_no, x, y, w, h = box_setting(role, box)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        count = len(pdf.pages)
        index = page_no - 1 if page_no > 0 else count + page_no
        index = max(0, min(count - 1, index))
        llx, lly, urx, ury = (float(v) for v in pdf.pages[index].mediabox)
    width, height = urx - llx, ury - lly
    w, h = min(w, width), min(h, height)
    x1 = llx + (x if x >= 0 else width + x - w)
    y1 = lly + (height - y - h if y >= 0 else -y)
    return index, (round(x1), round(y1), round(x1 + w), round(y1 + h))


def free_field_name(writer, role: str) -> str:
    """A signature field name not yet in the document (``MotcuaAgency``, ``MotcuaAgency2`` …)."""
    from pyhanko.sign.fields import enumerate_sig_fields

    taken = {name for name, _value, _ref in enumerate_sig_fields(writer, filled_status=None)}
    base = "MotcuaAgency" if role == "agency" else "MotcuaLeader"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    return name


def text_params(appearance, signer: str, signed_at: str) -> dict:
    if appearance.role == "agency":
        lines = [appearance.agency or signer, f"Thời gian ký: {signed_at}"]
    else:
        lines = [f"Người ký: {signer}", *([appearance.agency] if appearance.agency else []), f"Thời gian ký: {signed_at}"]
    return {"text": "\n".join(lines)}


def _qr(url: str):
    import segno
    from PIL import Image

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=8, border=1)
    out.seek(0)
    return Image.open(out).convert("RGBA")


def _png(data: bytes):
    from PIL import Image

    try:
        return Image.open(io.BytesIO(data)).convert("RGBA")
    except Exception:
        return None


def background(appearance, size: tuple[float, float]):
    """The box's picture: the QR code on the left, the seal (agency) or the signer's image
    (leader) beside it, under the text."""
    from PIL import Image

    w, h = int(size[0] * PX_PER_PT), int(size[1] * PX_PER_PT)
    canvas = Image.new("RGBA", (w, h), (255, 255, 255, 0))
    left = 0
    if appearance.verify_url:
        qr = _qr(appearance.verify_url).resize((h, h), Image.NEAREST)
        canvas.alpha_composite(qr, (0, 0))
        left = h
    picture = _png(appearance.seal_image if appearance.role == "agency" else appearance.signer_image)
    if picture is not None:
        picture.thumbnail((max(1, w - left), h))
        canvas.alpha_composite(picture, (left, (h - picture.height) // 2))
    return canvas


@functools.lru_cache(maxsize=4)
def _font_factory(path: str):
    return _factory_class()(path)


@functools.cache
def _factory_class():
    """pyHanko's embedded-font engine, with glyph widths in thousandths of an em as PDF wants them.

    pyHanko 0.38 writes a TrueType font's widths (``/W``) and its ``TJ`` adjustments in the font's
    own units: right only for fonts of 1000 units per em. Liberation and DejaVu have 2048, so
    every letter advanced twice its width and the text ran out of the box. Here HarfBuzz shapes
    at 1000 units per em and the widths are scaled to match; a font of 1000 is unchanged.
    ``tests/signing/test_appearance.py`` checks the widths a signature writes.
    """
    from dataclasses import dataclass

    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory

    class Accumulator(GlyphAccumulator):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.font_units = self.units_per_em
            if self.font_units != 1000:
                self.hb_font.scale = (1000, 1000)
                self.units_per_em = 1000

        def _get_cid_and_width(self, glyph_id: int) -> tuple[int, int]:
            if glyph_id in self._glyphs:
                return self._glyphs[glyph_id]
            cid, width = super()._get_cid_and_width(glyph_id)
            self._glyphs[glyph_id] = result = cid, round(width * 1000 / self.font_units)
            return result

    @dataclass(frozen=True)
    class Factory(GlyphAccumulatorFactory):
        def create_font_engine(self, writer, obj_stream=None):
            if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
                obj_stream = writer.prepare_object_stream()
            return Accumulator(
                writer=writer, font_handle=open(self.font_file, "rb"), font_size=self.font_size,  # noqa: SIM115
                ot_script_tag=self.ot_script_tag, ot_language_tag=self.ot_language_tag,
                writing_direction=self.writing_direction, bcp47_lang_code=self.bcp47_lang_code, obj_stream=obj_stream)

    return Factory


def stamp_style(appearance, box_size: tuple[float, float] | None = None):
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    _page, _x, _y, w, h = box_setting(appearance.role, appearance.box)
    w, h = box_size or (w, h)
    path = font_path()
    text_style = TextBoxStyle(font=_font_factory(path), font_size=FONT_SIZE) if path else TextBoxStyle(font_size=FONT_SIZE)
    qr_width = h if appearance.verify_url else 0
    return TextStampStyle(
        stamp_text="%(text)s",
        text_box_style=text_style,
        border_width=0,
        background=PdfImage(background(appearance, (w, h))),
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MID,
            inner_content_scaling=layout.InnerScaling.STRETCH_TO_FIT),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins(left=int(qr_width) + 4, right=2, top=2, bottom=2)),
    )
