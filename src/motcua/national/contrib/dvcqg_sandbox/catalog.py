"""The simulator's procedure database (shared/domain/national-systems.md §1.5): ``LayDanhSachTTHC``,
``LayThuTuc``, ``LayDanhMucCoQuan``, ``LayDanhMucLinhVuc``.

Made from the demo catalog (``catalog/fixtures/procedures.json``, the procedures with a national
code) written in the national record's shape, with codes for papers (``<MATTHC>.GT01``…), fees
(``<MATTHC>.PL01``…) and results (``KQ.<MATTHC>``) that the demo catalog does not have, field
codes of its own (``LV.<code>``, matched by name), one procedure the demo catalog does not have
and one performed only by a ministry. Edition 2 (``SandboxCatalog``) is the same after a change:
a time and a fee changed, a paper added, a procedure withdrawn, another one new. All of it is
DEMO DATA, not the national database's content.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache

from motcua.catalog.samples import CATALOG_FILE
from motcua.catalog.importexport import _for_the_public

LEVELS = {"province": ("2", "Cấp Tỉnh"), "district": ("3", "Cấp Huyện"), "commune": ("4", "Cấp Xã")}
UNITS = {"working_days": "Ngày làm việc", "working_hours": "Giờ làm việc", "same_day": "Ngày làm việc"}
DEMO = "DỮ LIỆU MINH HỌA (demo) của hệ thống mô phỏng, không phải CSDL quốc gia thật."

AGENCIES = [
    {"MADONVI": "000.00.00.H65", "TENDONVI": "UBND tỉnh Yên Bái", "CAPDONVI": "2"},
    {"MADONVI": "000.00.15.H65", "TENDONVI": "UBND huyện Lục Yên", "CAPDONVI": "3"},
    {"MADONVI": "000.15.01.H65", "TENDONVI": "UBND thị trấn Yên Thế", "CAPDONVI": "4"},
    {"MADONVI": "000.15.02.H65", "TENDONVI": "UBND xã Minh Xuân", "CAPDONVI": "4"},
    {"MADONVI": "000.00.00.H29", "TENDONVI": "UBND tỉnh Lai Châu", "CAPDONVI": "2"},
]

EXTRA = [
    {"code": "1.000593", "national_code": "1.000593", "name": "Đăng ký khai sinh lưu động", "field": "HT",
     "levels": ["commune"], "online_level": "none", "applicants": "Cá nhân",
     "processing_time": {"value": 5, "unit": "working_days", "note": "05 ngày làm việc kể từ ngày nhận đủ giấy tờ. " + DEMO},
     "fees": [], "documents": [{"name": "Tờ khai đăng ký khai sinh", "copy_type": "original", "count": 1},
                               {"name": "Giấy chứng sinh", "copy_type": "original", "count": 1}],
     "steps": ["Công chức tư pháp - hộ tịch đến nơi cư trú để đăng ký", "Trả Giấy khai sinh"],
     "result": "Giấy khai sinh (bản chính)", "legal_basis": ["Nghị định số 123/2015/NĐ-CP"], "result_by_post": False},
    {"code": "2.001944", "national_code": "2.001944", "name": "Cấp hộ chiếu phổ thông ở trong nước (cấp Bộ)",
     "field": "XNC", "levels": ["ministry"], "online_level": "full", "applicants": "Công dân Việt Nam",
     "processing_time": {"value": 8, "unit": "working_days", "note": DEMO}, "fees": [], "documents": [],
     "steps": [], "result": "Hộ chiếu phổ thông", "legal_basis": ["Luật Xuất cảnh, nhập cảnh của công dân Việt Nam"]},
]
NEW_IN_EDITION_2 = {
    "code": "1.000080", "national_code": "1.000080", "name": "Đăng ký kết hôn lưu động", "field": "HT",
    "levels": ["commune"], "online_level": "none", "applicants": "Công dân Việt Nam cư trú trong nước",
    "processing_time": {"value": 5, "unit": "working_days", "note": DEMO}, "fees": [],
    "documents": [{"name": "Tờ khai đăng ký kết hôn", "copy_type": "original", "count": 1}],
    "steps": ["Công chức tư pháp - hộ tịch đến nơi cư trú để đăng ký", "Trao Giấy chứng nhận kết hôn"],
    "result": "Giấy chứng nhận kết hôn", "legal_basis": ["Nghị định số 123/2015/NĐ-CP"],
}
CHANGED_TIME, CHANGED_FEE, WITHDRAWN = "1.004873", "2.000884", "1.001612"


@lru_cache(maxsize=1)
def _demo() -> dict:
    data = _for_the_public(json.loads(CATALOG_FILE.read_text(encoding="utf-8")))
    return {"fields": {f["code"]: f for f in data["fields"]},
            "procedures": [p for p in data["procedures"] if p.get("national_code")]}


def _record(p: dict, fields: dict) -> dict:
    """One demo-catalog entry as ``LayThuTuc`` gives it."""
    code = p["national_code"]
    time = p["processing_time"]
    fees = [{"MAPHILEPHI": f"{code}.PL{i + 1:02d}", "SOTIEN": f["amount"], "MOTA": f["name"],
             "DONVI": f"Đồng/{f['per']}" if f.get("per") else "Đồng", "TENTEP": "", "URL": ""}
            for i, f in enumerate(p.get("fees") or [])]
    when = {"THOIGIANGIAIQUYET": time["value"], "DONVITINH": UNITS[time["unit"]], "MOTA": time.get("note") or "",
            "PHILEPHI": fees}
    channels = ["1"] + (["2"] if p.get("online_level", "none") != "none" else []) + (["3"] if p.get("result_by_post", True) else [])
    papers = []
    for i, d in enumerate(p.get("documents") or []):
        count = d.get("count", 1)
        copies = d.get("copy_type") == "copy"
        papers.append({"TRUONGHOP": d.get("condition") or "", "GIAYTO": [{
            "MAGIAYTO": f"{code}.GT{i + 1:02d}", "TENGIAYTO": d["name"], "TENMAUDON": d.get("template_name") or "",
            "URL": d.get("template_url") or "", "SOBANCHINH": 0 if copies else count, "SOBANSAO": count if copies else 0,
            "MA_KQ_THAYTHE": ""}]})
    field = fields.get(p["field"], {"code": p["field"], "name": "Xuất nhập cảnh"})
    return {
        "ID": code, "MATTHC": code, "TENTTHC": p["name"], "MACOQUANCONGBO": "", "LOAITTHC": "1",
        "TRANGTHAI": "1", "QUYETDINH": DEMO, "YEUCAU": p.get("description") or "",
        "TRINHTUTHUCHIEN": [{"TRUONGHOP": "", "TRINHTU": [{"TENTRINHTU": s} for s in p.get("steps") or []]}],
        "CAPTHUCHIEN": [{"CAPTHUCHIEN": LEVELS.get(lv, ("1", "Cấp Bộ"))[0], "TENCAP": LEVELS.get(lv, ("1", "Cấp Bộ"))[1]}
                        for lv in p["levels"]],
        "LINHVUCTHUCHIEN": [{"MALINHVUC": f"LV.{field['code']}", "TENLINHVUC": field["name"]}],
        "CACHTHUCTHUCHIEN": [{"KENH": k, "THOIGIAN": [copy.deepcopy(when)]} for k in channels],
        "DOITUONGTHUCHIEN": [{"MADOITUONG": "1", "TENDOITUONG": p.get("applicants") or ""}],
        "THANHPHANHOSO": papers,
        "KETQUATHUCHIEN": [{"MAKETQUA": f"KQ.{code}", "TENKETQUA": p["result"], "TENTEP": "", "URL": ""}] if p.get("result") else [],
        "CANCUPHAPLY": [{"SOVANBAN": "", "TENVANBAN": law, "NGAYBANHANH": "", "NGAYHIEULUC": "", "COQUANBANHANH": "",
                         "DIACHITRUYCAP": ""} for law in p.get("legal_basis") or []],
        "COQUANTHUCHIEN": [], "TTHCLIENQUAN": [], "TTHCLIENTHONG": [],
    }


def procedures(edition: int) -> dict[str, dict]:
    """``{MATTHC: LayThuTuc record}`` of the given edition."""
    demo = _demo()
    entries = [copy.deepcopy(p) for p in demo["procedures"]] + copy.deepcopy(EXTRA)
    if edition >= 2:
        entries = [p for p in entries if p["national_code"] != WITHDRAWN] + [copy.deepcopy(NEW_IN_EDITION_2)]
        for p in entries:
            if p["national_code"] == CHANGED_TIME:
                p["processing_time"] = {"value": 5, "unit": "working_days",
                                        "note": "05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ. " + DEMO}
                p["documents"].append({"name": "Bản sao Giấy chứng nhận kết hôn đã ly hôn (nếu có)", "copy_type": "copy",
                                       "count": 1, "condition": "Người đã từng kết hôn."})
            if p["national_code"] == CHANGED_FEE:
                p["fees"] = [dict(f, amount=15000) for f in p["fees"]]
    return {p["national_code"]: _record(p, demo["fields"]) for p in entries}


def fields() -> list[dict]:
    out = [{"MALINHVUC": f"LV.{f['code']}", "TENLINHVUC": f["name"], "MANGANH": f.get("sector") or ""}
           for f in _demo()["fields"].values()]
    return out + [{"MALINHVUC": "LV.XNC", "TENLINHVUC": "Xuất nhập cảnh", "MANGANH": "Công an"}]


def agencies() -> list[dict]:
    return copy.deepcopy(AGENCIES)
