"""The national codes in the dossier object (``DongBoHoSoMC``, shared/domain/national-systems.md
§1.2): ``MaThanhPhanHoSo`` of each paper held (``MAGIAYTO``), ``MaPhiLePhi`` of each fee charged
(``MAPHILEPHI``), ``MaGiayToKetQua`` of each result issued (``MAKETQUA``, which QĐ 766 indicator
3.3 requires for a paper result) and ``MaKetQuaThayThe`` of a paper replaced by an earlier
result — all read from the catalog of the dossier's own procedure version, empty when the
catalog holds no code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.documents import services as documents
from motcua.dossiers import intake
from motcua.dossiers.models import Dossier
from motcua.national.contrib.dvcqg.record import national_dossier
from motcua.payments.services import record_cash
from tests.files.conftest import APPLICANT, PDF, REAL_PNG, TO_RESULT_RETURNED, advance

pytestmark = pytest.mark.django_db

FEE_PROCEDURE = "2.000815"  # Chứng thực bản sao từ bản chính: two fee lines, two papers
ORIGINAL, COPY = "Bản chính giấy tờ, văn bản", "Bản sao cần chứng thực"
FIRST_FEE = "Phí chứng thực bản sao: trang thứ nhất và thứ hai"


def build(dossier) -> dict:
    dossier = Dossier.objects.select_related("procedure__field", "current_unit").get(pk=dossier.pk)
    return national_dossier(dossier, dossier.code)


def coded_catalog(procedure: Procedure) -> None:
    procedure.documents.filter(name=ORIGINAL).update(code="2.000815.GT01")
    procedure.documents.filter(name=COPY).update(code="2.000815.GT02")
    for i, line in enumerate(procedure.fee_lines.order_by("order", "id")):
        line.code = f"2.000815.PL{i + 1:02d}"
        line.save()
    procedure.results = [{"code": "KQ.G07.000122", "name": "Bản sao được chứng thực từ bản chính",
                          "template_name": "", "template_url": ""}]
    procedure.save()


def uncoded_catalog(procedure: Procedure) -> None:
    procedure.results = []
    procedure.save()


def fees_coded_by_channel(procedure: Procedure) -> None:
    """The fee lines carry no code; the national record lists the fee under each channel."""
    procedure.channel_times = [
        {"channel": "online", "value": "1", "unit": "working_days", "note": "",
         "fees": [{"code": "PL.TRUC-TUYEN", "name": FIRST_FEE, "amount": 2000}]},
        {"channel": "counter", "value": "1", "unit": "working_days", "note": "",
         "fees": [{"code": "PL.TRUC-TIEP", "name": FIRST_FEE.upper(), "amount": 2000}]},
    ]
    procedure.save()


def two_results(procedure: Procedure) -> None:
    procedure.results = [
        {"code": "KQ.CHINH", "name": "Bản sao được chứng thực từ bản chính", "template_name": "", "template_url": ""},
        {"code": "KQ.PHU", "name": "Giấy xác nhận đã chứng thực", "template_name": "giay-xac-nhan.docx",
         "template_url": ""},
    ]
    procedure.save()


@pytest.mark.parametrize("catalog, result_name, expected", [
    (coded_catalog, "ket-qua.pdf",
     {"papers": {"ban-sao.pdf": "2.000815.GT02", "ban-chinh.pdf": "2.000815.GT01"}, "fee": "2.000815.PL01",
      "result": ("KQ.G07.000122", "Bản sao được chứng thực từ bản chính")}),
    (uncoded_catalog, "ket-qua.pdf",
     {"papers": {"ban-sao.pdf": "", "ban-chinh.pdf": ""}, "fee": "",
      "result": ("", "Bản sao được chứng thực từ bản chính")}),
    (fees_coded_by_channel, "ket-qua.pdf",  # a counter dossier: the counter's code, names matched without case
     {"papers": {"ban-sao.pdf": "", "ban-chinh.pdf": ""}, "fee": "PL.TRUC-TIEP",
      "result": ("", "Bản sao được chứng thực từ bản chính")}),
    (two_results, "giay-xac-nhan.pdf",  # the file named after the second result: that one's code
     {"papers": {"ban-sao.pdf": "", "ban-chinh.pdf": ""}, "fee": "", "result": ("KQ.PHU", "Giấy xác nhận đã chứng thực")}),
    (two_results, "ket-qua.pdf",  # named after none: the main (first coded) result
     {"papers": {"ban-sao.pdf": "", "ban-chinh.pdf": ""}, "fee": "",
      "result": ("KQ.CHINH", "Bản sao được chứng thực từ bản chính")}),
], ids=["with-codes", "without-codes", "fee-code-by-channel", "result-by-name", "main-result"])
def test_codes_come_from_the_catalog(demo, catalog, result_name, expected):
    catalog(Procedure.objects.get(code=FEE_PROCEDURE))
    counter, specialist = User.objects.get(username="motcua.yt"), User.objects.get(username="chuyenvien.yt")
    dossier = intake.receive_dossier(actor=counter, procedure_code=FEE_PROCEDURE, unit_code="YB.LY.YT",
                                       channel="direct", applicant=APPLICANT)
    documents.upload_document(counter, dossier.code, SimpleUploadedFile("ban-sao.pdf", PDF), COPY)
    documents.upload_document(counter, dossier.code, SimpleUploadedFile("ban-chinh.pdf", PDF + b"%2"), ORIGINAL)
    record_cash(counter, dossier.code)
    dossier = advance(dossier, TO_RESULT_RETURNED[0])
    documents.upload_document(specialist, dossier.code, SimpleUploadedFile(result_name, REAL_PNG), "result")

    body = build(dossier)
    assert {p["TenTepDinhKem"]: p["MaThanhPhanHoSo"] for p in body["TaiLieuNop"]} == expected["papers"]
    assert [(f["TenPhiLePhi"], f["MaPhiLePhi"], f["Gia"]) for f in body["DanhSachLePhi"]] == [
        (FIRST_FEE, expected["fee"], 2000)]
    [result] = body["DanhSachGiayToKetQua"]
    assert (result["MaGiayToKetQua"], result["TenGiayTo"]) == expected["result"]
    assert result["DuongDanTepTinKetQua"] and result["MaThanhPhanHoSo"] == ""


def test_the_dossier_keeps_the_codes_of_its_own_procedure_version(demo):
    """A dossier received under a version: a later version's codes are not its."""
    from motcua.catalog import versions

    procedure = Procedure.objects.get(code=FEE_PROCEDURE)
    coded_catalog(procedure)
    counter = User.objects.get(username="motcua.yt")
    dossier = intake.receive_dossier(actor=counter, procedure_code=FEE_PROCEDURE, unit_code="YB.LY.YT",
                                       channel="direct", applicant=APPLICANT)
    documents.upload_document(counter, dossier.code, SimpleUploadedFile("ban-sao.pdf", PDF), COPY)
    docs = [{"code": f"MOI.{d.code}", "name": d.name, "copy_type": d.copy_type, "count": d.count,
             "mandatory": d.mandatory, "condition": d.condition, "template_name": d.template_name,
             "template_url": d.template_url, "result_substitute": ""} for d in procedure.documents.all()]
    fees = [{"code": f"MOI.{f.code}", "name": f.name, "amount": f.amount, "per": f.per, "note": f.note}
            for f in procedure.fee_lines.all()]
    versions.new_version(procedure, {"results": [{"code": "KQ.MOI", "name": "Bản sao mới"}]},
                         levels=procedure.level_list, documents=docs, fees=fees,
                         day=timezone.localdate() + dt.timedelta(days=1))
    body = build(dossier)
    assert [p["MaThanhPhanHoSo"] for p in body["TaiLieuNop"]] == ["2.000815.GT02"]
    assert Procedure.objects.get(code=FEE_PROCEDURE).documents.filter(code="MOI.2.000815.GT02").exists()


@pytest.mark.parametrize("earlier_results, substitute, expected", [
    ([{"code": "KQ.G15.000031", "name": "Giấy khai sinh (bản chính)"}], "", "KQ.G15.000031"),
    ([], "KQ.THAY-THE", "KQ.THAY-THE"),  # the earlier procedure has no coded result: the paper's MA_KQ_THAYTHE
    ([], "", ""),
], ids=["earlier-result-coded", "paper-substitute", "no-code"])
def test_a_paper_replaced_by_an_earlier_result_names_its_result_code(online_dossier, earlier_results, substitute,
                                                                    expected):
    kind = "Tờ khai đăng ký khai sinh"
    procedure = Procedure.objects.get(code="1.001193")
    procedure.results = earlier_results
    procedure.save()
    procedure.documents.filter(name=kind).update(code="1.001193.GT01", result_substitute=substitute)
    citizen, officer = User.objects.get(username="congdan"), User.objects.get(username="chuyenvien.yt")
    earlier = advance(online_dossier(), TO_RESULT_RETURNED[0])
    result = documents.upload_document(officer, earlier.code, SimpleUploadedFile("ket-qua.png", REAL_PNG), "result")
    later = online_dossier()
    documents.reuse_document(citizen, later.code, result.pk, kind)

    [paper] = build(later)["TaiLieuNop"]
    assert (paper["DuocTaiSuDung"], paper["MaThanhPhanHoSo"], paper["MaKetQuaThayThe"]) == (2, "1.001193.GT01", expected)


def test_a_forwarded_paper_named_by_its_code_is_that_paper_and_goes_back_with_it(service_account, api):
    """The national portal names a forwarded paper by ``MaThanhPhanHoSo`` (its ``MAGIAYTO``): the
    file is that paper of the procedure, and the dossier object sends the same code back."""
    import base64

    from motcua.accounts.models import ApiToken
    from tests.national.test_inbound_dossiers import body

    procedure = Procedure.objects.get(code="1.001193")
    procedure.documents.filter(name="Giấy chứng sinh").update(code="1.001193.GT02")
    _, raw = ApiToken.issue(service_account)
    api.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    papers = [{"TenTepDinhKem": "chung-sinh.pdf", "MaThanhPhanHoSo": "1.001193.GT02",
               "NoiDungBase64": base64.b64encode(PDF).decode()},
              {"TenTepDinhKem": "khac.pdf", "MaThanhPhanHoSo": "MA.KHONG.CO",
               "NoiDungBase64": base64.b64encode(PDF + b"%2").decode()}]
    response = api.post("/national/dossiers", body(TaiLieuNop=papers))
    assert response.status_code == 201, response.json()
    dossier = Dossier.objects.get(code=response.json()["code"])
    assert dict(dossier.files.values_list("name", "kind")) == {"chung-sinh.pdf": "Giấy chứng sinh", "khac.pdf": ""}
    assert {p["TenTepDinhKem"]: p["MaThanhPhanHoSo"] for p in build(dossier)["TaiLieuNop"]} == {
        "chung-sinh.pdf": "1.001193.GT02", "khac.pdf": ""}
