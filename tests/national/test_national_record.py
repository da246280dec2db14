"""The national dossier object (``DongBoHoSoMC``) and its progress steps, built from dossiers of
every kind: counter, post, online, assisted, imported; with fees paid online or in cash,
supplement rounds, results (shared/domain/national-systems.md §1.2, §1.3, §1.8)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.accounts.models import User
from motcua.documents import services as documents
from motcua.dossier_flags import record_database_use
from motcua.dossiers import actions, intake
from motcua.dossiers.models import Dossier
from motcua.national.contrib.dvcqg.record import national_dossier, progress_steps
from motcua.payments.models import PaymentOrder
from motcua.payments.services import record_cash
from tests.files.conftest import APPLICANT, PDF, TO_RESULT_RETURNED, advance

pytestmark = pytest.mark.django_db

FOURTEEN = re.compile(r"^\d{14}$")
COUNTER = "motcua.yt"
FEE_PROCEDURE = "2.000815"  # Chứng thực bản sao từ bản chính: 2.000 đồng/trang


def build(dossier) -> dict:
    dossier = Dossier.objects.select_related("procedure__field", "current_unit").get(pk=dossier.pk)
    return national_dossier(dossier, dossier.code)


def at_counter(channel: str = "direct", procedure: str = "1.001193", **extra):
    return intake.receive_dossier(actor=User.objects.get(username=COUNTER), procedure_code=procedure,
                                    unit_code="YB.LY.YT", channel=channel, applicant=APPLICANT, **extra)


def upload(user, code, content=PDF, name="giay-to.pdf", kind=""):
    return documents.upload_document(User.objects.get(username=user), code, SimpleUploadedFile(name, content), kind)


def test_a_counter_dossier(demo):
    dossier = at_counter()
    body = build(dossier)
    assert body["MaHoSo"] == dossier.code and body["SoBienNhan"] == dossier.code
    assert body["MaTTHC"] == dossier.procedure.national_code or body["MaTTHC"] == dossier.procedure.code
    assert (body["KenhThucHien"], body["TrangThaiHoSo"], body["HinhThuc"], body["NoiNopHoSo"]) == (1, 2, 0, 2)
    assert body["ChuHoSo"] == "Nguyễn Văn An" and body["SoGiayToChuHoSo"] == "015090001234"
    assert body["DinhDanhCHS"] == [{"LoaiDinhDanh": "1", "SoDinhDanh": "015090001234"}]
    assert body["LoaiDoiTuong"] == 1 and body["DonViXuLy"] == "Thị trấn Yên Thế"
    for name in ("NgayNopHoSo", "NgayTiepNhan", "NgayHenTra"):
        assert FOURTEEN.match(body[name]), name
    assert body["NgayTra"] == body["NgayKetThucXuLy"] == body["NgayTuChoi"] == ""
    assert body["TaiKhoanDuocXacThucVoiVNeID"] == 0 and body["DuocThanhToanTrucTuyen"] == 0
    assert body["TaiLieuNop"] == [] and body["DanhSachGiayToKetQua"] == [] and body["DanhSachHoSoBoSung"] == []
    json.dumps(body)  # plain JSON, nothing else


def test_a_postal_dossier_delivered_by_post(demo):
    dossier = at_counter("postal", delivery="post", delivery_address="Số 1 đường Hoà Bình, Yên Thế")
    body = build(dossier)
    assert (body["KenhThucHien"], body["HinhThuc"]) == (3, 1)
    assert body["ThongTinTra"] == "Số 1 đường Hoà Bình, Yên Thế"


def test_an_online_dossier_submitted_then_refused(online_dossier):
    dossier = online_dossier(accept=False)
    body = build(dossier)
    assert (body["KenhThucHien"], body["TrangThaiHoSo"]) == (2, 1)
    assert body["NgayTiepNhan"] == "" and body["NgayHenTra"] == ""  # not received yet
    dossier = advance(dossier, (COUNTER, "refuse", {"note": "Sai thủ tục"}))
    body = build(dossier)
    assert body["TrangThaiHoSo"] == 3 and FOURTEEN.match(body["NgayTuChoi"]) and body["NgayKetThucXuLy"] == ""
    steps = [item["TrangThai"] for _, item in progress_steps(dossier, dossier.code)]
    assert steps == [1, 3]


def test_an_assisted_online_dossier_counts_as_online(demo):
    dossier = at_counter("online", owner="congdan")
    body = build(dossier)
    assert body["KenhThucHien"] == 2 and body["TrangThaiHoSo"] == 1


def test_an_imported_dossier(demo):
    from motcua.dossiers.importer import import_dossiers

    line = {"code": "YB.LY.YT-250103-0001", "procedure": "1.001193", "unit": "YB.LY.YT", "channel": "direct",
            "received_at": "2025-01-03T08:00:00+07:00", "resolved_at": "2025-01-06T09:00:00+07:00",
            "outcome": "approved", "applicant": {**APPLICANT}}
    report = import_dossiers([json.dumps(line, ensure_ascii=False)])
    assert not report.errors
    body = build(Dossier.objects.get(code="YB.LY.YT-250103-0001"))
    assert body["TrangThaiHoSo"] == 9 and body["NgayTiepNhan"] == "20250103080000"
    assert body["NgayKetThucXuLy"] == "20250106090000"


def test_supplement_rounds_papers_results_and_steps(online_dossier):
    dossier = online_dossier()
    upload("congdan", dossier.code)
    dossier = advance(dossier, (COUNTER, "request_supplement", {"note": "Thiếu bản sao giấy khai sinh"}))
    upload("congdan", dossier.code, name="bo-sung.pdf", content=PDF + b"%second")
    # Supplemented two days later: the appointment moves by the time the clock was stopped.
    later = dossier.paused_at + dt.timedelta(days=2)
    dossier = actions.apply_action(User.objects.get(username="congdan"), dossier.code, "supplement", {"note": "Đã bổ sung"}, at=later)
    dossier = advance(dossier, *TO_RESULT_RETURNED[:3])
    result = upload(COUNTER, dossier.code, content=PDF + b"%result", name="ket-qua.pdf", kind="result")
    dossier = advance(dossier, TO_RESULT_RETURNED[3])
    body = build(dossier)

    assert body["TrangThaiHoSo"] == 10 and FOURTEEN.match(body["NgayTra"]) and FOURTEEN.match(body["NgayKetThucXuLy"])
    [round_] = body["DanhSachHoSoBoSung"]
    assert round_["NoiDungBoSung"] == "Thiếu bản sao giấy khai sinh" and round_["TrangThaiBoSung"] == 1
    assert round_["NguoiYeuCauBoSung"] == "Nguyễn Thị Hoa" and FOURTEEN.match(round_["NgayTiepNhanBoSung"])
    assert len(round_["DanhSachGiayToBoSung"]) == 1 and FOURTEEN.match(round_["NgayHenTraMoi"])
    assert [p["TenTepDinhKem"] for p in body["TaiLieuNop"]] == ["giay-to.pdf", "bo-sung.pdf"]
    assert all(p["DuocSoHoa"] == 1 and p["DuocTaiSuDung"] == 0 for p in body["TaiLieuNop"])
    assert body["HoSoCoThanhPhanSoHoa"] == 1
    [kq] = body["DanhSachGiayToKetQua"]
    assert kq["GiayToId"] == str(result.pk)
    # The result link opens that file, without logging in.
    response = Client().get(kq["DuongDanTepTinKetQua"].split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF + b"%result"

    steps = progress_steps(dossier, dossier.code)
    assert [item["TrangThai"] for _, item in steps] == [1, 2, 5, 2, 4, 4, 9, 10]
    assert [seq for seq, _ in steps] == sorted(seq for seq, _ in steps)
    assert all(FOURTEEN.match(item["ThoiDiemXuLy"]) and item["MaHoSo"] == dossier.code for _, item in steps)
    assert steps[2][1]["NoiDungXuLy"] == "Yêu cầu bổ sung hồ sơ: Thiếu bản sao giấy khai sinh"


def test_a_reused_paper_is_flagged_as_reused(online_dossier):
    first = online_dossier()
    upload("congdan", first.code)
    second = online_dossier()
    upload("congdan", second.code)  # the same bytes of the same citizen: linked to the first copy
    [paper] = build(second)["TaiLieuNop"]
    assert paper["DuocSoHoa"] == 1 and paper["DuocTaiSuDung"] == 1


def test_fees_paid_in_cash_and_online(demo):
    cash = at_counter(procedure=FEE_PROCEDURE)
    record_cash(User.objects.get(username=COUNTER), cash.code)
    body = build(cash)
    assert body["DanhSachLePhi"] and body["DanhSachLePhi"][0]["Gia"] == 2000
    assert body["DuocThanhToanTrucTuyen"] == 0  # cash at the counter is not online
    steps = [item["TrangThai"] for _, item in progress_steps(cash, cash.code)]
    assert steps == [2, 2]  # received; the fee paid (the dossier still received)

    online = at_counter(procedure=FEE_PROCEDURE)
    PaymentOrder.objects.create(order_id="VNP-TEST-1", dossier=online, amount=2000, status="paid", gateway="vnpay",
                                lines=[{"name": "Phí chứng thực", "amount": 2000}])
    body = build(online)
    assert body["DuocThanhToanTrucTuyen"] == 2 and body["DanhSachLePhi"][0]["TenPhiLePhi"] == "Phí chứng thực"

    free = at_counter()
    assert build(free)["DanhSachLePhi"] == []


def test_vneid_flag_only_with_a_real_national_sign_on(online_dossier):
    dossier = online_dossier()
    assert build(dossier)["TaiKhoanDuocXacThucVoiVNeID"] == 0
    SocialAccount.objects.create(user=User.objects.get(username="congdan"), provider="vneid", uid="vneid-sub-1")
    assert build(dossier)["TaiKhoanDuocXacThucVoiVNeID"] == 1


def test_national_databases_used(online_dossier):
    dossier = online_dossier()
    record_database_use(dossier, "1")
    record_database_use(dossier, "1")
    assert build(dossier)["DSKetNoiCSDL"] == [{"MaCSDL": "1"}]
