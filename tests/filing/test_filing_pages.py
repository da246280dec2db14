"""Online filing at /thu-tuc/{code}/nop-ho-so/ and my dossiers at /ho-so-cua-toi/ (CONTRACT §7),
through the pages only (plain forms, no JavaScript), with real files read back."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests.files.conftest import EXE, PDF, advance, media_dir, online_dossier, stored_files  # noqa: F401

MARITAL = "1.004873"
BASE = f"/thu-tuc/{MARITAL}/nop-ho-so/"


@pytest.fixture
def citizen(demo):
    from motcua.accounts.models import User

    user = User.objects.get(username="congdan")
    user.full_name, user.id_number, user.phone, user.email, user.address = (
        "Nguyễn Văn An", "015090001234", "0912345678", "an@example.vn", "Thôn 3, xã Minh Xuân")
    user.save()
    client = Client()
    client.force_login(user)
    return client


def count():
    from motcua.dossiers.models import Dossier, DossierEvent
    from motcua.documents.models import DossierFile

    return Dossier.objects.count(), DossierEvent.objects.count(), DossierFile.objects.count()


def fill_to_review(client, unit="YB.LY.MX"):
    assert client.post(BASE).status_code == 302
    r = client.get(BASE + "nguoi-nop/")
    assert "Nguyễn Văn An" in r.content.decode() and "015090001234" in r.content.decode()  # pre-filled from the profile
    r = client.post(BASE + "nguoi-nop/", {"full_name": "Nguyễn Văn An", "id_number": "015 090 001 234",
                                          "phone": "0912345678", "email": "", "address": "Thôn 3, xã Minh Xuân", "unit": unit})
    assert r.status_code == 302 and r["Location"].endswith("/to-khai/")
    r = client.post(BASE + "to-khai/", {"purpose": "Để đăng ký kết hôn", "marital_status": "Chưa kết hôn", "copies": "1"})
    assert r.status_code == 302 and r["Location"].endswith("/giay-to/")
    return r


def paper_index(client) -> int:
    html = client.get(BASE + "giay-to/").content.decode()
    return int(re.search(r'<legend>Giấy tờ tùy thân.*?name="file_(\d+)"', html, re.S).group(1))


def test_the_procedure_page_links_to_online_filing(client, demo):
    html = client.get(f"/thu-tuc/{MARITAL}/").content.decode()
    assert f'href="{BASE}"' in html and "Nộp hồ sơ trực tuyến" in html
    assert BASE not in client.get("/thu-tuc/2.000884/").content.decode()  # not offered online
    assert client.get("/thu-tuc/2.000884/nop-ho-so/").status_code in (302, 404)


def test_filing_asks_to_log_in(client, demo):
    r = client.get(BASE)
    assert r.status_code == 302 and "/tai-khoan/dang-nhap/" in r["Location"]


def test_the_whole_filing_by_plain_forms(citizen):
    from motcua.dossiers.models import Dossier

    fill_to_review(citizen)
    i = paper_index(citizen)
    r = citizen.post(BASE + "giay-to/", {f"file_{i}": SimpleUploadedFile("cccd.pdf", PDF), "upload": "1"})
    assert r.status_code == 302
    assert "cccd.pdf" in citizen.get(BASE + "giay-to/").content.decode()
    assert citizen.post(BASE + "giay-to/", {}).status_code == 302
    assert citizen.post(BASE + "nhan-ket-qua/", {"delivery": "electronic"}).status_code == 302
    review = citizen.get(BASE + "xem-lai/").content.decode()
    assert "Để đăng ký kết hôn" in review and "cccd.pdf" in review and "Bản điện tử" in review
    r = citizen.post(BASE + "nop/")
    assert r.status_code == 302 and "/bien-nhan/" in r["Location"]
    dossier = Dossier.objects.get()
    assert (dossier.channel, dossier.status, dossier.owner.username, dossier.delivery) == ("online", "submitted", "congdan", "electronic")
    assert dossier.data["purpose"] == "Để đăng ký kết hôn" and dossier.applicant_id_number == "015090001234"
    paper = dossier.files.get()
    assert paper.kind.startswith("Giấy tờ tùy thân") and paper.file.read() == PDF
    receipt = citizen.get(r["Location"]).content.decode()
    assert dossier.code in receipt and dossier.due_at.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%d/%m/%Y") in receipt
    assert "Tiếp theo" in receipt
    qr = citizen.get(f"/ho-so-cua-toi/{dossier.code}/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"].startswith("image/svg+xml")
    assert citizen.get(BASE + "xem-lai/").status_code == 302  # the draft is gone


def test_a_missing_answer_is_shown_on_the_page_and_kept(citizen):
    citizen.post(BASE)
    r = citizen.post(BASE + "to-khai/", {"purpose": "", "marital_status": "Chưa kết hôn", "copies": "hai"})
    assert r.status_code == 422
    html = r.content.decode()
    assert "Vui lòng điền “Mục đích sử dụng giấy xác nhận”." in html and "Phải là một số" in html
    assert 'value="hai"' in html


def test_a_renamed_exe_and_an_oversize_file_are_refused_and_write_nothing(citizen, settings, media_dir):  # noqa: F811
    from motcua.filing.models import DraftPaper

    fill_to_review(citizen)
    i = paper_index(citizen)
    before = count()
    r = citizen.post(BASE + "giay-to/", {f"file_{i}": SimpleUploadedFile("giay-to.pdf", EXE), "upload": "1"})
    assert r.status_code == 422 and "Chỉ nhận tệp PDF, JPEG hoặc PNG" in r.content.decode()
    settings.UPLOAD_MAX_BYTES = 100
    r = citizen.post(BASE + "giay-to/", {f"file_{i}": SimpleUploadedFile("to.pdf", PDF + b"x" * 200), "upload": "1"})
    assert r.status_code == 413 and "Tệp “to.pdf” lớn hơn giới hạn" in r.content.decode()  # said on the step (issue 17 §2)
    assert count() == before and not DraftPaper.objects.exists() and stored_files(media_dir) == []


def test_leave_and_resume_the_draft_from_my_dossiers(citizen):
    fill_to_review(citizen)
    from motcua.accounts.models import User

    other = Client()  # another phone, the same account
    other.force_login(User.objects.get(username="congdan"))
    mine = other.get("/ho-so-cua-toi/").content.decode()
    assert "Cấp Giấy xác nhận tình trạng hôn nhân" in mine and f'href="{BASE}"' in mine
    assert f'href="{BASE}giay-to/"' in mine and "Tiếp tục nộp hồ sơ" in mine  # straight to where it stopped
    start = other.get(BASE).content.decode()
    assert "Tiếp tục bản nháp" in start
    assert "Để đăng ký kết hôn" in other.get(BASE + "to-khai/").content.decode()


def test_an_expired_draft_says_so_and_writes_nothing(citizen):
    from motcua.filing.models import Draft

    fill_to_review(citizen)
    citizen.post(BASE + "nhan-ket-qua/", {"delivery": "counter"})
    Draft.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    before = count()
    r = citizen.post(BASE + "nop/")
    assert r.status_code == 410 and "Bản nháp đã hết hạn" in r.content.decode()
    assert citizen.get(BASE + "to-khai/").status_code == 410
    assert count() == before and Draft.objects.count() == 1
    assert citizen.post(BASE + "huy/").status_code == 302
    assert not Draft.objects.exists()


def test_someone_elses_dossier_is_404(citizen, online_dossier):
    from motcua.accounts.models import Role, User

    dossier = online_dossier()
    User.objects.create_user("congdan2", password="x-motcua-2", role=Role.CITIZEN)
    stranger = Client()
    stranger.force_login(User.objects.get(username="congdan2"))
    file_id = 1
    for path in ("", "bien-nhan/", "qr.svg", f"giay-to/{file_id}/"):
        assert stranger.get(f"/ho-so-cua-toi/{dossier.code}/{path}").status_code == 404
    assert stranger.post(f"/ho-so-cua-toi/{dossier.code}/rut/", {"note": "x"}).status_code == 404
    assert citizen.get(f"/ho-so-cua-toi/{dossier.code}/").status_code == 200


def test_supplement_withdraw_result_and_rating_from_my_dossier(citizen, online_dossier, media_dir):  # noqa: F811
    from motcua.accounts.models import User
    from motcua.documents import services as documents
    from motcua.dossiers.models import Dossier

    dossier = advance(online_dossier(), ("motcua.yt", "assign", {"assignee": "chuyenvien.yt"}),
                      ("chuyenvien.yt", "request_supplement", {"note": "Thiếu bản chụp căn cước mặt sau."}))
    page = citizen.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "Thiếu bản chụp căn cước mặt sau." in page and "Cơ quan đề nghị bạn bổ sung giấy tờ" in page
    assert "request_supplement" not in page
    r = citizen.post(f"/ho-so-cua-toi/{dossier.code}/bo-sung/", {"file": SimpleUploadedFile("mat-sau.pdf", PDF), "kind": ""})
    assert r.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status != "awaiting_supplement" and dossier.files.filter(name="mat-sau.pdf").exists()

    dossier = advance(Dossier.objects.get(pk=dossier.pk), ("chuyenvien.yt", "propose", {}), ("lanhdao.yt", "approve", {}))
    result = documents.upload_document(User.objects.get(username="chuyenvien.yt"), dossier.code,
                                       SimpleUploadedFile("ket-qua.pdf", PDF + b"result"), "result")
    page = citizen.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "ket-qua.pdf" in page
    got = citizen.get(f"/ho-so-cua-toi/{dossier.code}/giay-to/{result.pk}/")
    assert b"".join(got.streaming_content) == PDF + b"result"
    advance(dossier, ("motcua.yt", "return_result", {}))
    assert citizen.post(f"/ho-so-cua-toi/{dossier.code}/danh-gia/", {"score": "3", "comment": "Nhanh"}).status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).rating.score == 3
    page = citizen.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "Bạn đã đánh giá mức độ hài lòng" in page and 'name="score"' not in page
    assert citizen.get("/api/v1/me/documents").json()[0]["is_result"] in (True, False)

    other = online_dossier()
    assert citizen.post(f"/ho-so-cua-toi/{other.code}/rut/", {"note": ""}).status_code == 302
    assert Dossier.objects.get(pk=other.pk).status != "withdrawn"
    citizen.post(f"/ho-so-cua-toi/{other.code}/rut/", {"note": "Tôi nộp nhầm thủ tục"})
    assert Dossier.objects.get(pk=other.pk).status == "withdrawn"


def test_pay_without_a_gateway_says_it_is_not_available(citizen, online_dossier, settings):
    from motcua.catalog.models import Procedure

    Procedure.objects.filter(code="1.001193").update(fee_amount=8000)
    dossier = online_dossier()
    r = citizen.post(f"/ho-so-cua-toi/{dossier.code}/thanh-toan/", follow=True)
    html = r.content.decode()
    assert r.status_code == 200
    assert "chưa hỗ trợ thanh toán trực tuyến" in html or r.redirect_chain and r.redirect_chain[-1][0] != f"/ho-so-cua-toi/{dossier.code}/"
