"""Scans made here, from Vietnamese text with diacritics: the page is typeset (Typst, the
fonts of its wheel), rasterised at 200 dpi, turned a little and saved as a grey JPEG — what
a counter's scanner gives — or several such pages as a PDF (img2pdf, no re-encoding)."""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter

import img2pdf
import typst
from PIL import Image

BIRTH_CERTIFICATE = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
GIẤY KHAI SINH
Họ, chữ đệm, tên: Nguyễn Thị Hồng Nhung
Ngày, tháng, năm sinh: mười lăm tháng bảy năm hai nghìn không trăm mười tám
Giới tính: Nữ. Dân tộc: Kinh. Quốc tịch: Việt Nam
Nơi sinh: Bệnh viện Đa khoa tỉnh Hà Giang, phường Nguyễn Trãi
Quê quán: xã Phương Độ, thành phố Hà Giang, tỉnh Hà Giang
Họ, chữ đệm, tên người mẹ: Trần Thị Thu Hường, dân tộc Kinh
Họ, chữ đệm, tên người cha: Nguyễn Văn Đức, dân tộc Kinh
Nơi đăng ký khai sinh: Ủy ban nhân dân phường Trần Phú
Ngày, tháng, năm đăng ký: hai mươi tháng bảy năm hai nghìn không trăm mười tám
Người đi khai sinh: Nguyễn Văn Đức, quan hệ với người được khai sinh: cha đẻ
Người thực hiện: công chức tư pháp hộ tịch Lê Thị Quỳnh Trang
Chủ tịch Ủy ban nhân dân phường ký tên, đóng dấu và ghi rõ họ tên"""

_SOURCE = b"""#set page(paper: "a4", margin: 2cm)
#set text(size: 13pt, lang: "vi")
#let t = sys.inputs.t
#for l in t.split("\\n") [ #l \\ ]
"""


def page_image(text: str, dpi: int = 200, angle: float = 0.4) -> Image.Image:
    png = typst.compile(_SOURCE, format="png", ppi=dpi, sys_inputs={"t": text}, ignore_system_fonts=True)
    drawn = Image.open(io.BytesIO(png))
    page = Image.new("L", drawn.size, 255)
    page.paste(drawn.convert("L"), mask=drawn.split()[-1])
    return page.rotate(angle, fillcolor=255, resample=Image.Resampling.BICUBIC)


def jpeg(text: str = BIRTH_CERTIFICATE, dpi: int | None = 200, **kwargs) -> bytes:
    out = io.BytesIO()
    image = page_image(text, dpi=dpi or 200, **kwargs)
    if dpi:
        image.save(out, "JPEG", quality=70, dpi=(dpi, dpi))
    else:
        image.save(out, "JPEG", quality=70)  # no resolution recorded, as from a phone's camera
    return out.getvalue()


def pdf(texts: list[str], dpi: int = 200) -> bytes:
    """One scanned page a text."""
    return img2pdf.convert([jpeg(t, dpi=dpi) for t in texts])


def tiny_pdf(pages: int) -> bytes:
    """``pages`` pages of one small scanned line (the same image each time): a long scan that
    stays small."""
    out = io.BytesIO()
    Image.new("L", (400, 560), 255).save(out, "JPEG", quality=50, dpi=(50, 50))
    return img2pdf.convert([out.getvalue()] * pages)


_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> Counter:
    return Counter(w.casefold() for w in _WORD.findall(unicodedata.normalize("NFC", text)))


def share_recovered(truth: str, recognised: str) -> float:
    """The share of ``truth``'s words (with their diacritics, case ignored) found in
    ``recognised``, each counted as often as it occurs."""
    expected, got = words(truth), words(recognised)
    return sum((expected & got).values()) / sum(expected.values())
