"""`motcua report tthc …` (CONTRACT §1): JSON on stdout, files with --output, one-line errors with exit 1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.reports.conftest import vn

MARCH = ["--from", "2026-03-01", "--to", "2026-03-31"]


def test_json_report_on_stdout_parses(make_dossier, capsys):
    make_dossier(unit="LC.TP", channel="online", received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-04 17:00"))
    make_dossier(unit="LC.NN.NM", channel="direct", received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-04 17:00"))
    call_command("report", "tthc", "--unit", "LC", "--children", *MARCH)
    body = json.loads(capsys.readouterr().out)
    assert body["unit"] == "LC" and body["received"]["new"] == {"total": 2, "online": 1, "direct": 1, "postal": 0}
    assert body["in_progress"] == {"total": 2, "within_deadline": 0, "overdue": 2}


def test_xlsx_and_pdf_to_a_file(make_dossier, tmp_path: Path):
    make_dossier(unit="YB.LY.MX", received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-04 17:00"))
    xlsx, pdf = tmp_path / "b06.xlsx", tmp_path / "b06.pdf"
    call_command("report", "tthc", "--unit", "YB.LY.MX", *MARCH, "--format", "xlsx", "--output", str(xlsx))
    call_command("report", "tthc", "--unit", "YB.LY.MX", *MARCH, "--format", "pdf", "--output", str(pdf))
    rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))
    assert next(r for r in rows if r[1] == "Tổng cộng")[2] == 1
    assert "Xã Minh Xuân" in PdfReader(pdf).pages[0].extract_text()


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "MOTCUA_DEBUG": ""}
    return subprocess.run([sys.executable, "-m", "motcua", "report", *args], capture_output=True, text=True, env=env,
                          timeout=120)


@pytest.mark.parametrize("args", [
    ["--unit", "YB", "--from", "2026-04-01", "--to", "2026-03-31"],
    ["--unit", "NOPE", *MARCH],
    ["--unit", "YB", "--from", "2026-02-30", "--to", "2026-03-31"],
])
def test_user_errors_raise_command_error(demo, args):
    with pytest.raises(CommandError):
        call_command("report", "tthc", *args)


def test_user_errors_exit_1_with_one_line():
    """CONTRACT §1: exit 1 with a one-line message, never a traceback (the real `python -m motcua`)."""
    for args in (["tthc", "--unit", "YB", "--from", "2026-02-30", "--to", "2026-03-31"],
                 ["tthc", "--unit", "YB", *MARCH, "--format", "doc"]):
        result = _run(*args)
        assert result.returncode == 1, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr


def test_report_verify_agrees_then_names_a_difference(make_dossier, capsys):
    """CONTRACT §1 `motcua report verify`: exit 0 when the report equals a one-by-one recount;
    exit 1 listing each difference (here the report's arithmetic is broken on purpose)."""
    from unittest import mock

    from django.core.management import call_command

    from motcua.reports import services
    from tests.reports.conftest import vn

    make_dossier(unit="YB.LY.YT", received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-04 17:00"),
                 status="approved", resolved_at=vn("2026-03-05 08:00"))
    make_dossier(unit="YB.LY.MX", received_at=vn("2025-12-30 08:00"), due_at=vn("2026-01-05 17:00"))
    call_command("report", "verify", "--unit", "YB.LY")
    assert "all figures agree" in capsys.readouterr().out

    original = services.late
    with mock.patch.object(services, "late", lambda start, end: original(start, end) & services.Q(pk__lt=0)):
        with pytest.raises(SystemExit) as exited:
            call_command("report", "verify", "--unit", "YB.LY")
    assert exited.value.code == 1
    out = capsys.readouterr().out
    assert "YB.LY.YT 2026-01-01..2026-12-31 late: báo cáo/report 0 ≠ đếm lại/recount 1" in out
