"""The papers handed in at the counter (issue 7, §5 "The receipt"): the receipt (Mẫu 01)
lists exactly the papers ticked, read back from the PDF; a missing mandatory paper is
warned about, and the counter prints the supplementation guidance (Mẫu 02) instead."""

from __future__ import annotations

import re

import io
import unicodedata

import pypdf
import pytest
from django.urls import reverse

from motcua.dossiers.models import Dossier

INTAKE = "/can-bo/tiep-nhan/"
BIRTH = "1.001193"  # Đăng ký khai sinh (commune level)
FORM = "Tờ khai đăng ký khai sinh"
BIRTH_CERTIFICATE = "Giấy chứng sinh"
SURROGACY = "Văn bản chứng minh việc mang thai hộ"
ID_PAPER = ("Giấy tờ tùy thân của người yêu cầu (hộ chiếu, thẻ căn cước, căn cước công dân hoặc giấy tờ có ảnh "
            "do cơ quan có thẩm quyền cấp, còn giá trị sử dụng)")
BIRTH_INTAKE = {"unit": "YB.LY.YT", "procedure": BIRTH, "channel": "direct", "delivery": "counter",
                "full_name": "Hà Văn Khánh", "id_number": "015190007777", "phone": "0912000111",
                "email": "", "address": "Thôn 2, Yên Thế"}


def pdf(content: bytes) -> tuple[str, int]:
    """The text of a PDF (NFC, whitespace collapsed) and its number of pages."""
    assert content[:5] == b"%PDF-", content[:60]
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split()), len(reader.pages)


def received_section(text: str) -> str:
    """Item 1 of Mẫu 01, "Thành phần hồ sơ nộp gồm", up to item 2."""
    start = text.index("1. Thành phần hồ sơ nộp gồm")
    return text[start:text.index("2. Số lượng hồ sơ", start)]


def test_the_receipt_lists_exactly_the_papers_ticked(login):
    client = login("motcua.yt")
    papers = [FORM, BIRTH_CERTIFICATE, ID_PAPER]
    response = client.post(INTAKE, {**BIRTH_INTAKE, "papers": papers})
    assert response.status_code == 302, response.content.decode()[:3000]
    dossier = Dossier.objects.get()
    text, pages = pdf(client.get(reverse("printing:receipt", args=[dossier.code])).content)
    section = received_section(text)
    for name in (FORM, BIRTH_CERTIFICATE, "Giấy tờ tùy thân của người yêu cầu"):
        assert name in section, (name, section)
    for absent in (SURROGACY, "Biên bản xác nhận việc trẻ bị bỏ rơi", "Văn bản ủy quyền"):
        assert absent not in text
    assert pages == 1
    page = client.get(reverse("office:dossier", args=[dossier.code])).content.decode()
    # The scan upload and the supplement request offer every paper of the procedure to choose
    # from; the papers the page says were received are the rest of it.
    page = re.sub(r"<select.*?</select>", "", page, flags=re.S)
    page = re.sub(r'<details class="action".*?</details>', "", page, flags=re.S)
    assert SURROGACY not in page and BIRTH_CERTIFICATE in page


def test_a_missing_mandatory_paper_is_warned_about_and_nothing_is_taken_in(login):
    client = login("motcua.yt")
    response = client.post(INTAKE, {**BIRTH_INTAKE, "papers": [FORM]})
    html = response.content.decode()
    assert response.status_code == 200
    assert Dossier.objects.count() == 0
    assert 'id="missing-papers"' in html and "chưa được tiếp nhận" in html
    warning = html[html.index('id="missing-papers"'):]
    warning = warning[:warning.index("</div>")]
    assert BIRTH_CERTIFICATE in warning and "Giấy tờ tùy thân" in warning
    assert SURROGACY not in warning and FORM not in warning
    assert 'name="_guidance"' in warning and 'name="_accept_incomplete"' in warning
    # The papers ticked stay ticked on the page shown again.
    assert f'value="{FORM}" checked' in html


def test_the_guidance_mau_02_lists_the_missing_papers_instead_of_a_receipt(login):
    client = login("motcua.yt")
    response = client.post(INTAKE, {**BIRTH_INTAKE, "papers": [FORM], "_guidance": "1"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert Dossier.objects.count() == 0
    text, pages = pdf(response.content)
    assert "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ".upper() in text.upper()
    assert "Mẫu số 02" in text
    assert "Hà Văn Khánh" in text and "Đăng ký khai sinh" in text
    table = text[text.index("Thành phần hồ sơ cần bổ sung"):]
    assert BIRTH_CERTIFICATE in table and "Giấy tờ tùy thân" in table
    assert SURROGACY not in text and "Giấy tiếp nhận hồ sơ" not in text
    assert pages == 1


def test_taking_in_anyway_prints_a_one_page_receipt_with_only_the_ticked_paper(login):
    """Issue 7: "a birth registration with no box ticked printed a 2-page receipt listing a
    surrogacy document". With one paper ticked, the receipt lists that one."""
    client = login("motcua.yt")
    response = client.post(INTAKE, {**BIRTH_INTAKE, "papers": [FORM], "_accept_incomplete": "1"})
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    text, pages = pdf(client.get(reverse("printing:receipt", args=[dossier.code])).content)
    section = received_section(text)
    assert FORM in section
    assert BIRTH_CERTIFICATE not in section and "Giấy tờ tùy thân" not in section
    assert SURROGACY not in text
    assert pages == 1


@pytest.mark.parametrize("papers", [[], [FORM, BIRTH_CERTIFICATE, ID_PAPER]])
def test_complete_or_not_the_search_button_never_takes_in(login, papers):
    response = login("motcua.yt").post(INTAKE, {**BIRTH_INTAKE, "papers": papers, "_search": "1"})
    assert response.status_code == 200 and Dossier.objects.count() == 0
    assert 'id="missing-papers"' not in response.content.decode()
