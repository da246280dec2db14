"""Uploading a dossier's papers: type by content, size limit, checksums, access, reuse.

CONTRACT §2: ``POST /dossiers/{code}/documents`` → 201 ``{id, name, sha256, size,
content_type}``; 415 for a type that is not PDF/JPEG/PNG by content; 413 over the limit.
"""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from tests.files.conftest import EXE, JPEG, PDF, PNG, TO_RESULT_RETURNED, advance, stored_files


def upload(api, code, content: bytes, name: str, kind: str | None = None, content_type: str = "application/octet-stream"):
    data = {"file": SimpleUploadedFile(name, content, content_type=content_type)}
    if kind is not None:
        data["kind"] = kind
    return api.client.post(f"/api/v1/dossiers/{code}/documents", data, **api.headers)


def assert_contract_error(response, status: int, code: str | None = None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    if code:
        assert body["error"]["code"] == code
    return body


@pytest.mark.parametrize("content, content_type", [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")])
def test_owner_uploads_a_paper_with_its_checksum_size_and_type_detected(api_as, online_dossier, media_dir, content, content_type):
    dossier = online_dossier()
    r = upload(api_as("congdan"), dossier.code, content, "Tờ khai đăng ký khai sinh.dat", kind="Tờ khai đăng ký khai sinh")
    body = r.json()
    assert r.status_code == 201, body
    assert body["name"] == "Tờ khai đăng ký khai sinh.dat"
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["size"] == len(content)
    assert body["content_type"] == content_type
    files = stored_files(media_dir)
    assert len(files) == 1 and files[0].read_bytes() == content


def test_upload_appends_an_event_to_the_audit_trail(api_as, online_dossier):
    dossier = online_dossier()
    seq = dossier.last_event_seq
    r = upload(api_as("congdan"), dossier.code, PDF, "giay-to.pdf")
    assert r.status_code == 201
    detail = api_as("motcua.yt").get(f"/dossiers/{dossier.code}").json()
    last = detail["events"][-1]
    assert last["action"] == "upload_document"
    assert last["seq"] == seq + 1
    assert last["from_status"] == last["to_status"] == "received"
    assert last["changes"]["document"]["sha256"] == hashlib.sha256(PDF).hexdigest()


def test_text_file_named_png_is_refused_with_415(api_as, online_dossier, media_dir):
    dossier = online_dossier()
    r = upload(api_as("congdan"), dossier.code, b"just some text, not an image\n", "anh-chan-dung.png", content_type="image/png")
    body = assert_contract_error(r, 415, "unsupported_media_type")
    assert "file" in body["error"]["fields"]
    assert stored_files(media_dir) == []


def test_windows_program_renamed_pdf_is_refused_with_415(api_as, online_dossier, media_dir):
    dossier = online_dossier()
    r = upload(api_as("congdan"), dossier.code, EXE, "to-khai.pdf", content_type="application/pdf")
    assert_contract_error(r, 415, "unsupported_media_type")
    assert stored_files(media_dir) == []
    from motcua.documents.models import DossierFile

    assert not DossierFile.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=1024)
def test_file_over_the_limit_is_refused_with_413_and_nothing_is_written(api_as, online_dossier, media_dir):
    dossier = online_dossier()
    seq = dossier.last_event_seq
    r = upload(api_as("congdan"), dossier.code, PDF + bytes(2000), "ban-scan.pdf")
    assert_contract_error(r, 413, "file_too_large")
    assert stored_files(media_dir) == []
    dossier.refresh_from_db()
    assert dossier.last_event_seq == seq


@override_settings(UPLOAD_MAX_BYTES=1024)
def test_file_of_exactly_the_limit_is_accepted(api_as, online_dossier):
    dossier = online_dossier()
    content = PDF + bytes(1024 - len(PDF))
    r = upload(api_as("congdan"), dossier.code, content, "vua-du.pdf")
    assert r.status_code == 201, r.content
    assert r.json()["size"] == 1024


@override_settings(UPLOAD_MAX_BYTES=1024)
def test_body_far_over_the_limit_is_refused_before_it_is_read(api_as, online_dossier, media_dir):
    dossier = online_dossier()
    r = upload(api_as("congdan"), dossier.code, PDF + bytes(200_000), "rat-lon.pdf")
    assert_contract_error(r, 413, "file_too_large")
    assert stored_files(media_dir) == []


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_form_field_over_djangos_memory_limit_is_a_413_contract_body(api_as, online_dossier):
    dossier = online_dossier()
    r = upload(api_as("congdan"), dossier.code, PDF, "a.pdf", kind="x" * 5000)
    assert_contract_error(r, 413)


@override_settings(DATA_UPLOAD_MAX_NUMBER_FILES=1)
def test_too_many_files_in_one_request_is_a_400_contract_body(api_as, online_dossier):
    dossier = online_dossier()
    api = api_as("congdan")
    data = {"file": SimpleUploadedFile("a.pdf", PDF), "other": SimpleUploadedFile("b.pdf", PDF)}
    r = api.client.post(f"/api/v1/dossiers/{dossier.code}/documents", data, **api.headers)
    assert_contract_error(r, 400)


@override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=100)
def test_file_spooled_to_a_temporary_file_is_stored_intact(api_as, online_dossier, media_dir):
    dossier = online_dossier()
    content = PNG + bytes(range(256)) * 20
    r = upload(api_as("congdan"), dossier.code, content, "anh.png")
    assert r.status_code == 201, r.content
    assert r.json()["sha256"] == hashlib.sha256(content).hexdigest()
    assert stored_files(media_dir)[0].read_bytes() == content


def test_broken_multipart_body_is_a_400_contract_body(api_as, online_dossier):
    dossier = online_dossier()
    api = api_as("congdan")
    r = api.client.post(f"/api/v1/dossiers/{dossier.code}/documents", b"--x\r\nnot a part", content_type="multipart/form-data", **api.headers)
    assert_contract_error(r, 400)


def test_missing_file_is_a_422(api_as, online_dossier):
    dossier = online_dossier()
    api = api_as("congdan")
    r = api.client.post(f"/api/v1/dossiers/{dossier.code}/documents", {"kind": "Tờ khai"}, **api.headers)
    body = assert_contract_error(r, 422, "missing_file")
    assert "file" in body["error"]["fields"]


def test_unknown_kind_is_a_422_listing_the_required_papers(api_as, online_dossier, media_dir):
    dossier = online_dossier()
    r = upload(api_as("congdan"), dossier.code, PDF, "a.pdf", kind="Sổ đỏ")
    body = assert_contract_error(r, 422, "unknown_document_kind")
    assert "kind" in body["error"]["fields"]
    assert stored_files(media_dir) == []


def test_kind_matches_the_required_document_ignoring_case_and_spacing(api_as, online_dossier):
    from motcua.catalog.models import RequiredDocument

    dossier = online_dossier()
    name = RequiredDocument.objects.filter(procedure=dossier.procedure).first().name
    r = upload(api_as("congdan"), dossier.code, PDF, "a.pdf", kind="  " + name.upper() + " ")
    assert r.status_code == 201, r.content
    assert r.json()["kind"] == name


def test_counter_officer_of_the_unit_uploads(api_as, online_dossier):
    dossier = online_dossier()
    r = upload(api_as("motcua.yt"), dossier.code, JPEG, "scan.jpg")
    assert r.status_code == 201, r.content


def test_officer_of_another_unit_gets_404(api_as, online_dossier):
    dossier = online_dossier()
    r = upload(api_as("motcua.mx"), dossier.code, PDF, "a.pdf")
    assert_contract_error(r, 404)


def test_another_citizen_gets_404(api_as, online_dossier):
    from motcua.accounts.models import Role, User

    User.objects.create_user("congdan2", password="motcua-demo-2", role=Role.CITIZEN)
    dossier = online_dossier()
    r = upload(api_as("congdan2"), dossier.code, PDF, "a.pdf")
    assert_contract_error(r, 404)


def test_inspector_sees_but_may_not_upload(api_as, online_dossier, media_dir):
    dossier = online_dossier()
    assert api_as("thanhtra.yb").get(f"/dossiers/{dossier.code}/documents").status_code == 200
    r = upload(api_as("thanhtra.yb"), dossier.code, PDF, "a.pdf")
    assert_contract_error(r, 403)
    assert stored_files(media_dir) == []


def test_anonymous_upload_is_401(api, online_dossier):
    dossier = online_dossier()
    r = upload(api, dossier.code, PDF, "a.pdf")
    assert_contract_error(r, 401)


def test_only_officers_upload_the_result(api_as, online_dossier):
    dossier = advance(online_dossier(), *TO_RESULT_RETURNED[:3])
    assert_contract_error(upload(api_as("congdan"), dossier.code, PDF, "kq.pdf", kind="result"), 403)
    r = upload(api_as("motcua.yt"), dossier.code, PDF, "giay-khai-sinh.pdf", kind="result")
    assert r.status_code == 201, r.content
    assert r.json()["is_result"] is True


def test_owner_cannot_add_papers_to_a_closed_dossier(api_as, online_dossier):
    dossier = advance(online_dossier(), *TO_RESULT_RETURNED)
    assert_contract_error(upload(api_as("congdan"), dossier.code, PDF, "muon.pdf"), 409, "dossier_closed")


def test_list_and_download_return_the_exact_bytes(api_as, online_dossier):
    dossier = online_dossier()
    owner = api_as("congdan")
    file_id = upload(owner, dossier.code, PNG, "anh the.png").json()["id"]
    listing = api_as("motcua.yt").get(f"/dossiers/{dossier.code}/documents").json()
    assert [item["id"] for item in listing["items"]] == [file_id]
    r = owner.get(f"/dossiers/{dossier.code}/documents/{file_id}")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/png"
    assert "attachment" in r["Content-Disposition"]
    assert b"".join(r.streaming_content) == PNG


def test_download_by_someone_else_is_404(api_as, online_dossier):
    dossier = online_dossier()
    file_id = upload(api_as("congdan"), dossier.code, PDF, "a.pdf").json()["id"]
    assert_contract_error(api_as("motcua.mx").get(f"/dossiers/{dossier.code}/documents/{file_id}"), 404)
    assert_contract_error(api_as("motcua.mx").get(f"/dossiers/{dossier.code}/documents"), 404)


def test_file_of_another_dossier_is_404(api_as, online_dossier):
    first, second = online_dossier(), online_dossier()
    file_id = upload(api_as("congdan"), first.code, PDF, "a.pdf").json()["id"]
    assert_contract_error(api_as("congdan").get(f"/dossiers/{second.code}/documents/{file_id}"), 404)


def test_same_paper_of_the_same_citizen_is_linked_not_stored_twice(api_as, online_dossier, media_dir):
    """Decision 766/QĐ-TTg indicator 4.3 counts dossiers that reuse digitised data
    (shared/domain/reports.md)."""
    from motcua.documents.models import DossierFile

    first, second = online_dossier(), online_dossier()
    owner = api_as("congdan")
    a = upload(owner, first.code, PDF, "cccd.pdf").json()
    b = upload(owner, second.code, PDF, "can-cuoc.pdf").json()
    assert a["id"] != b["id"] and a["sha256"] == b["sha256"]
    assert "reused" not in b and "reused" not in a  # the answer never tells whether the bytes were known
    assert len(stored_files(media_dir)) == 1
    assert DossierFile.objects.get(pk=b["id"]).reused_from_id == a["id"]
    r = owner.get(f"/dossiers/{second.code}/documents/{b['id']}")
    assert b"".join(r.streaming_content) == PDF


def test_same_bytes_of_a_different_citizen_are_stored_separately(api_as, online_dossier, media_dir):
    first = online_dossier()
    second = online_dossier(id_number="015090009999")
    from motcua.accounts.models import Role, User
    from motcua.dossiers.models import Dossier

    other = User.objects.create_user("congdan2", password="motcua-demo-2", role=Role.CITIZEN)
    Dossier.objects.filter(pk=second.pk).update(owner=other)
    upload(api_as("congdan"), first.code, PDF, "a.pdf")
    r = upload(api_as("congdan2"), second.code, PDF, "a.pdf")
    assert r.status_code == 201 and "reused" not in r.json()
    assert "reused" not in str(api_as("congdan2").get(f"/dossiers/{second.code}").json()["events"])
    assert len(stored_files(media_dir)) == 2


def test_failed_database_write_leaves_no_orphan_file(api_as, online_dossier, media_dir, monkeypatch):
    """A failure after the bytes are stored removes them again (no file without a row)."""
    from motcua.documents import services

    dossier = online_dossier()

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "record_event", broken)
    with pytest.raises(RuntimeError):
        services.upload_document(dossier.owner, dossier.code, SimpleUploadedFile("a.pdf", PDF), "")
    assert stored_files(media_dir) == []
    assert not services.DossierFile.objects.exists()


def test_browser_session_upload_with_csrf_token(online_dossier, media_dir):
    """The portal posts the form with the session cookie and the CSRF token field."""
    from django.test import Client

    dossier = online_dossier()
    browser = Client(enforce_csrf_checks=True)
    assert browser.login(username="congdan", password="motcua-demo")
    browser.get("/")  # sets the CSRF cookie
    token = browser.cookies["csrftoken"].value if "csrftoken" in browser.cookies else None
    if token is None:
        from django.middleware.csrf import _get_new_csrf_string

        token = _get_new_csrf_string()
        browser.cookies["csrftoken"] = token
    url = f"/api/v1/dossiers/{dossier.code}/documents"
    refused = browser.post(url, {"file": SimpleUploadedFile("a.pdf", PDF)})
    assert refused.status_code == 401 and stored_files(media_dir) == []
    r = browser.post(url, {"file": SimpleUploadedFile("a.pdf", PDF), "csrfmiddlewaretoken": token})
    assert r.status_code == 201, r.content


def test_payment_order_without_a_body(api_as, online_dossier):
    dossier = online_dossier("2.000815")
    api = api_as("congdan")
    url = f"/api/v1/dossiers/{dossier.code}/payments"
    # An empty body is a valid request: the default configuration then answers 409 no_gateway.
    r = api.client.post(url, b"", content_type="application/json", **api.headers)
    assert r.status_code == 409 and r.json()["error"]["code"] == "no_gateway", r.content
    r = api.client.generic("POST", url, b"", content_type="", **api.headers)
    assert r.status_code == 409 and r.json()["error"]["code"] == "no_gateway", r.content


def test_openapi_document_describes_the_upload(api):
    spec = api.get("/openapi.json").json()
    body = spec["paths"]["/api/v1/dossiers/{code}/documents"]["post"]["requestBody"]
    assert "multipart/form-data" in body["content"]
    assert "/api/v1/dossiers/{code}/rating" in spec["paths"]


def test_a_result_is_never_digitised_even_with_the_box_ticked(api_as, online_dossier):
    """The office form ticks "Số hóa" by default; a result is born digital (and signed), not a
    scan: it is stored as uploaded, byte for byte, and never queued for OCR."""
    from motcua.documents.models import Digitisation

    dossier = advance(online_dossier(), *TO_RESULT_RETURNED[:3])
    officer = api_as("motcua.yt")
    r = officer.client.post(f"/api/v1/dossiers/{dossier.code}/documents",
                            {"file": SimpleUploadedFile("kq.pdf", PDF), "kind": "result", "digitise": "true"},
                            **officer.headers)
    assert r.status_code == 201, r.content
    assert r.json()["is_result"] is True and r.json()["digitised"] is None
    assert not Digitisation.objects.exists()
    got = officer.client.get(f"/api/v1/dossiers/{dossier.code}/documents/{r.json()['id']}", **officer.headers)
    assert b"".join(got.streaming_content) == PDF
