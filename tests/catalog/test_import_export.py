"""Import and export of the whole catalog (format ``motcua-catalog/1``) and the
``import-catalog`` / ``export-catalog`` commands (CONTRACT §1: exit 1 on a user error with a
one-line message, never a traceback)."""

from __future__ import annotations

import copy
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.catalog.samples import CATALOG_FILE
from motcua.catalog.importexport import export_catalog, import_catalog
from motcua.catalog.models import FeeLine, Field, Procedure, ProcedureCommitment, ProcedureLevel, RequiredDocument
from motcua.errors import InvalidInput

pytestmark = pytest.mark.django_db


def table_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Field, Procedure, ProcedureLevel, RequiredDocument, FeeLine, ProcedureCommitment)
    }


@pytest.fixture
def seed_file() -> dict:
    return json.loads(CATALOG_FILE.read_text(encoding="utf-8"))


def test_export_round_trips_through_import_into_an_empty_catalog(demo):
    exported = export_catalog()
    ProcedureCommitment.objects.all().delete()
    Procedure.objects.all().delete()
    Field.objects.all().delete()
    assert table_counts()["Procedure"] == 0

    import_catalog(exported)
    assert export_catalog() == exported


def test_export_contains_what_the_seed_file_holds(demo, seed_file):
    exported = export_catalog()
    by_code = {p["code"]: p for p in exported["procedures"]}
    assert set(by_code) == {p["code"] for p in seed_file["procedures"]}
    for p in seed_file["procedures"]:
        e = by_code[p["code"]]
        assert (e["name"], e["field"], sorted(e["levels"])) == (p["name"], p["field"], sorted(p["levels"]))
        assert e["fee_amount"] == p["fee_amount"] and e["documents"][0]["name"] == p["documents"][0]["name"]
        assert e["processing_time"]["value"] == p["processing_time"]["value"]
    assert len(exported["commitments"]) == len(seed_file["commitments"])


def test_import_is_idempotent(demo, seed_file):
    before = table_counts()
    exported = export_catalog()
    ids = dict(Procedure.objects.values_list("code", "pk"))

    result = import_catalog(seed_file)
    import_catalog(seed_file)

    assert result["procedures"] == len(seed_file["procedures"])
    assert table_counts() == before
    assert export_catalog() == exported
    assert dict(Procedure.objects.values_list("code", "pk")) == ids   # matched by code, not re-created


def test_reimport_replaces_papers_fees_and_levels_of_an_entry(demo):
    data = export_catalog()
    entry = next(p for p in data["procedures"] if p["code"] == "2.000815")
    entry["levels"] = ["commune"]
    entry["documents"] = entry["documents"][:1]
    entry["fees"] = [{"name": "Phí chứng thực bản sao", "amount": 3000, "per": "trang", "note": ""}]
    entry["fee_amount"] = 3000
    import_catalog(data)

    p = Procedure.objects.get(code="2.000815")
    assert p.level_list == ["commune"]
    assert list(p.documents.values_list("name", flat=True)) == ["Bản chính giấy tờ, văn bản"]
    assert list(p.fee_lines.values_list("amount", flat=True)) == [3000]
    assert p.fee_amount == 3000


def broken_catalog(data: dict) -> dict:
    """``data`` with one new good entry and several bad ones."""
    bad = copy.deepcopy(data)
    good_new = copy.deepcopy(bad["procedures"][0])
    good_new.update(code="MC-TEST-001", name="Thủ tục mới hợp lệ")
    bad["procedures"].append(good_new)
    bad["procedures"][1]["fee_amount"] = -5
    bad["procedures"][2]["levels"] = ["ward"]
    bad["procedures"][3]["processing_time"] = {"value": 0, "unit": "working_days"}
    bad["procedures"][4]["documents"][0]["copy_type"] = "photocopy"
    bad["procedures"][5]["field"] = "KHONG-CO"
    bad["procedures"][6]["code"] = bad["procedures"][0]["code"]
    bad["procedures"][7]["cutoff_time"] = "3pm"
    bad["procedures"][8]["name"] = "Tên đã sửa nhưng tệp có lỗi"
    bad["commitments"][0]["unit"] = "ZZ"
    return bad


def test_an_invalid_file_writes_nothing_and_reports_every_problem_by_path(demo, seed_file):
    before_counts, before = table_counts(), export_catalog()
    bad = broken_catalog(seed_file)

    with pytest.raises(InvalidInput) as excinfo:
        import_catalog(bad)

    problems = excinfo.value.fields
    assert excinfo.value.code == "invalid_catalog"
    assert set(problems) == {
        "procedures[1].fee_amount", "procedures[2].levels", "procedures[3].processing_time.value",
        "procedures[4].documents[0].copy_type", "procedures[5].field", "procedures[6].code",
        "procedures[7].cutoff_time", "commitments[0].unit",
    }
    assert all(problems[path] for path in problems)
    assert table_counts() == before_counts
    assert export_catalog() == before
    assert not Procedure.objects.filter(code="MC-TEST-001").exists()


@pytest.mark.parametrize(
    "mutate, path",
    [
        (lambda d: d.update(format="other/9"), "format"),
        (lambda d: d.update(procedures="không phải danh sách"), "procedures"),
        (lambda d: d["procedures"].append("chuỗi"), "procedures[40]"),
        (lambda d: d["procedures"][0].update(processing_time=None), "procedures[0].processing_time"),
        (lambda d: d["procedures"][0].update(processing_time={"value": "ba", "unit": "working_days"}), "procedures[0].processing_time.value"),
        (lambda d: d["procedures"][0].update(processing_time={"value": 3, "unit": "weeks"}), "procedures[0].processing_time.unit"),
        (lambda d: d["procedures"][0].update(fee_amount=True), "procedures[0].fee_amount"),
        (lambda d: d["procedures"][0].update(fee_amount=1.5), "procedures[0].fee_amount"),
        (lambda d: d["procedures"][0].update(name="x" * 401), "procedures[0].name"),
        (lambda d: d["procedures"][0].update(steps="một bước"), "procedures[0].steps"),
        (lambda d: d["procedures"][0].update(interlinked_levels=["village"]), "procedures[0].interlinked_levels"),
        (lambda d: d["procedures"][0].update(replaced_by="KHONG-CO"), "procedures[0].replaced_by"),
        (lambda d: d["procedures"][0].update(valid_from="2025-13-01"), "procedures[0].valid_from"),
        (lambda d: d["procedures"][0].update(fees=[{"name": "Phí", "amount": -1}]), "procedures[0].fees[0]"),
        (lambda d: d["procedures"][0]["documents"][0].update(count=0), "procedures[0].documents[0].count"),
        (lambda d: d["commitments"][0].update(time_value=None), "commitments[0].time_value"),
        (lambda d: d["commitments"][0].update(procedure="KHONG-CO"), "commitments[0].procedure"),
    ],
)
def test_each_kind_of_problem_is_reported_at_its_path(demo, seed_file, mutate, path):
    before = table_counts()
    bad = copy.deepcopy(seed_file)
    mutate(bad)
    with pytest.raises(InvalidInput) as excinfo:
        import_catalog(bad)
    assert path in excinfo.value.fields, excinfo.value.fields
    assert table_counts() == before


def test_replaced_by_links_an_entry_to_its_successor_and_can_be_cleared(demo):
    data = export_catalog()
    old = next(p for p in data["procedures"] if p["code"] == "MC-HT-005")
    old["replaced_by"] = "1.001193"
    import_catalog(data)
    assert Procedure.objects.get(code="MC-HT-005").replaced_by.code == "1.001193"
    old["replaced_by"] = None
    import_catalog(data)
    assert Procedure.objects.get(code="MC-HT-005").replaced_by is None


# ------------------------------------------------------------------------------------- commands

def test_export_and_import_commands_round_trip_through_a_file(demo, tmp_path, capsys):
    out = tmp_path / "catalog.json"
    call_command("export_catalog", "--output", str(out))
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported == export_catalog()
    assert "Đăng ký khai sinh" in out.read_text(encoding="utf-8")   # UTF-8, not \u escapes

    Procedure.objects.filter(code="MC-XD-001").update(name="Tên bị sửa nhầm")
    call_command("import_catalog", str(out))
    assert "40 thủ tục" in capsys.readouterr().out
    assert Procedure.objects.get(code="MC-XD-001").name == "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ"
    assert export_catalog() == exported


def test_export_command_writes_to_stdout(demo, capsys):
    call_command("export_catalog")
    assert json.loads(capsys.readouterr().out)["format"] == "motcua-catalog/1"


def test_import_command_rejects_an_invalid_file_with_paths_and_writes_nothing(demo, tmp_path, seed_file, capsys):
    before = export_catalog()
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(broken_catalog(seed_file), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="chưa hợp lệ"):
        call_command("import_catalog", str(path))
    err = capsys.readouterr().err
    assert "procedures[1].fee_amount:" in err and "commitments[0].unit:" in err
    assert export_catalog() == before


@pytest.mark.parametrize("content", [None, "{không phải json".encode(), b"\xff\xfe\x00"])
def test_import_command_reports_an_unreadable_file(demo, tmp_path, content):
    path = tmp_path / "x.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError, match="Không đọc được tệp"):
        call_command("import_catalog", str(path))


def test_the_cli_exits_1_with_one_line_and_no_traceback(tmp_path):
    """CONTRACT §1 through the real entry point (``python -m motcua``); a file of the wrong
    format is rejected before the database is touched."""
    import os
    import subprocess
    import sys

    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "other"}', encoding="utf-8")
    env = {**os.environ, "MOTCUA_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "motcua", "import-catalog", str(bad)], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "format" in result.stderr
