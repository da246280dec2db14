"""Issue 17 §2: a citizen downloads a procedure's blank forms (mẫu đơn, tờ khai) from its page.

An administrator uploads the form of a paper (PDF, DOC, DOCX, ODT, checked by content and size by
the one upload check); the demo's declarations offer a blank Motcua draws from the catalog (title,
the form's fields with dotted lines, the legal basis). Both are served at
``/thu-tuc/<code>/mau/<paper id>/<name>`` with their type and a Vietnamese file name."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from html.parser import HTMLParser
from urllib.parse import quote

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.formatting import file_size
from tests.files.conftest import EXE, JPEG, media_dir, stored_files  # noqa: F401  (uploads in a fresh folder)

pytestmark = pytest.mark.django_db

BIRTH = "1.001193"  # Đăng ký khai sinh: its first paper is "Tờ khai đăng ký khai sinh"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_bytes(text: str = "Tờ khai") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document><w:t>{text}</w:t></w:document>')
    return out.getvalue()


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")  # stored, first
        z.writestr("content.xml", "<office:document-content/>", compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
DOC = OLE2 + "Root Entry".encode("utf-16-le") + bytes(50) + "WordDocument".encode("utf-16-le") + bytes(600)
XLS = OLE2 + "Root Entry".encode("utf-16-le") + bytes(50) + "Workbook".encode("utf-16-le") + bytes(600)


def pdf_text(content: bytes) -> str:
    assert content[:5] == b"%PDF-"
    raw = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    return " ".join(unicodedata.normalize("NFC", raw).split())


def declaration():
    from motcua.catalog.models import RequiredDocument

    return RequiredDocument.objects.select_related("procedure").get(procedure__code=BIRTH, name="Tờ khai đăng ký khai sinh")


class ChangeForm(HTMLParser):
    """The values an administrator's browser would send back from an admin change page."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and "__prefix__" not in name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value", "on" if a.get("type") in ("checkbox", "radio") else ""))
        elif tag == "select" and name and "__prefix__" not in name:
            self.select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self.select and "selected" in a:
            self.data[self.select].append(a.get("value", ""))
        elif tag == "textarea" and name and "__prefix__" not in name:
            self.textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][-1] += data


def admin_upload(admin_client, document, upload: SimpleUploadedFile):
    url = reverse("admin:catalog_procedure_change", args=[document.procedure_id])
    page = admin_client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page
    parser = ChangeForm()
    parser.feed(page)
    data = {k: (v if len(v) != 1 else v[0]) for k, v in parser.data.items()}
    row = next(k for k, v in data.items() if re.fullmatch(r"documents-\d+-id", k) and v == str(document.pk))
    data[row.replace("-id", "-template_upload")] = upload
    return admin_client.post(url, data)


# ------------------------------------------------------------------ an administrator's own file

def test_an_uploaded_form_is_downloaded_by_anyone_as_it_was_sent(admin_client, demo, media_dir):  # noqa: F811
    content = docx_bytes("Tờ khai đăng ký khai sinh – mẫu của tỉnh")
    r = admin_upload(admin_client, declaration(), SimpleUploadedFile("mau (1).docx", content, content_type="application/octet-stream"))
    assert r.status_code == 302, re.findall(r"errorlist[^>]*>(.*?)</ul>", r.content.decode(), re.S)[:10]
    doc = declaration()
    assert doc.template_content_type == DOCX_TYPE and doc.template_size == len(content)
    assert len(stored_files(media_dir)) == 1

    page = Client().get(f"/thu-tuc/{BIRTH}/").content.decode()
    link = re.search(r'<p class="blank-form"><a href="([^"]+)"[^>]*>Tải mẫu<span class="sr-only">: Tờ khai đăng ký khai sinh</span></a>'
                     r' <span class="hint">([^<]+)</span>', page)
    assert link, "the procedure page links the uploaded form"
    assert link.group(1) == f"/thu-tuc/{BIRTH}/mau/{doc.pk}/to-khai-dang-ky-khai-sinh.docx"
    assert link.group(2) == f"DOCX · {file_size(len(content))}"

    r = Client().get(link.group(1))
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == content
    assert r["Content-Type"] == DOCX_TYPE
    assert r["Content-Length"] == str(len(content))
    assert r["Content-Disposition"] == ("attachment; filename=\"to-khai-dang-ky-khai-sinh.docx\"; "
                                        f"filename*=UTF-8''{quote('Tờ khai đăng ký khai sinh.docx', safe='')}")
    assert "T%E1%BB%9D%20khai%20%C4%91%C4%83ng%20k%C3%BD" in r["Content-Disposition"]  # RFC 5987, UTF-8
    # the address is the paper's: without the name, or with another, the same file
    assert b"".join(Client().get(f"/thu-tuc/{BIRTH}/mau/{doc.pk}/").streaming_content) == content


def test_a_replaced_form_keeps_its_address_and_the_old_file_goes(admin_client, demo, media_dir,  # noqa: F811
                                                                  django_capture_on_commit_callbacks):
    from motcua.catalog import blankforms

    doc = declaration()
    blankforms.attach_upload(doc, SimpleUploadedFile("a.pdf", b"%PDF-1.7\nfirst\n%%EOF\n"))
    first = blankforms.offered(declaration())
    with django_capture_on_commit_callbacks(execute=True):
        r = admin_upload(admin_client, declaration(), SimpleUploadedFile("b.odt", odt_bytes()))
    assert r.status_code == 302
    second = blankforms.offered(declaration())
    assert second.content_type == "application/vnd.oasis.opendocument.text" and second.label == "ODT"
    assert second.url.rsplit("/", 1)[0] == first.url.rsplit("/", 1)[0]
    assert [p.suffix for p in stored_files(media_dir)] == [".odt"]


@pytest.mark.parametrize("name, content", [
    ("to-khai.pdf", EXE),             # a program named as a PDF
    ("to-khai.docx", xlsx_bytes()),   # a spreadsheet is a ZIP too, but not a text document
    ("to-khai.doc", XLS),             # an OLE2 file without a Word stream
    ("to-khai.jpg", JPEG),            # a photo is a paper, not a form
])
def test_a_file_that_is_not_a_form_is_refused_with_a_vietnamese_message(admin_client, demo, media_dir, name, content):  # noqa: F811
    r = admin_upload(admin_client, declaration(), SimpleUploadedFile(name, content))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Chỉ nhận tệp PDF, DOC, DOCX hoặc ODT (kiểm tra theo nội dung tệp, không theo tên tệp)." in html
    assert not declaration().template_file and stored_files(media_dir) == []


def test_doc_odt_and_pdf_are_told_by_their_content_and_the_size_limit_holds(demo, media_dir, settings):  # noqa: F811
    from motcua.catalog import blankforms
    from motcua.documents.services import FileTooLarge

    for content, kind in ((DOC, "application/msword"), (odt_bytes(), "application/vnd.oasis.opendocument.text"),
                          (b"%PDF-1.7\n%%EOF\n", "application/pdf"), (docx_bytes(), DOCX_TYPE)):
        blankforms.attach_upload(declaration(), SimpleUploadedFile("x.bin", content))
        assert declaration().template_content_type == kind
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(FileTooLarge):
        blankforms.attach_upload(declaration(), SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + bytes(2000)))
    assert declaration().template_content_type == DOCX_TYPE


def test_the_external_link_an_administrator_typed_still_shows(client, demo):
    doc = declaration()
    doc.template_url = "https://thutuc.dichvucong.gov.vn/mau/to-khai-khai-sinh.docx"
    doc.template_blank = False
    doc.save()
    html = client.get(f"/thu-tuc/{BIRTH}/").content.decode()
    assert f'<a href="{doc.template_url}">Tờ khai đăng ký khai sinh (mẫu do Bộ Tư pháp ban hành)</a>' in html
    assert f"/thu-tuc/{BIRTH}/mau/{doc.pk}/" not in html


def test_an_uploaded_form_survives_a_new_import_of_the_catalog(demo, media_dir):  # noqa: F811
    from motcua.catalog import blankforms
    from motcua.demo.catalog import seed_demo

    blankforms.attach_upload(declaration(), SimpleUploadedFile("a.pdf", b"%PDF-1.7\nmine\n%%EOF\n"))
    seed_demo(with_staff=False)  # the import replaces the procedure's papers
    blank = blankforms.offered(declaration())
    assert blank is not None and not blank.generated and blank.content_type == "application/pdf"
    assert b"".join(Client().get(blank.url).streaming_content) == b"%PDF-1.7\nmine\n%%EOF\n"


def test_a_new_version_of_the_procedure_keeps_the_form(demo, media_dir):  # noqa: F811
    import datetime as dt

    from motcua.catalog import blankforms, versions
    from motcua.catalog.models import Procedure

    blankforms.attach_upload(declaration(), SimpleUploadedFile("a.pdf", b"%PDF-1.7\nmine\n%%EOF\n"))
    old = Procedure.objects.get(code=BIRTH)
    rows = [{"name": d.name, "copy_type": d.copy_type} for d in old.documents.all()]
    new = versions.new_version(old, {"name": old.name}, levels=old.level_list, documents=rows, fees=[],
                               day=dt.date.today() + dt.timedelta(days=1))
    kept = new.documents.get(name="Tờ khai đăng ký khai sinh")
    assert kept.template_file.name == Procedure.objects.get(pk=old.pk).documents.get(name=kept.name).template_file.name
    assert blankforms.offered(kept).url.startswith(f"/thu-tuc/{BIRTH}/mau/{kept.pk}/")


def test_no_form_for_another_procedures_paper_or_a_paper_without_one(client, demo):
    from motcua.catalog.models import RequiredDocument

    doc = declaration()
    assert client.get(f"/thu-tuc/1.000894/mau/{doc.pk}/x.pdf").status_code == 404
    plain = RequiredDocument.objects.get(procedure__code=BIRTH, name="Giấy chứng sinh")
    assert client.get(f"/thu-tuc/{BIRTH}/mau/{plain.pk}/").status_code == 404
    assert client.get(f"/thu-tuc/{BIRTH}/mau/999999/").status_code == 404


# ------------------------------------------------------------------ the blank Motcua draws

def test_a_drawn_blank_is_a_real_pdf_with_title_fields_and_legal_basis(client, demo, media_dir):  # noqa: F811
    from motcua.catalog.models import Procedure

    doc = declaration()
    assert doc.template_blank and not doc.template_file  # the demo fixture draws nothing
    page = client.get(f"/thu-tuc/{BIRTH}/").content.decode()
    url = f"/thu-tuc/{BIRTH}/mau/{doc.pk}/to-khai-dang-ky-khai-sinh.pdf"
    assert f'href="{url}"' in page and "PDF · mẫu trống do Motcua tạo, in ra để điền tay" in page

    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert f"filename*=UTF-8''{quote('Tờ khai đăng ký khai sinh.pdf', safe='')}" in r["Content-Disposition"]
    content = b"".join(r.streaming_content)
    text = pdf_text(content)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in text
    assert "Mẫu trống do hệ thống Motcua tạo" in text and "mẫu chính thức: Tờ khai đăng ký khai sinh (mẫu do Bộ Tư pháp ban hành)" in text
    for field in Procedure.objects.get(code=BIRTH).form:
        assert f"{field['label']}:" in text, field["label"]
    assert "Giới tính: ☐ Nam ☐ Nữ" in text
    assert "Họ, chữ đệm và tên người yêu cầu: ....." in text  # a dotted line to fill by hand
    assert "Luật Hộ tịch số 60/2014/QH13 (Điều 13–17)" in text
    assert "NGƯỜI YÊU CẦU" in text and "Tôi cam đoan" in text

    # drawn once: kept, its size shown, served again without drawing
    drawn = stored_files(media_dir)
    assert len(drawn) == 1 and drawn[0].read_bytes() == content
    page = client.get(f"/thu-tuc/{BIRTH}/").content.decode()
    assert f"PDF · {file_size(len(content))} · mẫu trống do Motcua tạo" in page and " KB · " in page
    assert b"".join(client.get(url).streaming_content) == content
    assert len(stored_files(media_dir)) == 1


def test_a_changed_form_draws_the_blank_again(client, demo, media_dir):  # noqa: F811
    from motcua.catalog import blankforms
    from motcua.catalog.models import Procedure

    doc = declaration()
    first = pdf_text(b"".join(client.get(blankforms.offered(doc).url).streaming_content))
    assert "Nghề nghiệp của người mẹ" not in first
    p = Procedure.objects.get(code=BIRTH)
    p.form = [*p.form, {"name": "mother_job", "label": "Nghề nghiệp của người mẹ", "type": "text", "required": False}]
    p.save()
    blank = blankforms.offered(declaration())
    assert blank.size is None  # what is stored no longer matches the catalog
    assert "Nghề nghiệp của người mẹ:" in pdf_text(b"".join(client.get(blank.url).streaming_content))


def test_seed_demo_draws_every_declaration_once(demo, media_dir):  # noqa: F811
    from django.core.management import call_command

    from motcua.catalog.models import RequiredDocument

    asked = RequiredDocument.objects.filter(template_blank=True)
    names = set(asked.values_list("name", flat=True))
    assert "Tờ khai đăng ký khai sinh" in names and "Đơn đề nghị cấp giấy phép xây dựng" in names
    assert all(n.startswith(("Tờ khai ", "Đơn ")) for n in names)
    out = io.StringIO()
    call_command("seed_demo", "--no-staff", stdout=out)
    assert f"Mẫu đơn, tờ khai trống: {asked.count()} mẫu mới." in out.getvalue()
    assert not asked.filter(template_size__isnull=True).exists()
    out = io.StringIO()
    call_command("seed_demo", "--no-staff", stdout=out)  # idempotent: nothing drawn again
    assert "Mẫu đơn, tờ khai trống" not in out.getvalue()


# ------------------------------------------------------------------ the API

def test_the_procedure_api_names_the_form_file(api, demo, media_dir):  # noqa: F811
    from motcua.catalog import blankforms

    blankforms.attach_upload(declaration(), SimpleUploadedFile("a.pdf", b"%PDF-1.7\nmine\n%%EOF\n"))
    body = api.get(f"/procedures/{BIRTH}").json()
    first, second = body["documents"][0], body["documents"][1]
    assert first["template_file"] == {
        "url": f"http://testserver/thu-tuc/{BIRTH}/mau/{declaration().pk}/to-khai-dang-ky-khai-sinh.pdf",
        "filename": "Tờ khai đăng ký khai sinh.pdf", "content_type": "application/pdf",
        "size": len(b"%PDF-1.7\nmine\n%%EOF\n"), "generated": False}
    assert first["template_url"] == "" and first["template_name"].startswith("Tờ khai đăng ký khai sinh")
    assert second["name"] == "Giấy chứng sinh" and second["template_file"] is None


# ------------------------------------------------------------------ the filing wizard

def test_the_papers_step_of_online_filing_links_the_blank(demo, media_dir):  # noqa: F811
    from motcua.accounts.models import Role, User
    from motcua.catalog.models import RequiredDocument

    marital = "1.004873"
    citizen = Client()
    citizen.force_login(User.objects.create_user("cd-17f", role=Role.CITIZEN, full_name="Lò Văn Pản"))
    assert citizen.post(f"/thu-tuc/{marital}/nop-ho-so/").status_code == 302
    html = citizen.get(f"/thu-tuc/{marital}/nop-ho-so/giay-to/").content.decode()
    paper = RequiredDocument.objects.get(procedure__code=marital, name__startswith="Tờ khai")
    assert (f'<a href="/thu-tuc/{marital}/mau/{paper.pk}/to-khai-cap-giay-xac-nhan-tinh-trang-hon-nhan.pdf" '
            f'download="Tờ khai cấp Giấy xác nhận tình trạng hôn nhân.pdf" type="application/pdf">Tải mẫu') in html
    assert html.count('class="blank-form"') == RequiredDocument.objects.filter(procedure__code=marital, template_blank=True).count()
