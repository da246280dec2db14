"""GET /api/v1/reports/tthc (CONTRACT §2 table, §5): who may see which unit, bad input, the figures."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.reports.conftest import vn

MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


@pytest.fixture
def month(make_dossier):
    make_dossier(unit="YB.LY.YT", channel="online", received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-04 17:00"),
                 status="approved", resolved_at=vn("2026-03-03 10:00"))
    make_dossier(unit="YB.LY.YT", channel="postal", received_at=vn("2026-03-05 08:00"), due_at=vn("2026-03-06 17:00"),
                 status="rejected", resolved_at=vn("2026-03-09 08:00"))
    make_dossier(unit="YB.LY.MX", channel="direct", received_at=vn("2026-02-26 08:00"), due_at=vn("2026-03-02 17:00"))
    make_dossier(unit="LC.TP", channel="direct", received_at=vn("2026-03-10 08:00"), due_at=vn("2026-04-10 17:00"))


def test_leader_gets_the_report_of_their_unit(api_as, month):
    """CONTRACT §5 body for a leader's own unit."""
    r = api_as("lanhdao.yt").get("/reports/tthc", {"unit": "YB.LY.YT", **MARCH})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["unit"] == "YB.LY.YT" and body["from"] == "2026-03-01" and body["to"] == "2026-03-31"
    assert body["received"] == {"total": 2, "carried_over": 0, "new": {"total": 2, "online": 1, "direct": 0, "postal": 1}}
    assert body["resolved"] == {"total": 2, "early": 1, "on_time": 0, "late": 1}
    assert body["in_progress"] == {"total": 0, "within_deadline": 0, "overdue": 0}
    assert body["withdrawn"] == 0
    assert body["rates"] == {"online_pct": 50.0, "resolved_on_time_pct": 50.0}


def test_district_leader_sees_the_district_with_its_communes(api_as, month):
    """Scoping: a leader may see their units and the units below them; `children=1` adds them up."""
    r = api_as("lanhdao.ly").get("/reports/tthc", {"unit": "YB.LY", "children": "1", **MARCH})
    assert r.status_code == 200, r.content
    assert r.json()["received"]["total"] == 3
    assert r.json()["in_progress"] == {"total": 1, "within_deadline": 0, "overdue": 1}
    assert api_as("lanhdao.ly").get("/reports/tthc", {"unit": "YB.LY.MX", **MARCH}).status_code == 200


def test_leader_may_not_see_a_unit_above_or_beside_theirs(api_as, month):
    """Scoping: a commune leader cannot read the district's or another commune's report (403)."""
    client = api_as("lanhdao.yt")
    for unit in ("YB.LY", "YB.LY.MX", "LC.TP"):
        r = client.get("/reports/tthc", {"unit": unit, **MARCH})
        assert r.status_code == 403, (unit, r.content)
        assert r.json()["error"]["code"] == "unit_not_allowed"


def test_inspector_sees_the_province_subtree_and_admin_everything(api_as, month):
    """Inspectors: their unit's subtree (YB); admins: every unit."""
    inspector = api_as("thanhtra.yb")
    assert inspector.get("/reports/tthc", {"unit": "YB", "children": "true", **MARCH}).json()["received"]["total"] == 3
    assert inspector.get("/reports/tthc", {"unit": "LC", **MARCH}).status_code == 403
    r = api_as("admin").get("/reports/tthc", {"unit": "LC", "children": "1", **MARCH})
    assert r.status_code == 200 and r.json()["received"]["total"] == 1


@pytest.mark.parametrize("username", ["motcua.yt", "chuyenvien.yt", "congdan"])
def test_other_roles_are_forbidden(api_as, username):
    """CONTRACT §2: the report is for leader, inspector, admin."""
    r = api_as(username).get("/reports/tthc", {"unit": "YB.LY.YT", **MARCH})
    assert r.status_code == 403
    assert set(r.json()["error"]) == {"code", "message", "fields"}


def test_anonymous_is_unauthorized(api, demo):
    r = api.get("/reports/tthc", {"unit": "YB.LY.YT", **MARCH})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("params, field", [
    ({"unit": "YB.LY.YT", "from": "2026-13-01", "to": "2026-03-31"}, "from"),
    ({"unit": "YB.LY.YT", "from": "01/03/2026", "to": "2026-03-31"}, "from"),
    ({"unit": "YB.LY.YT", "from": "2026-03-01", "to": "tomorrow"}, "to"),
    ({"unit": "YB.LY.YT", "from": "2026-04-01", "to": "2026-03-31"}, "from"),
    ({"unit": "YB.LY.YT", "to": "2026-03-31"}, "from"),
    ({"from": "2026-03-01", "to": "2026-03-31"}, "unit"),
    ({"unit": "YB.LY.YT", "children": "maybe", **MARCH}, "children"),
])
def test_bad_input_is_422_with_the_contract_body(api_as, params, field):
    """CONTRACT §2: 422 with {"error": {"code", "message", "fields"}}; never 500."""
    r = api_as("admin").get("/reports/tthc", params)
    assert r.status_code == 422, r.content
    assert field in r.json()["error"]["fields"]


def test_unknown_unit_is_404(api_as):
    r = api_as("admin").get("/reports/tthc", {"unit": "XX.NOPE", **MARCH})
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "unit_not_found"


def test_xlsx_has_the_form_and_the_figures(api_as, month):
    """Biểu số 06/VPCP/KSTT: 13 numbered columns, column 5 = direct + postal, a total row."""
    r = api_as("lanhdao.ly").get("/reports/tthc.xlsx", {"unit": "YB.LY", "children": "1", **MARCH})
    assert r.status_code == 200, r.content
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ws = load_workbook(io.BytesIO(r.content)).active
    cells = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    text = " ".join(str(c) for row in cells for c in row if c is not None)
    assert "Biểu số 06/VPCP/KSTT" in text and "Trực tiếp, dịch vụ bưu chính" in text and "Huyện Lục Yên" in text
    numbers = next(row for row in cells if row[0] == "(1)")
    assert list(numbers[:13]) == [f"({n})" for n in range(1, 14)]
    total = next(row for row in cells if row[1] == "Tổng cộng")
    # columns 3–13: received 3 = online 1 + direct/postal 1 (postal) + carried 1; resolved 2 = early 1 + late 1; 1 overdue
    assert list(total[2:13]) == [3, 1, 1, 1, 2, 1, 0, 1, 1, 0, 1]
    assert any(row[1] == "Cấp xã" for row in cells)


def test_pdf_opens_and_names_the_unit(api_as, month):
    """The PDF renders Vietnamese: the unit's name is in its text."""
    r = api_as("lanhdao.yt").get("/reports/tthc.pdf", {"unit": "YB.LY.YT", **MARCH})
    assert r.status_code == 200, r.content
    assert r["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    assert "Thị trấn Yên Thế" in text
    assert "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT" in text


def test_file_variants_are_scoped_like_the_json(api_as, month):
    assert api_as("lanhdao.yt").get("/reports/tthc.xlsx", {"unit": "YB.LY", **MARCH}).status_code == 403
    assert api_as("motcua.yt").get("/reports/tthc.pdf", {"unit": "YB.LY.YT", **MARCH}).status_code == 403
    assert api_as("admin").get("/reports/tthc.pdf", {"unit": "YB.LY.YT", "from": "x", "to": "y"}).status_code == 422
