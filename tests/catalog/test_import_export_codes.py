"""The national codes in the catalog's import and export (``motcua-catalog/1``): the procedure's
national code, each paper's code and replacing result, each fee's code, the coded results and
the times and fees per channel go out and come back the same; a file without the code keys
keeps the codes the catalog holds; a bad code is refused with a Vietnamese message at its path."""

from __future__ import annotations

import copy

import pytest

from motcua.catalog.importexport import export_catalog, import_catalog
from motcua.catalog.models import Field, Procedure, ProcedureCommitment
from motcua.errors import InvalidInput

pytestmark = pytest.mark.django_db

CODED = "2.000815"
RESULTS = [{"code": "KQ.G07.000122", "name": "Bản sao được chứng thực từ bản chính", "template_name": "mau-kq.docx",
            "template_url": "https://dichvucong.gov.vn/mau-kq.docx"}]
CHANNEL_TIMES = [
    {"channel": "counter", "value": "1", "unit": "working_days", "note": "Ngay trong ngày nếu nộp trước 15 giờ",
     "fees": [{"code": "2.000815.PL01", "name": "Phí chứng thực bản sao: trang thứ nhất và thứ hai", "amount": 2000,
               "per": "trang"}]},
    {"channel": "online", "value": "2", "unit": "working_days", "note": "", "fees": []},
]


def give_codes() -> Procedure:
    procedure = Procedure.objects.get(code=CODED)
    procedure.national_code = "2.000815.000.00.00.H56"
    procedure.results = RESULTS
    procedure.channel_times = CHANNEL_TIMES
    procedure.save()
    for i, doc in enumerate(procedure.documents.order_by("order", "id")):
        doc.code, doc.result_substitute = f"2.000815.GT{i + 1:02d}", "KQ.G15.000031" if i == 0 else ""
        doc.save()
    for i, line in enumerate(procedure.fee_lines.order_by("order", "id")):
        line.code = f"2.000815.PL{i + 1:02d}"
        line.save()
    return procedure


def codes_of(code: str = CODED) -> dict:
    p = Procedure.objects.get(code=code)
    return {"national_code": p.national_code, "results": p.results, "channel_times": p.channel_times,
            "documents": list(p.documents.order_by("order", "id").values_list("name", "code", "result_substitute")),
            "fees": list(p.fee_lines.order_by("order", "id").values_list("name", "code"))}


def test_codes_round_trip_export_import_the_same_catalog(demo):
    give_codes()
    before = codes_of()
    exported = export_catalog()
    entry = next(p for p in exported["procedures"] if p["code"] == CODED)
    assert entry["national_code"] == "2.000815.000.00.00.H56" and entry["results"] == RESULTS
    assert entry["channel_times"] == CHANNEL_TIMES
    assert [d["code"] for d in entry["documents"]] == ["2.000815.GT01", "2.000815.GT02"]
    assert entry["documents"][0]["result_substitute"] == "KQ.G15.000031"
    assert [f["code"] for f in entry["fees"]] == ["2.000815.PL01", "2.000815.PL02"]

    ProcedureCommitment.objects.all().delete()
    Procedure.objects.all().delete()
    Field.objects.all().delete()
    import_catalog(copy.deepcopy(exported))
    assert export_catalog() == exported
    assert codes_of() == before


def test_a_file_without_the_code_keys_keeps_the_codes_and_an_empty_key_clears_them(demo):
    give_codes()
    before = codes_of()
    older = export_catalog()
    for p in older["procedures"]:  # as written before the codes existed
        for key in ("results", "channel_times"):
            p.pop(key)
        for d in p["documents"]:
            d.pop("code"), d.pop("result_substitute")
        for f in p["fees"]:
            f.pop("code")
    import_catalog(older)
    assert codes_of() == before

    cleared = export_catalog()
    entry = next(p for p in cleared["procedures"] if p["code"] == CODED)
    entry.update(results=[], channel_times=[])
    entry["documents"][0]["code"] = ""
    entry["fees"][1]["code"] = ""
    import_catalog(cleared)
    after = codes_of()
    assert after["results"] == [] and after["channel_times"] == []
    assert after["documents"][0][1] == "" and after["documents"][1][1] == "2.000815.GT02"
    assert after["fees"] == [(before["fees"][0][0], "2.000815.PL01"), (before["fees"][1][0], "")]


def _entry(data):
    return next(p for p in data["procedures"] if p["code"] == CODED)


@pytest.mark.parametrize("mutate, path, says", [
    (lambda p: p.update(national_code="1.003560 H56"), "national_code", "Mã thủ tục quốc gia “1.003560 H56” không hợp lệ"),
    (lambda p: p["documents"][0].update(code="GT/01 bản chính"), "documents[0].code", "Mã giấy tờ “GT/01 bản chính” không hợp lệ"),
    (lambda p: p["documents"][1].update(code=p["documents"][0]["code"]), "documents[1].code",
     "Mã giấy tờ “2.000815.GT01” bị trùng trong thủ tục"),
    (lambda p: p["documents"][0].update(result_substitute="KQ.G15.000031."), "documents[0].result_substitute",
     "Mã kết quả thay thế “KQ.G15.000031.” không hợp lệ"),
    (lambda p: p["fees"][0].update(code="PL" * 31), "fees[0].code", "tối đa 60 ký tự"),
    (lambda p: p["fees"][0].update(code=12), "fees[0].code", "Mã phí, lệ phí phải là chuỗi ký tự"),
    (lambda p: p["results"][0].update(code="KQ.Đ07"), "results[0].code", "Mã kết quả “KQ.Đ07” không hợp lệ"),
    (lambda p: p["results"].append(dict(p["results"][0])), "results[1].code", "Mã kết quả “KQ.G07.000122” bị trùng"),
    (lambda p: p["results"][0].pop("name"), "results[0].name", "Thiếu tên kết quả"),
    (lambda p: p.update(results="KQ.G07.000122"), "results", "Phải là một danh sách"),
    (lambda p: p["channel_times"][0].update(channel="fax"), "channel_times[0].channel", "Chọn một trong"),
    (lambda p: p["channel_times"][0]["fees"][0].update(code="PL 01"), "channel_times[0].fees[0].code",
     "Mã phí, lệ phí “PL 01” không hợp lệ"),
], ids=["procedure", "paper", "paper-twice", "substitute", "fee-long", "fee-not-text", "result", "result-twice",
        "result-name", "results-not-list", "channel", "channel-fee"])
def test_a_bad_code_is_refused_in_vietnamese_at_its_path_and_nothing_is_written(demo, mutate, path, says):
    give_codes()
    before, data = codes_of(), export_catalog()
    index = next(i for i, p in enumerate(data["procedures"]) if p["code"] == CODED)
    _entry(data)["name"] = "Tên đã sửa trong tệp có lỗi"
    mutate(_entry(data))
    with pytest.raises(InvalidInput) as excinfo:
        import_catalog(data)
    where = f"procedures[{index}].{path}"
    assert where in excinfo.value.fields, excinfo.value.fields
    assert any(says in message for message in excinfo.value.fields[where]), excinfo.value.fields[where]
    assert codes_of() == before and Procedure.objects.get(code=CODED).name != "Tên đã sửa trong tệp có lỗi"
