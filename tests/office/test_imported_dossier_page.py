"""The staff page of a dossier brought in by ``import-dossiers`` (CONTRACT §4) or by the demo
history: every shape opens (issue 17 §1: each was a 500, ``too many values to unpack``, while
the API answered 200), and its first event says where it came from. The demo history
(``seed-demo --history``) is written through the same importer, so these shapes are its shapes."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from motcua.dossiers.models import Dossier

APPLICANT = {"full_name": "Nguyễn Văn An", "id_number": "001090000001", "phone": "0912345678"}
MARITAL = "1.004873"

SHAPES = {  # code → the line's own fields: every outcome, given and computed due times, every channel
    "OLD-IN-PROGRESS": {"channel": "direct"},
    "OLD-GIVEN-DUE": {"channel": "postal", "due_at": "2026-03-06T17:00:00+07:00"},
    "OLD-APPROVED": {"channel": "online", "resolved_at": "2026-03-03T09:00:00+07:00", "outcome": "approved"},
    "OLD-REJECTED": {"channel": "direct", "resolved_at": "2026-03-04T10:00:00+07:00", "outcome": "rejected",
                     "due_at": "2026-03-05T17:00:00+07:00"},
    "OLD-WITHDRAWN": {"channel": "online", "withdrawn_at": "2026-03-03T10:00:00+07:00"},
    "OLD-AFTER-HOURS": {"channel": "online", "received_at": "2026-03-01T19:43:00+07:00"},  # a Sunday evening
}


@pytest.fixture
def imported(demo, tmp_path):
    lines = [{"code": code, "procedure": MARITAL, "unit": "YB.LY.YT", "received_at": "2026-03-02T08:00:00+07:00",
              "applicant": APPLICANT, **fields} for code, fields in SHAPES.items()]
    path = tmp_path / "old.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    call_command("import_dossiers", str(path))
    return list(SHAPES)


@pytest.mark.parametrize("username", ["motcua.yt", "lanhdao.yt", "admin"])
def test_every_shape_of_imported_dossier_opens_on_the_staff_page(login, imported, username):
    client = login(username)
    for code in imported:
        response = client.get(reverse("office:dossier", args=[code]))
        assert response.status_code == 200, (code, response.status_code)
        html = response.content.decode()
        assert "Nhập từ hệ thống cũ" in html, code
        assert "của tệp nhập" in html, code
    given = client.get(reverse("office:dossier", args=["OLD-GIVEN-DUE"])).content.decode()
    assert "17:00 06/03/2026 (theo hệ thống cũ)" in given
    computed = client.get(reverse("office:dossier", args=["OLD-IN-PROGRESS"])).content.decode()
    assert "(tính theo lịch làm việc)" in computed


def test_an_imported_dossier_worked_on_afterwards_still_opens(login, imported, act):
    """An imported dossier still in progress is handled like any other: its later events
    (assignment, re-appointment) are workflow changes beside the import's own record."""
    act("motcua.yt", "OLD-IN-PROGRESS", "assign", assignee="chuyenvien.yt")
    act("lanhdao.yt", "OLD-IN-PROGRESS", "reschedule", due_at="2027-01-05T17:00:00+07:00", note="Xin lỗi")
    html = login("lanhdao.yt").get(reverse("office:dossier", args=["OLD-IN-PROGRESS"])).content.decode()
    assert "Phân công cho:" in html and "Hẹn trả:" in html and "Nhập từ hệ thống cũ" in html
    assert Dossier.objects.get(code="OLD-IN-PROGRESS").status == "processing"

