"""The shared Typst helper: data is data (never markup), fonts are the embedded ones, files go beside."""

from __future__ import annotations

import pytest

from motcua.printing.pdf import TemplateNotFound, render_pdf
from tests.printing.conftest import has_image, is_a4_portrait, nfc, pdf_reader, pdf_text

pytestmark = pytest.mark.db_agnostic  # PostgreSQL cannot change it (docs/testing.md)

LOGO_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#b3261e"/></svg>'
# A 1×1 grey PNG: binary files work as well as text ones.
PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010800000000"
    "3a7e9b550000000a49444154789c636800000082008177cd72b60000000049454e44ae426082"
)

TRICKY = 'Lê Thị Ngọc Hân #exit() $x^2$ *đậm* _nghiêng_ @nhãn <a> [ngoặc] \\ // "trích"'


def test_user_text_with_typst_markup_is_printed_literally():
    """Applicant names and notes are user input: passing them as JSON keeps them inert."""
    pdf = render_pdf("selftest", {"title": "Kiểm tra", "lines": [TRICKY]})
    assert nfc(TRICKY) in pdf_text(pdf)


def test_vietnamese_text_with_every_tone_survives_the_round_trip():
    sample = "Đăng ký khai sinh · Ủy ban nhân dân xã Nậm Manh · ặẳẵằắ ộổỗồố ựửữừứ ỵỷỹỳý"
    pdf = render_pdf("selftest", {"title": "Tiếng Việt", "lines": [sample]})
    reader = pdf_reader(pdf)
    assert is_a4_portrait(reader.pages[0])
    assert nfc(sample) in pdf_text(pdf)


def test_only_the_fonts_embedded_in_the_typst_wheel_are_used():
    pdf = render_pdf("selftest", {"title": "Phông chữ", "lines": ["Nguyễn Văn An"]})
    fonts = set()
    for page in pdf_reader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("Libertinus" in name for name in fonts), fonts


def test_files_are_written_beside_the_template_for_one_compilation():
    pdf = render_pdf("selftest", {"title": "Tệp kèm", "lines": ["Ảnh"], "image": "anh.png"}, files={"anh.png": PIXEL_PNG})
    assert has_image(pdf_reader(pdf).pages[0])
    svg = render_pdf("selftest", {"title": "Tệp kèm", "lines": [], "image": "logo.svg"}, files={"logo.svg": LOGO_SVG})
    assert "Tệp kèm" in pdf_text(svg)


@pytest.mark.parametrize("name", ["../settings", "/etc/passwd", "sub/qr.svg", "common.typ"])
def test_file_names_cannot_escape_or_replace_templates(name):
    with pytest.raises(ValueError):
        render_pdf("selftest", {"title": "x", "lines": []}, files={name: b"<svg/>"})


@pytest.mark.parametrize("name", ["khong-co", "../pdf", "common/../receipt"])
def test_unknown_template_is_a_lookup_error(name):
    with pytest.raises(TemplateNotFound):
        render_pdf(name, {})
