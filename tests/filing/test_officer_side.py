"""The officer's side of online dossiers: papers, payments and rating on the office page,
scans and the electronic result uploaded there, assisted online filing from the intake page,
and the printable guide with a QR code to the online form."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.files.conftest import APPLICANT, EXE, PDF, advance, media_dir, online_dossier  # noqa: F401
from tests.portal.qr_decode import decode_svg


def login(username):
    from motcua.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_office_page_shows_papers_answers_and_takes_scans_and_the_result(online_dossier):  # noqa: F811
    from motcua.documents.models import DossierFile
    from motcua.dossiers.models import Dossier

    dossier = online_dossier()
    Dossier.objects.filter(pk=dossier.pk).update(data={"child_full_name": "Nguyễn Văn Bé"})
    office = login("motcua.yt")
    r = office.post(f"/can-bo/ho-so/{dossier.code}/giay-to/", {"file": SimpleUploadedFile("scan.pdf", PDF), "kind": "Giấy chứng sinh"})
    assert r.status_code == 302
    scan = DossierFile.objects.get(dossier=dossier)
    assert scan.kind == "Giấy chứng sinh" and not scan.is_result and scan.uploaded_by.username == "motcua.yt"
    r = office.post(f"/can-bo/ho-so/{dossier.code}/giay-to/", {"file": SimpleUploadedFile("x.pdf", EXE)}, follow=True)
    assert "Chỉ nhận tệp PDF, JPEG hoặc PNG" in r.content.decode() and DossierFile.objects.count() == 1
    page = office.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "scan.pdf" in page and "Nguyễn Văn Bé" in page and 'id="payments"' in page and 'id="rating"' in page
    got = office.get(f"/can-bo/ho-so/{dossier.code}/giay-to/{scan.pk}/")
    assert b"".join(got.streaming_content) == PDF

    dossier = advance(dossier, ("motcua.yt", "assign", {"assignee": "chuyenvien.yt"}), ("chuyenvien.yt", "propose", {}),
                      ("lanhdao.yt", "approve", {}))
    login("chuyenvien.yt").post(f"/can-bo/ho-so/{dossier.code}/giay-to/",
                                {"file": SimpleUploadedFile("ket-qua.pdf", PDF + b"KQ"), "kind": "result"})
    result = DossierFile.objects.get(dossier=dossier, is_result=True)
    store = login("congdan").get("/api/v1/me/documents").json()
    assert any(d["id"] == result.pk and d["is_result"] for d in store)
    # another unit's officer sees nothing
    assert login("motcua.mx").get(f"/can-bo/ho-so/{dossier.code}/giay-to/{result.pk}/").status_code == 404


def test_assisted_online_filing_from_the_intake_page(demo):
    from motcua.dossiers.models import Dossier

    office = login("motcua.yt")
    body = {"unit": "YB.LY.YT", "procedure": "1.001193", "channel": "direct", "delivery": "counter",
            **APPLICANT, "owner": "congdan", "_accept_incomplete": "1"}
    r = office.post("/can-bo/tiep-nhan/", body)
    assert r.status_code == 302, r.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert dossier.owner.username == "congdan" and dossier.channel == "online" and dossier.status == "submitted"
    first = dossier.events.order_by("seq").first()
    assert first.actor.username == "motcua.yt" and first.changes["assisted_by"] == "motcua.yt"
    mine = login("congdan").get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "cán bộ Nguyễn Thị Hoa hỗ trợ nộp" in mine
    r = office.post("/can-bo/tiep-nhan/", {**body, "owner": "khong-co-ai"})
    assert r.status_code == 422 and "Không có tài khoản công dân" in r.content.decode()
    assert Dossier.objects.count() == 1


def test_the_printable_guide_carries_a_qr_code_to_the_online_form(client, demo):
    html = client.get("/thu-tuc/1.004873/in/").content.decode()
    assert 'src="/thu-tuc/1.004873/nop-ho-so/qr.svg"' in html
    svg = client.get("/thu-tuc/1.004873/nop-ho-so/qr.svg").content.decode()
    assert decode_svg(svg).endswith("/thu-tuc/1.004873/nop-ho-so/")
    assert "nop-ho-so/qr.svg" not in client.get("/thu-tuc/2.000884/in/").content.decode()


def test_the_citizen_account_is_found_by_what_the_citizen_logs_in_with(demo):
    from motcua.accounts.models import Role, User
    from motcua.accounts.profile import find_citizen

    mai = User.objects.create_user("cd-1", password="x-long-password-1", role=Role.CITIZEN, phone="0912000111",
                                   email="mai@example.vn", id_number="015190000111")
    for typed in ("cd-1", "0912 000 111", "+84912000111", "MAI@example.vn", "015 190 000 111"):
        assert find_citizen(typed) == mai, typed
    assert find_citizen("") is None and find_citizen("0912000999") is None
    assert find_citizen("motcua.yt") is None  # staff are not citizens
