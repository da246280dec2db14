"""The officer digitises a paper at the counter (TT 01/2023/TT-VPCP): the scan is uploaded
with "Số hóa", the dossier page shows the progress and then the PDF/A; its metadata is
recorded; a failed one is digitised again; and the text of digitised papers is searched
within the officer's own units only (``dossiers.scope``)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.documents import ocr
from motcua.documents.models import Digitisation, DossierFile
from tests.documents import scanmaker
from tests.files.conftest import media_dir  # noqa: F401  (uploads to a temporary folder)

PAPER = "Bản sao Giấy khai sinh"


def run_worker() -> int:
    from motcua.server.worker import run_due_tasks

    return run_due_tasks(schedule=False)


def upload(client, code, content, name, follow=False, **form):
    return client.post(reverse("office:dossier_upload", args=[code]),
                       {"file": SimpleUploadedFile(name, content), "kind": "", **form}, follow=follow)


def page(client, code) -> str:
    r = client.get(reverse("office:dossier", args=[code]))
    assert r.status_code == 200
    return r.content.decode()


@pytest.mark.skipif(not ocr.available(), reason="Tesseract with its Vietnamese model is not installed")
def test_scan_digitised_at_the_counter_then_found_by_its_words_in_scope_only(login, receive, django_capture_on_commit_callbacks):
    dossier = receive()
    officer = login("motcua.yt")
    with django_capture_on_commit_callbacks(execute=True):
        r = upload(officer, dossier.code, scanmaker.jpeg(), "giay-khai-sinh.jpg", digitise="1",
                   paper_code="125/2018", issuer="UBND phường Trần Phú", issued_on="2018-07-20", valid_forever="1")
    assert r.status_code == 302 and r["Location"].endswith("#papers")
    html = page(officer, dossier.code)
    assert "Đang số hóa" in html and "<progress" in html and 'hx-trigger="every 5s"' in html
    assert "Số 125/2018 · UBND phường Trần Phú · ngày 20/07/2018 · Có hiệu lực vĩnh viễn" in html

    assert run_worker() == 1
    html = page(officer, dossier.code)
    assert "Đã số hóa: PDF/A, 1 trang, có lớp chữ" in html and "every 5s" not in html
    assert "giay-khai-sinh.pdf" in html and "Số hóa giấy tờ" in html  # the trail

    found = officer.get(reverse("office:paper_search"), {"q": "nguyen thi hong nhung tran phu"})
    text = found.content.decode()
    assert dossier.code in text and "Nguyễn Thị Hồng Nhung" in text
    other = login("motcua.mx")  # another commune's counter: not in its scope
    assert dossier.code not in other.get(reverse("office:paper_search"), {"q": "hong nhung"}).content.decode()


def test_the_paper_metadata_is_checked_and_recorded(login, receive):
    dossier = receive()
    officer = login("motcua.yt")
    upload(officer, dossier.code, scanmaker.tiny_pdf(1), "cccd.pdf")
    record = DossierFile.objects.get(dossier=dossier)
    url = reverse("office:paper_describe", args=[dossier.code, record.pk])
    r = officer.post(url, {"paper_code": "001", "owner_id_number": "12ab", "issued_on": "2020-01-02",
                           "valid_until": "2019-01-01"}, follow=True)
    text = r.content.decode()
    assert "Thông tin giấy tờ chưa hợp lệ" in text and "9 đến 13 chữ số" in text and "trước ngày ban hành" in text
    record.refresh_from_db()
    assert record.paper_code == ""  # nothing written on an error
    officer.post(url, {"paper_code": "001/CCCD", "owner_id_number": "015 190 000 456", "issuer": "Cục Cảnh sát QLHC về TTXH",
                       "issued_on": "2021-05-01", "valid_until": "2036-05-01"})
    record.refresh_from_db()
    assert (record.paper_code, record.owner_id_number, str(record.valid_until)) == ("001/CCCD", "015190000456", "2036-05-01")
    event = dossier.events.order_by("-seq").first()
    assert event.action == "describe_document"
    assert "015190000456" not in str(event.changes)  # the trail names the fields, not the ID number


def test_a_citizen_cannot_set_a_papers_metadata(client, receive, demo):
    from motcua.accounts.models import User

    dossier = receive()
    client.force_login(User.objects.get(username="motcua.mx"))  # an officer of another unit
    r = client.post(reverse("office:paper_describe", args=[dossier.code, 1]), {"issuer": "x"})
    assert r.status_code == 404


def test_a_failed_digitisation_is_shown_and_started_again(login, receive, monkeypatch, django_capture_on_commit_callbacks):
    def broken(source, target, image_dpi=None):
        raise ocr.OcrFailed("scan_unreadable", "Không đọc được các trang của bản quét.", True)

    monkeypatch.setattr(ocr, "recognise", broken)
    monkeypatch.setattr(ocr, "available", lambda: True)
    dossier = receive()
    officer = login("motcua.yt")
    with django_capture_on_commit_callbacks(execute=True):
        upload(officer, dossier.code, scanmaker.tiny_pdf(1), "a.pdf", digitise="1")
    run_worker()
    html = page(officer, dossier.code)
    assert "Số hóa không thành công: Không đọc được các trang của bản quét." in html and "Số hóa lại" in html
    record = DossierFile.objects.get(dossier=dossier)
    monkeypatch.setattr(ocr, "missing", lambda: ("tesseract-ocr",))
    monkeypatch.setattr(ocr, "available", lambda: False)
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(reverse("office:paper_redigitise", args=[dossier.code, record.pk]))
    assert Digitisation.objects.get(file=record).status == "pending"
    run_worker()
    html = page(officer, dossier.code)
    assert "Đã lưu bản quét, chưa nhận dạng chữ" in html


def test_a_bad_scan_is_refused_on_the_page_with_the_reason(login, receive, media_dir):  # noqa: F811
    dossier = receive()
    r = upload(login("motcua.yt"), dossier.code, b"%PDF-1.4\n" + b"\x00" * 200, "hong.pdf", digitise="1", follow=True)
    assert "Không đọc được tệp PDF" in r.content.decode()
    assert not DossierFile.objects.exists()
