"""Issue 17 §2, the filing wizard's dead ends, through the pages (no JavaScript):

- a file over the limit threw the citizen onto a bare "413" page that showed "Đăng nhập" as if
  logged out: it is answered on the same step, with the limit, the other papers kept;
- field errors looked like hints (``.field-error`` unstyled, a ``<p>`` inside a ``<p>``): one error
  style (``.error`` beside a ``.field.invalid``) with ``aria-invalid`` and ``aria-describedby``;
- required fields were marked on step 2 only: every step marks them the same way."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.files.conftest import PDF, media_dir, stored_files  # noqa: F401
from tests.filing.test_filing_pages import BASE, citizen, fill_to_review, paper_index  # noqa: F401

pytestmark = pytest.mark.django_db


class Nesting(HTMLParser):
    """Records a <p> (or <div>) opened inside an open <p>: invalid HTML the browser splits."""

    def __init__(self):
        super().__init__()
        self.open_p = 0
        self.nested: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "div") and self.open_p:
            self.nested.append(f"<{tag} {dict(attrs)}>")
        if tag == "p":
            self.open_p += 1

    def handle_endtag(self, tag):
        if tag == "p" and self.open_p:
            self.open_p -= 1


def nested_paragraphs(html: str) -> list[str]:
    parser = Nesting()
    parser.feed(html[html.index("<main"):])
    return parser.nested


def test_an_oversize_file_is_answered_on_the_same_step_logged_in(citizen, settings, media_dir):  # noqa: F811
    from motcua.filing.models import DraftPaper

    fill_to_review(citizen)
    i = paper_index(citizen)
    html = citizen.get(BASE + "giay-to/").content.decode()
    slots = sorted({int(n) for n in re.findall(r'name="file_(\d+)"', html)})
    other = next(n for n in slots if n != i)
    settings.UPLOAD_MAX_BYTES = 1000
    r = citizen.post(BASE + "giay-to/", {f"file_{i}": SimpleUploadedFile("can-cuoc.pdf", PDF + b"x" * 5000),
                                         f"file_{other}": SimpleUploadedFile("to-khai.pdf", PDF), "upload": "1"})
    html = r.content.decode()
    assert r.status_code == 413
    assert "<h1>Giấy tờ</h1>" in html and 'name="file_' in html          # the same step, not a bare error page
    assert "Đăng xuất" in html and "Đăng nhập</a>" not in html             # still logged in
    assert "Tệp “can-cuoc.pdf” lớn hơn giới hạn" in html and "1.000 byte" in html
    assert 'aria-invalid="true"' in html
    # The paper under the limit sent with it is kept; the oversize one is not stored.
    assert list(DraftPaper.objects.values_list("name", flat=True)) == ["to-khai.pdf"]
    assert len(stored_files(media_dir)) == 1


def test_an_oversize_body_elsewhere_gets_the_page_of_a_logged_in_user(citizen, settings):  # noqa: F811
    """Outside the wizard the 413 page stays, but with the citizen's own header and a way back."""
    settings.UPLOAD_MAX_BYTES = 1000
    r = citizen.post("/ho-so-cua-toi/KHONG-CO/bo-sung/", {"file": SimpleUploadedFile("x.pdf", PDF + b"x" * 5000)},
                     HTTP_REFERER="http://testserver/ho-so-cua-toi/")
    html = r.content.decode()
    assert r.status_code == 413 and "Đăng xuất" in html and "Đăng nhập</a>" not in html


def test_the_limit_is_stated_beside_each_file_field_and_checked_in_the_browser(citizen, settings):  # noqa: F811
    fill_to_review(citizen)
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    html = citizen.get(BASE + "giay-to/").content.decode()
    inputs = re.findall(r'<input[^>]*type="file"[^>]*>', html)
    assert inputs and all(f'data-max-bytes="{10 * 1024 * 1024}"' in tag and "aria-describedby=" in tag for tag in inputs)
    assert html.count("Tối đa 10 MB") >= len(inputs)
    assert re.search(r'<script src="/static/motcua/filesize(\.[0-9a-f]+)?\.js" defer', html)


def test_field_errors_have_one_style_and_aria_invalid(citizen):  # noqa: F811
    assert citizen.post(BASE).status_code == 302
    r = citizen.post(BASE + "nguoi-nop/", {"full_name": "", "id_number": "123", "phone": "0912345678", "unit": "YB.LY.MX"})
    html = r.content.decode()
    assert r.status_code == 422
    assert "field-error" not in html
    tag = re.search(r'<input id="f-id_number"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in tag and 'aria-describedby="e-id_number"' in tag
    assert re.search(r'<div class="field invalid">\s*<label for="f-id_number"', html)
    assert re.search(r'<p class="error" id="e-id_number">', html)
    assert nested_paragraphs(html) == []


def test_required_fields_are_marked_the_same_way_on_every_step(citizen):  # noqa: F811
    assert citizen.post(BASE).status_code == 302
    first = citizen.get(BASE + "nguoi-nop/").content.decode()
    fill_to_review(citizen)
    second = citizen.get(BASE + "to-khai/").content.decode()
    third = citizen.get(BASE + "giay-to/").content.decode()
    mark = '<abbr class="req" title="bắt buộc">*</abbr>'
    for html in (first, second):
        assert "Mục có dấu * là bắt buộc." in html
        assert mark in html
    for html in (first, second, third):
        assert nested_paragraphs(html) == []
    # Step 3 marks the papers to upload the same way (here none: the ID card is shown at the counter).
    assert ("Mục có dấu * là bắt buộc." in third) == (mark in third)
    assert re.search(r'<label for="f-full_name">Họ và tên ' + re.escape(mark), first)
    assert 'id="f-full_name"' in first and re.search(r'<input id="f-full_name"[^>]*aria-required="true"', first)
    assert not re.search(r'<label for="f-email">[^<]*<abbr', first)   # optional: not marked


def test_review_states_the_fee_in_dong(citizen):  # noqa: F811
    """Issue 17 §2: review and confirmation showed no fee; they state it as the procedure page does."""
    from motcua.catalog.models import FeeLine, Procedure

    fill_to_review(citizen)
    html = citizen.get(BASE + "xem-lai/").content.decode()
    assert 'id="fee"' in html and "Chưa có số tiền cụ thể trên hệ thống" in html
    FeeLine.objects.create(procedure=Procedure.objects.get(code="1.004873"), name="Lệ phí", amount=15000, per="bản")
    html = citizen.get(BASE + "xem-lai/").content.decode()
    assert "Số tiền phải nộp: <strong>15.000\u00a0đồng</strong>" in html or "Số tiền phải nộp: <strong>15.000 đồng</strong>" in html
