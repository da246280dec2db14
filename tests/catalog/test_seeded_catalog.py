"""The procedures ``seed-demo`` loads (``catalog/fixtures/procedures.json``) are complete and lawful-looking.

CONTRACT §6: at least 30 real procedures (civil status, certification, land, construction,
business household registration, labour and social affairs), each at its proper level.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal

import pytest

from motcua.catalog.samples import CATALOG_FILE
from motcua.catalog.importexport import FORMAT, validate_catalog
from motcua.catalog.models import CopyType, Level, OnlineLevel, Procedure, TimeUnit

pytestmark = pytest.mark.django_db

NATIONAL_CODE = re.compile(r"^\d\.\d{6}(\.\d{3}\.\d{2}\.\d{2}\.H\d{2})?$")
LOCAL_CODE = re.compile(r"^MC-[A-Z]+-[A-Z]*\d{2,3}$")


@pytest.fixture(scope="module")
def seed_file() -> dict:
    return json.loads(CATALOG_FILE.read_text(encoding="utf-8"))


def test_the_seed_file_is_a_valid_catalog(db, seed_file):
    assert seed_file["format"] == FORMAT
    # Units are needed only by the commitments; validate them against the demo tree.
    from motcua.demo.catalog import ensure_units

    ensure_units()
    assert validate_catalog(seed_file) == {}


def test_the_seed_has_at_least_thirty_procedures_with_unique_codes(seed_file):
    codes = [p["code"] for p in seed_file["procedures"]]
    assert len(codes) >= 36
    assert [code for code, n in Counter(codes).items() if n > 1] == []
    national = [p["national_code"] for p in seed_file["procedures"] if p.get("national_code")]
    assert len(national) == len(set(national))


def test_codes_are_national_codes_or_clearly_local_ones(seed_file):
    """A national code is never invented: an entry either carries a national code (and uses
    it as its code) or has an empty national code and a local ``MC-…`` code."""
    for p in seed_file["procedures"]:
        if p.get("national_code"):
            assert NATIONAL_CODE.match(p["national_code"]), p["code"]
            assert p["code"] == p["national_code"], p["code"]
        else:
            assert LOCAL_CODE.match(p["code"]), p["code"]


def test_every_group_the_contract_names_is_covered(seed_file):
    """CONTRACT §6 lists the groups; the brief adds province-level procedures."""
    fields = Counter(p["field"] for p in seed_file["procedures"])
    assert fields["HT"] >= 10 and fields["CT"] >= 5
    assert fields["DD"] >= 2 and fields["XD"] >= 2 and fields["HKD"] >= 4
    assert fields["BTXH"] + fields["GN"] + fields["VL"] >= 4
    levels = Counter(lv for p in seed_file["procedures"] for lv in p["levels"])
    assert levels["commune"] >= 15 and levels["district"] >= 10 and levels["province"] >= 4


def test_every_procedure_has_what_a_citizen_needs(db, demo):
    """Fee ≥ 0 (integer VND), a processing time, papers, a result, a legal basis, valid levels."""
    procedures = Procedure.objects.prefetch_related("levels", "documents", "fee_lines").select_related("field")
    assert procedures.count() >= 36
    for p in procedures:
        assert isinstance(p.fee_amount, int) and p.fee_amount >= 0, p.code
        assert all(isinstance(f.amount, int) and f.amount >= 0 for f in p.fee_lines.all()), p.code
        if p.fee_lines.exists():
            assert p.fee_amount == p.fee_lines.all()[0].amount, f"{p.code}: fee_amount is the first line's base amount"
        assert p.processing_time_unit in TimeUnit.values, p.code
        if p.processing_time_unit == TimeUnit.SAME_DAY:
            assert p.processing_time_value == 0, p.code
        else:
            assert p.processing_time_value > 0, p.code
        assert p.processing_time_note, f"{p.code}: the time needs its legal note"
        assert p.level_list and set(p.level_list) <= set(Level.values), p.code
        assert p.online_level in OnlineLevel.values, p.code
        assert p.documents.filter(mandatory=True).exists(), f"{p.code}: at least one required paper"
        assert all(d.copy_type in CopyType.values and d.count >= 1 for d in p.documents.all()), p.code
        assert p.result and p.legal_basis and p.steps, p.code
        assert p.field.sector, p.code
        if p.interlinked:
            assert len(p.interlinked_levels) >= 2 and set(p.interlinked_levels) <= set(Level.values), p.code
        else:
            assert p.interlinked_levels == [], p.code


def test_a_cutoff_only_on_same_day_procedures_of_civil_status_and_certification(demo):
    """The 15:00 rule is procedure-specific (domain/deadlines-and-calendar.md, "Same-day
    procedures and the 15:00 rule": hộ tịch [S An Giang, Cẩm Phả], chứng thực
    [I; NĐ 23/2015/NĐ-CP Art. 7]); other procedures have none."""
    with_cutoff = Procedure.objects.exclude(cutoff_time=None).select_related("field")
    assert with_cutoff.count() >= 6
    for p in with_cutoff:
        assert p.processing_time_unit in (TimeUnit.SAME_DAY, TimeUnit.WORKING_HOURS), p.code
        assert p.cutoff_time.strftime("%H:%M") == "15:00", p.code
        assert p.field.code in ("HT", "CT"), p.code
    same_day = Procedure.objects.filter(processing_time_unit=TimeUnit.SAME_DAY)
    assert set(same_day.values_list("code", flat=True)) == set(with_cutoff.values_list("code", flat=True))


def test_known_facts_from_the_domain_notes(demo):
    """domain/procedures.md: birth registration 1.001193 same day (15:00), free when on time;
    copy certification 2.000815 2.000đ/page for pages 1–2, 1.000đ from page 3, ≤ 200.000đ a copy
    (TT 226/2016/TT-BTC); marital-status certificate 1.004873 in 3 working days; extract copy
    2.000635 8.000đ a copy; linked procedure for children under 6: ≤ 15 working days, free."""
    birth = Procedure.objects.get(code="1.001193")
    assert (birth.processing_time_unit, birth.fee_amount, birth.online_level) == ("same_day", 0, "full")
    assert birth.level_list == ["commune"]

    copy = Procedure.objects.get(code="2.000815")
    assert copy.level_list == ["district", "commune"]
    lines = [(f.amount, f.per) for f in copy.fee_lines.all()]
    assert lines == [(2000, "trang"), (1000, "trang")]
    assert "200.000" in copy.fee_lines.all()[1].note

    marital = Procedure.objects.get(code="1.004873")
    assert (marital.processing_time_value, marital.processing_time_unit) == (Decimal(3), "working_days")

    extract = Procedure.objects.get(code="2.000635")
    assert [(f.amount, f.per) for f in extract.fee_lines.all()] == [(8000, "bản")]

    linked = Procedure.objects.get(code="MC-HT-LT01")
    assert linked.interlinked and linked.online_level == "full"
    assert (linked.processing_time_value, linked.fee_amount) == (Decimal(15), 0)


def test_signature_certification_costs_ten_thousand_a_case(demo):
    """TT 226/2016/TT-BTC: chứng thực chữ ký 10.000 đồng/trường hợp; hợp đồng, giao dịch
    50.000 đồng; sửa đổi, bổ sung, hủy bỏ 30.000 đồng."""
    signature = Procedure.objects.get(code="2.000884")
    assert [(f.amount, f.per) for f in signature.fee_lines.all()] == [(10000, "trường hợp")]
    assert Procedure.objects.get(code="MC-CT-002").fee_amount == 50000
    assert Procedure.objects.get(code="MC-CT-005").fee_amount == 30000


def test_commitments_are_marked_as_demo_data_and_shorter_than_the_law(demo):
    from motcua.catalog.models import ProcedureCommitment

    commitments = ProcedureCommitment.objects.select_related("unit", "procedure")
    assert 2 <= commitments.count() <= 3
    for c in commitments:
        assert c.unit.code in ("YB", "LC")
        assert "demo" in c.decision
        assert c.time_unit == c.procedure.processing_time_unit
        assert c.time_value < c.procedure.processing_time_value


def test_vietnamese_text_is_written_with_its_diacritics(seed_file):
    """A quick guard against text typed without diacritics (e.g. "Dang ky khai sinh")."""
    unaccented = re.compile(r"\b(Dang ky|dang ky|giay to|Giay|thu tuc|ho tich|chung thuc)\b")
    for p in seed_file["procedures"]:
        text = json.dumps(p, ensure_ascii=False)
        assert not unaccented.search(text), p["code"]
        assert re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý]", p["name"].lower()), p["code"]


def test_citizens_never_see_the_data_files_provenance_markers(demo, api):
    """The seed file marks unverified facts ``[U]`` and leaves instructions to whoever keeps
    it ("[U] Điền mức thu của tỉnh"); the published catalog carries neither. ``source`` (the
    provenance itself) keeps them for administrators."""
    from motcua.catalog.text import public_text

    raw = json.dumps(json.loads(CATALOG_FILE.read_text(encoding="utf-8"))["procedures"], ensure_ascii=False)
    assert "[U]" in raw  # the file does carry markers: this test checks something
    for code in Procedure.objects.values_list("code", flat=True):
        body = api.get(f"/procedures/{code}").json()
        body.pop("source", None)
        text = json.dumps(body, ensure_ascii=False)
        assert "[U]" not in text and "[S]" not in text and "Điền mức thu" not in text, code
    assert public_text("Không thu lệ phí [U].") == "Không thu lệ phí."
    assert public_text("Theo nghị quyết (TT 85/2019). [U] Điền theo nghị quyết của tỉnh; 0 ở đây nghĩa là chưa nhập.") == (
        "Theo nghị quyết (TT 85/2019).")
