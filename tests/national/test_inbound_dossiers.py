"""Dossiers forwarded by the national portal (CONTRACT §2 ``POST /api/v1/national/dossiers``):
created in the unit's queue with their national code, idempotent, field named on a 422; papers
given inline or by URL checked exactly like uploads, and a paper that cannot be fetched (404,
too large, an .exe, a dead server) leaves the dossier received with the problem on it."""

from __future__ import annotations

import base64
import functools
import http.server
import threading

import pytest

from motcua.accounts.models import ApiToken
from motcua.dossiers.models import Dossier, NationalRecord
from motcua.national.constants import InboundOutcome
from motcua.national.models import InboundLog, InboundPaper
from motcua.server.worker import run_due_tasks
from tests.files.conftest import EXE, PDF, PNG

pytestmark = pytest.mark.django_db

BIRTH = "1.001193"  # Đăng ký khai sinh: its form asks for the child's details
ANSWERS = {"child_full_name": "Trần Minh Khang", "child_sex": "Nam", "child_birth_date": "2026-01-15",
           "child_birth_place": "Trạm y tế thị trấn Yên Thế", "child_ethnicity": "Kinh",
           "child_nationality": "Việt Nam"}


@pytest.fixture(scope="module")
def file_server(tmp_path_factory):
    """Another server (the national portal's file store) on a free loopback port, one per module."""
    root = tmp_path_factory.mktemp("dvcqg-files")
    (root / "giay-khai-sinh.png").write_bytes(PNG)
    (root / "virus.exe").write_bytes(EXE)
    (root / "lon.pdf").write_bytes(PDF + bytes(4096))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def portal(service_account, api):
    _, raw = ApiToken.issue(service_account)
    api.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    return api


def body(code="G22.99-260506-000001", **extra):
    form = {**ANSWERS}
    from motcua.catalog.models import Procedure

    for field in Procedure.objects.get(code=BIRTH).form:
        if field.get("required") and field["name"] not in form:
            form[field["name"]] = (field.get("choices") or ["Mẫu"])[0] if field["type"] == "choice" else {
                "date": "1990-01-01", "id_number": "015090001234", "phone": "0912345678",
                "email": "me@example.vn"}.get(field["type"], "Nguyễn Thị Mẫu")
    return {"MaHoSo": code, "MaTTHC": BIRTH, "MaDonVi": "YB.LY.YT", "NgayNopHoSo": "20260506093000",
            "ChuHoSo": {"HoVaTen": "Trần Văn Khôi", "SoDinhDanh": "015090004321"}, "DuLieuBieuMau": form, **extra}


def test_created_in_the_units_queue_with_its_national_code_and_idempotent(portal, api_as):
    first = portal.post("/national/dossiers", body())
    assert first.status_code == 201, first.json()
    created = first.json()
    assert created["national_code"] == "G22.99-260506-000001" and created["status"] == "submitted"
    assert created["code"].startswith("YB.LY.YT-") and created["received_at"] and created["due_at"]
    dossier = Dossier.objects.get(code=created["code"])
    assert (dossier.channel, dossier.source, dossier.owner_id, dossier.applicant_phone) == ("online", "national_portal", None, "")
    again = portal.post("/national/dossiers", body())
    assert again.status_code == 200 and again.json() == created
    assert Dossier.objects.filter(source="national_portal").count() == 1
    assert list(InboundLog.objects.order_by("id").values_list("outcome", flat=True)) == [
        InboundOutcome.CREATED, InboundOutcome.DUPLICATE]
    listing = api_as("motcua.yt").get("/dossiers", {"status": "submitted"}).json()
    assert created["code"] in [d["code"] for d in listing["items"]]


BAD_INPUT = [  # (what is wrong, the field the 422 names)
    ({"MaTTHC": "9.999999"}, "MaTTHC"),
    ({"MaDonVi": "KHONG-CO"}, "MaDonVi"),
    ({"MaDonVi": "LC.NN.NM"}, "MaDonVi"),  # Lai Châu: not the account's province
    ({"NgayNopHoSo": "06/05/2026"}, "NgayNopHoSo"),
    ({"ChuHoSo": {"HoVaTen": "Trần Văn Khôi", "SoDinhDanh": "123"}}, "ChuHoSo.SoDinhDanh"),
    ({"DuLieuBieuMau": {}}, "DuLieuBieuMau.child_full_name"),
]


def test_bad_input_is_a_422_naming_the_field(portal):
    for change, field in BAD_INPUT:  # one demo database for all the rows
        response = portal.post("/national/dossiers", body(**change))
        assert response.status_code == 422, (change, response.json())
        assert field in response.json()["error"]["fields"], (change, response.json())
    assert not Dossier.objects.exists()
    assert list(InboundLog.objects.values_list("outcome", flat=True)) == [InboundOutcome.REFUSED] * len(BAD_INPUT)


def test_only_the_national_portals_account(api_as, service_account):
    response = api_as("motcua.yt").post("/national/dossiers", body())
    assert response.status_code == 403 and response.json()["error"]["code"] == "not_national_portal"


def test_papers_inline_and_by_url_checked_like_uploads(portal, file_server, settings, django_capture_on_commit_callbacks):
    settings.UPLOAD_MAX_BYTES = 1024
    papers = [
        {"TenTepDinhKem": "to-khai.pdf", "NoiDungBase64": base64.b64encode(PDF).decode()},
        {"TenTepDinhKem": "chuong-trinh.exe", "NoiDungBase64": base64.b64encode(EXE).decode()},
        {"TenTepDinhKem": "giay-khai-sinh.png", "DuongDanTaiTepTin": f"{file_server}/giay-khai-sinh.png"},
        {"TenTepDinhKem": "khong-co.pdf", "DuongDanTaiTepTin": f"{file_server}/khong-co.pdf"},
        {"TenTepDinhKem": "virus.pdf", "DuongDanTaiTepTin": f"{file_server}/virus.exe"},
        {"TenTepDinhKem": "lon.pdf", "DuongDanTaiTepTin": f"{file_server}/lon.pdf"},
    ]
    with django_capture_on_commit_callbacks(execute=True):  # the fetch is enqueued after the commit
        response = portal.post("/national/dossiers", body(TaiLieuNop=papers))
    assert response.status_code == 201, response.json()
    dossier = Dossier.objects.get(code=response.json()["code"])
    assert [f.name for f in dossier.files.all()] == ["to-khai.pdf"]  # the URLs come later, in the background
    assert InboundPaper.objects.filter(dossier=dossier, state="pending").count() == 4

    run_due_tasks(schedule=False)
    assert sorted(f.name for f in dossier.files.all()) == ["giay-khai-sinh.png", "to-khai.pdf"]
    problems = NationalRecord.objects.get(dossier=dossier).problems
    assert problems[0].startswith("chuong-trinh.exe: Chỉ nhận tệp PDF, JPEG hoặc PNG")
    assert any(p == "khong-co.pdf: không tải được (HTTP 404)" for p in problems)
    assert any(p.startswith("virus.pdf: Chỉ nhận tệp PDF, JPEG hoặc PNG") for p in problems)
    assert any(p == "lon.pdf: tệp quá lớn (tối đa 1024 byte)" for p in problems)
    dossier.refresh_from_db()
    assert dossier.status == "submitted"  # received all the same, the problems on its timeline
    notes = list(dossier.events.filter(action="paper_not_fetched").values_list("note", flat=True))
    assert len(notes) == 2 and "khong-co.pdf" in notes[1]


def test_a_dead_file_server_is_a_recorded_problem(portal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = portal.post("/national/dossiers", body(TaiLieuNop=[
            {"TenTepDinhKem": "a.pdf", "DuongDanTaiTepTin": "http://127.0.0.1:9/a.pdf"}]))
    assert response.status_code == 201
    run_due_tasks(schedule=False)
    record = NationalRecord.objects.get(national_code="G22.99-260506-000001")
    assert record.problems == ["a.pdf: không kết nối được (ConnectError)"]
