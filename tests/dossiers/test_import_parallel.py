"""``motcua import-dossiers`` checks a large file in parts, in several processes side by side
(``importer.validate_file``), and the result is the same as one process's: the same dossiers,
codes, due times, audit notes with their line numbers, sequences and report counters; the same
bad lines with the same numbers. Run as an operator runs it (subprocesses on a fresh SQLite
installation): the checking processes read the database through connections of their own.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TZ = dt.timezone(dt.timedelta(hours=7))
UNITS = ["YB.LY.YT", "YB.LY.MX"]
PROCEDURE = "1.004873"


def _motcua(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "DATABASE_URL", "DJANGO_"))}
    return subprocess.run([sys.executable, "-m", "motcua", *args], env={**env, "MOTCUA_DATA_DIR": str(data_dir)},
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def installation(seeded_template) -> Path:
    """A fresh installation after ``motcua migrate`` and ``motcua seed-demo`` (the session's,
    tests/installations.py): tests import into copies of it."""
    return seeded_template


def copy(installation: Path, to: Path) -> Path:
    return Path(shutil.copytree(installation, to))


def lines(n: int) -> list[str]:
    """``n`` lines: most without a code and many on the same few days (each unit and day's lines are
    numbered across the whole file, whichever part they are in), codes in our format (the sequences
    move past them), due times given and computed, every outcome."""
    out = []
    for i in range(n):
        received = dt.datetime(2026, 3, 2 + (i % 3), 8, 0, tzinfo=TZ) + dt.timedelta(minutes=i % 500)
        record = {"procedure": PROCEDURE, "unit": UNITS[i % 2], "channel": ("online", "direct", "postal")[i % 3],
                  "received_at": received.isoformat(),
                  "applicant": {"full_name": f"Nguyễn Thị {i}", "id_number": f"{i + 1:012d}", "phone": "0912345678"}}
        if i % 7 == 0:
            record["code"] = f"{'000' if UNITS[i % 2].endswith('YT') else '001'}-26030{2 + i % 3}-{9000 + i:04d}"
        elif i % 11 == 0:
            record["code"] = f"CU-{i:06d}"
        if i % 4 == 0:
            record["due_at"] = (received + dt.timedelta(days=5)).isoformat()
        if i % 5 == 0:
            record["resolved_at"] = (received + dt.timedelta(days=1 + i % 9)).isoformat()
            record["outcome"] = "approved" if i % 10 else "rejected"
        elif i % 13 == 0:
            record["withdrawn_at"] = (received + dt.timedelta(hours=3)).isoformat()
        out.append(json.dumps(record, ensure_ascii=False))
    return out


def dump(data_dir: Path) -> dict:
    db = sqlite3.connect(data_dir / "motcua.sqlite3")
    try:
        q = lambda sql: db.execute(sql).fetchall()  # noqa: E731
        return {
            "dossiers": q("SELECT code, procedure_id, unit_id, channel, status, received_at, due_at, resolved_at, "
                          "withdrawn_at, applicant_name, applicant_id_number FROM dossiers_dossier ORDER BY code"),
            "events": q("SELECT d.code, e.note, e.changes FROM dossiers_dossierevent e JOIN dossiers_dossier d "
                        "ON d.id = e.dossier_id ORDER BY d.code"),
            "sequences": q("SELECT unit_id, day, last FROM dossiers_dossiersequence ORDER BY unit_id, day"),
            "counters": q("SELECT * FROM reports_dailycount ORDER BY unit_id, procedure_id, day, multi"),
        }
    finally:
        db.close()


def test_parts_checked_side_by_side_import_what_one_process_imports(installation, tmp_path):
    text = lines(2400)
    text.insert(1200, "")  # a blank line: numbers after it stay those of the file
    path = tmp_path / "export.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + ("\n".join(text) + "\n").encode())  # a byte-order mark, as Excel writes
    one, three = copy(installation, tmp_path / "one"), copy(installation, tmp_path / "three")
    alone = _motcua(one, "import-dossiers", "--workers", "1", str(path))
    side_by_side = _motcua(three, "import-dossiers", "--workers", "3", str(path))
    assert alone.returncode == 0 and side_by_side.returncode == 0, alone.stderr + side_by_side.stderr
    assert "Đã nhập 2400 hồ sơ" in side_by_side.stdout and "checked by 3 processes" in side_by_side.stdout
    assert "processes" not in alone.stdout
    a, b = dump(one), dump(three)
    assert len(a["dossiers"]) == 2400 and a["counters"] and a["sequences"]
    for key in a:
        assert a[key] == b[key], key
    notes = {note for _code, note, _changes in a["events"]}
    assert "Nhập từ hệ thống cũ: tệp export.jsonl, dòng 2401" in notes  # the last line, after the blank one
    assert _motcua(three, "report", "verify").returncode == 0


def test_bad_lines_are_reported_with_the_same_numbers(installation, tmp_path):
    text = lines(1800)
    text[5] = '{"unit": "YB.LY.YT"'  # part one: not JSON
    text[900] = text[900].replace('"YB.LY.', '"KHONG.CO.')  # part two: an unknown unit
    text[1700] = json.dumps({**json.loads(text[14]), "received_at": "2026-03-02T08:00:00+07:00"})  # part three: line 15's code again
    raw = ("\n".join(text) + "\n").encode()
    raw = raw.replace(text[1000].encode(), text[1000].encode()[:-3] + b"\xff\xfe}")  # not UTF-8
    path = tmp_path / "bad.jsonl"
    path.write_bytes(raw)
    data = copy(installation, tmp_path / "data")
    alone = _motcua(data, "import-dossiers", "--workers", "1", str(path))
    side_by_side = _motcua(data, "import-dossiers", "--workers", "3", str(path))
    assert alone.returncode == side_by_side.returncode == 1
    assert alone.stderr == side_by_side.stderr
    reported = [line.split(":")[0] for line in side_by_side.stderr.splitlines() if line.startswith("line ")]
    assert reported == ["line 6", "line 901", "line 1001", "line 1701"], side_by_side.stderr
    assert "trùng với dòng 15" in side_by_side.stderr
    assert dump(data)["dossiers"] == []
