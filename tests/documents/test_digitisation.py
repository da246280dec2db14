"""Digitisation at the counter (TT 01/2023/TT-VPCP; CONTRACT §2: ``digitise=true`` on an
upload, the listing's ``digitised`` ``pending``/``done``/``failed``/null): the scan is read
by OCRmyPDF with Tesseract's Vietnamese model into a PDF/A with a text layer, in the
background, step by step with its progress; bad scans get a clear 4xx and store nothing;
without Tesseract the scan is kept as it is, "chưa nhận dạng chữ"."""

from __future__ import annotations

import io

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.documents import digitisation, ocr, scans
from motcua.documents.models import Digitisation, DossierFile
from tests.documents import scanmaker
from tests.files.conftest import stored_files

pytestmark = pytest.mark.db_agnostic  # PostgreSQL cannot change it (docs/testing.md)

KIND = "Tờ khai đăng ký khai sinh"
needs_ocr = pytest.mark.skipif(not ocr.available(), reason="Tesseract with its Vietnamese model is not installed")


def upload(api, code, content: bytes, name: str, digitise=True, **form):
    data = {"file": SimpleUploadedFile(name, content), "kind": KIND, **form}
    if digitise:
        data["digitise"] = "true"
    return api.client.post(f"/api/v1/dossiers/{code}/documents", data, **api.headers)


def listing(api, code) -> list[dict]:
    return api.get(f"/dossiers/{code}/documents").json()["items"]


def served(api, code, file_id) -> bytes:
    return b"".join(api.get(f"/dossiers/{code}/documents/{file_id}").streaming_content)


def text_layer(content: bytes) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(content))


@needs_ocr
def test_a_scan_comes_back_as_pdfa_whose_text_layer_holds_its_words(api_as, online_dossier, committed, run_worker):
    """The issue's measure: a scan generated from Vietnamese text with diacritics comes back
    as PDF/A whose text layer holds at least 95 % of the words (the figure is printed)."""
    dossier = online_dossier()
    officer = api_as("motcua.yt")
    scan = scanmaker.jpeg()
    with committed():
        r = upload(officer, dossier.code, scan, "giay-khai-sinh.jpg")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["digitised"] == "pending" and body["digitisation"]["progress"] == 0
    assert body["content_type"] == "image/jpeg"  # until the worker is done, the scan is what is served

    assert run_worker() == 1
    item = next(i for i in listing(officer, dossier.code) if i["id"] == body["id"])
    assert item["digitised"] == "done", item
    assert item["digitisation"]["recognised"] is True and item["digitisation"]["progress"] == 100
    assert item["digitisation"]["digitised_by"] == "motcua.yt" and item["digitisation"]["digitised_at"]
    assert item["content_type"] == "application/pdf" and item["name"] == "giay-khai-sinh.pdf"
    content = served(officer, dossier.code, body["id"])
    with pikepdf.open(io.BytesIO(content)) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B"
        assert len(pdf.pages) == 1
    share = scanmaker.share_recovered(scanmaker.BIRTH_CERTIFICATE, text_layer(content))
    print(f"\nOCR: {share:.1%} of the words recovered ({sum(scanmaker.words(scanmaker.BIRTH_CERTIFICATE).values())} words)")
    assert share >= 0.95
    found = Digitisation.objects.get(file_id=body["id"])
    assert stored_files_bytes(found.original.name) == scan  # the scan as uploaded is kept


def stored_files_bytes(name: str) -> bytes:
    from django.core.files.storage import default_storage

    with default_storage.open(name, "rb") as handle:
        return handle.read()


@needs_ocr
def test_a_long_scan_is_worked_a_few_pages_a_step_with_its_progress(api_as, online_dossier, committed, run_worker,
                                                                    monkeypatch):
    monkeypatch.setattr(digitisation, "PAGES_PER_STEP", 2)
    dossier = online_dossier()
    officer = api_as("motcua.yt")
    texts = [f"Trang thứ {n}: Ủy ban nhân dân xã Phương Độ chứng thực bản sao đúng với bản chính" for n in ("một", "hai", "ba")]
    with committed():
        body = upload(officer, dossier.code, scanmaker.pdf(texts), "so-ho-khau.pdf").json()
    assert body["digitisation"]["pages"] == 3

    from motcua.server.worker import run_due_tasks

    assert run_due_tasks(schedule=False, worker_id="one-step") >= 1  # both steps run: the first enqueues the second
    item = next(i for i in listing(officer, dossier.code) if i["id"] == body["id"])
    assert item["digitised"] == "done" and item["digitisation"]["pages_done"] == 3
    text = text_layer(served(officer, dossier.code, body["id"]))
    for n in ("một", "hai", "ba"):
        assert f"Trang thứ {n}" in text
    with pikepdf.open(io.BytesIO(served(officer, dossier.code, body["id"]))) as pdf:
        assert len(pdf.pages) == 3 and pdf.open_metadata().pdfa_status == "2B"
    assert not stored_work(body["id"])  # the parts are removed once joined


def stored_work(file_id) -> list:
    from django.core.files.storage import default_storage

    found = Digitisation.objects.get(file_id=file_id)
    try:
        return default_storage.listdir(f"{digitisation.WORK_DIR}/{found.pk}")[1]
    except FileNotFoundError:
        return []


def test_progress_is_shown_between_steps(api_as, online_dossier, committed, monkeypatch):
    """One step's worth of pages at a time: after the first of three steps, a third is done."""
    calls = []

    def recognise(source, target, image_dpi=None):
        calls.append(source)
        with pikepdf.open(source) as pdf:
            pdf.save(target)

    monkeypatch.setattr(ocr, "recognise", recognise)
    monkeypatch.setattr(ocr, "available", lambda: True)
    monkeypatch.setattr(digitisation, "PAGES_PER_STEP", 4)
    dossier = online_dossier()
    officer = api_as("motcua.yt")
    with committed():
        body = upload(officer, dossier.code, scanmaker.tiny_pdf(12), "dai.pdf").json()
    found = Digitisation.objects.get(file_id=body["id"])
    assert digitisation.run_step(found.pk) == "pending"
    item = next(i for i in listing(officer, dossier.code) if i["id"] == body["id"])
    assert (item["digitised"], item["digitisation"]["pages_done"], item["digitisation"]["progress"]) == ("pending", 4, 33)
    assert item["digitisation"]["step"] == "Đã nhận dạng 4/12 trang"


def test_a_200_page_scan_is_taken_at_once_and_never_worked_in_the_request(api_as, online_dossier, committed):
    """A 200-page scan: the upload answers at once (201, pending, 200 pages counted); the OCR
    is the worker's, in steps of ``PAGES_PER_STEP`` pages, never the request's."""
    from django_tasks_db.models import DBTaskResult

    dossier = online_dossier()
    with committed():
        r = upload(api_as("motcua.yt"), dossier.code, scanmaker.tiny_pdf(200), "ho-so-dat-dai.pdf")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["digitised"] == "pending"
    assert (body["digitisation"]["pages"], body["digitisation"]["pages_done"]) == (200, 0)
    queued = DBTaskResult.objects.filter(task_path="motcua.documents.digitisation.digitise_step")
    assert queued.count() == 1
    assert -(-200 // digitisation.PAGES_PER_STEP) == 20  # twenty short steps, not one long task


def test_a_scan_over_the_page_limit_is_refused_with_the_limit_named(api_as, online_dossier, media_dir, settings):
    settings.DIGITISE_MAX_PAGES = 150
    dossier = online_dossier()
    r = upload(api_as("motcua.yt"), dossier.code, scanmaker.tiny_pdf(151), "qua-dai.pdf")
    assert r.status_code == 413, r.content
    error = r.json()["error"]
    assert error["code"] == "too_many_pages" and "151 trang" in error["message"] and "150 trang" in error["message"]
    assert stored_files(media_dir) == [] and not DossierFile.objects.exists()


def _encrypted() -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(scanmaker.tiny_pdf(1))) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(user="mat-khau", owner="mat-khau"))
    return out.getvalue()


@pytest.mark.parametrize("make, code, words", [
    (lambda: scanmaker.tiny_pdf(2)[:-900], "scan_unreadable", "bị hỏng"),
    (lambda: b"%PDF-1.7\n" + b"\x00garbage" * 50, "scan_unreadable", "bị hỏng"),
    (_encrypted, "pdf_encrypted", "mật khẩu"),
])
def test_a_damaged_or_locked_pdf_gets_a_clear_message_and_stores_nothing(api_as, online_dossier, media_dir, make, code, words):
    dossier = online_dossier()
    r = upload(api_as("motcua.yt"), dossier.code, make(), "hong.pdf")
    assert r.status_code == 422, r.content
    error = r.json()["error"]
    assert error["code"] == code and words in error["message"]
    assert stored_files(media_dir) == [] and not DossierFile.objects.exists()


def test_a_damaged_image_gets_a_clear_message(api_as, online_dossier, media_dir):
    dossier = online_dossier()
    r = upload(api_as("motcua.yt"), dossier.code, scanmaker.jpeg()[:3000], "anh-hong.jpg")
    assert r.status_code == 422 and r.json()["error"]["code"] == "scan_unreadable"
    assert stored_files(media_dir) == []


def _with_javascript(content: bytes) -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(content)) as pdf:
        pdf.Root.OpenAction = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")))
        page = pdf.pages[0].obj
        page.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(2)")))
        pdf.save(out)
    return out.getvalue()


@needs_ocr
def test_javascript_in_a_scanned_pdf_never_reaches_the_digitised_copy(api_as, online_dossier, committed, run_worker):
    dossier = online_dossier()
    officer = api_as("motcua.yt")
    scripted = _with_javascript(scanmaker.pdf(["Bản sao chứng thực giấy chứng nhận quyền sử dụng đất"]))
    with pikepdf.open(io.BytesIO(scripted)) as pdf:
        assert scans.has_scripts(pdf)
    with committed():
        body = upload(officer, dossier.code, scripted, "co-ma.pdf").json()
    run_worker()
    assert next(i for i in listing(officer, dossier.code) if i["id"] == body["id"])["digitised"] == "done"
    with pikepdf.open(io.BytesIO(served(officer, dossier.code, body["id"]))) as pdf:
        assert not scans.has_scripts(pdf)
    assert Digitisation.objects.get(file_id=body["id"]).scripts_removed
    events = officer.get(f"/dossiers/{dossier.code}").json()["events"]
    assert events[-1]["action"] == "digitise_document" and events[-1]["changes"]["document"]["scripts_removed"] is True


def test_without_tesseract_the_scan_is_kept_as_it_is_and_flagged(api_as, online_dossier, committed, run_worker, monkeypatch):
    monkeypatch.setattr(ocr, "missing", lambda: ("tesseract-ocr", "tesseract-ocr-vie"))
    dossier = online_dossier()
    officer = api_as("motcua.yt")
    scan = scanmaker.jpeg(dpi=None)
    with committed():
        body = upload(officer, dossier.code, scan, "chup-dien-thoai.jpg").json()
    run_worker()
    item = next(i for i in listing(officer, dossier.code) if i["id"] == body["id"])
    assert item["digitised"] == "done" and item["digitisation"]["recognised"] is False
    assert item["digitisation"]["step"] == "chưa nhận dạng chữ"
    assert served(officer, dossier.code, body["id"]) == scan and item["content_type"] == "image/jpeg"


def test_the_deploy_check_warns_when_tesseract_is_missing(monkeypatch):
    from motcua.documents.checks import ocr_installed

    monkeypatch.setattr(ocr, "missing", lambda: ("tesseract-ocr-vie",))
    (warning,) = ocr_installed()
    assert warning.id == "motcua.documents.W001" and "tesseract-ocr-vie" in warning.msg
    assert "chưa nhận dạng chữ" in warning.msg
    monkeypatch.setattr(ocr, "missing", lambda: ())
    assert ocr_installed() == []


def test_ocr_is_found_missing_when_tesseract_is_not_on_the_path(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    ocr.forget()
    try:
        assert "tesseract-ocr" in ocr.missing() and not ocr.available()
    finally:
        monkeypatch.undo()
        ocr.forget()


def test_a_failing_step_is_retried_then_marked_failed_losing_nothing(api_as, online_dossier, committed, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    def broken(source, target, image_dpi=None):
        raise ocr.OcrFailed("ocr_failed", "Nhận dạng chữ không thành công, sẽ thử lại.", False)

    monkeypatch.setattr(ocr, "recognise", broken)
    monkeypatch.setattr(ocr, "available", lambda: True)
    dossier = online_dossier()
    officer = api_as("motcua.yt")
    scan = scanmaker.tiny_pdf(1)
    with committed():
        body = upload(officer, dossier.code, scan, "a.pdf").json()
    found = Digitisation.objects.get(file_id=body["id"])
    for attempt in range(len(digitisation.RETRY_DELAYS)):
        assert digitisation.run_step(found.pk) == "pending"
    later = DBTaskResult.objects.filter(task_path="motcua.documents.digitisation.digitise_step").order_by("-enqueued_at").first()
    assert later.run_after is not None  # a retry waits (backoff), it is not spun at once
    assert digitisation.run_step(found.pk) == "failed"
    item = next(i for i in listing(officer, dossier.code) if i["id"] == body["id"])
    assert item["digitised"] == "failed" and "không thành công" in item["digitisation"]["error"]
    assert served(officer, dossier.code, body["id"]) == scan  # the scan stays what is served


def test_only_an_officer_who_handles_the_dossier_digitises(api_as, online_dossier, media_dir):
    dossier = online_dossier()
    r = upload(api_as("congdan"), dossier.code, scanmaker.tiny_pdf(1), "a.pdf")
    assert r.status_code == 403 and r.json()["error"]["code"] == "digitise_by_officer_only"
    r = upload(api_as("congdan"), dossier.code, scanmaker.tiny_pdf(1), "a.pdf", digitise=False, issuer="UBND")
    assert r.status_code == 403
    assert stored_files(media_dir) == []


def test_an_upload_without_digitise_is_listed_with_digitised_null(api_as, online_dossier):
    dossier = online_dossier()
    body = upload(api_as("congdan"), dossier.code, scanmaker.tiny_pdf(1), "a.pdf", digitise=False).json()
    assert body["digitised"] is None and body["digitisation"] is None
    assert listing(api_as("congdan"), dossier.code)[0]["digitised"] is None
