"""/can-bo/kiem-tra/ (CONTRACT §7): the officers' work with every number opening its dossiers,
the flags, and the inspection records (open, note findings, close, print), with bad input shown
as a Vietnamese message that writes nothing."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.dossiers.data import vn
from tests.inspection.test_flags import INTAKE, SLOW
from tests.printing.conftest import pdf_text

PERIOD = {"unit": "YB.LY.YT", "ky": "tuy-chon", "from": "2026-03-01", "to": "2026-03-31", "children": "0"}


def logged_in(client, username):
    from motcua.accounts.models import User

    client.force_login(User.objects.get(username=username))
    return client


def test_the_page_links_every_number_to_as_many_dossiers(walk, client):
    walk(INTAKE + SLOW)
    walk(INTAKE)
    page = logged_in(client, "lanhdao.yt").get("/can-bo/kiem-tra/", PERIOD)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Trần Văn Nam" in html and "Kiểm tra công vụ" in html
    cells = re.findall(r'<a href="(/can-bo/kiem-tra/ho-so/\?[^"]+)">([\d.]+)</a>', html)
    assert cells
    for href, number in cells:
        listed = client.get(unescape(href))
        assert listed.status_code == 200
        assert f"{int(number.replace('.', ''))} hồ sơ" in listed.content.decode()


def test_survey_scores_per_officer_open_their_dossiers(walk, client):
    """§3: the survey scores of the dossiers each officer handled, satisfied answers over surveys,
    both numbers opening their dossiers."""
    from motcua.feedback.models import Survey
    from tests.inspection.test_flags import PROMPT

    slow, prompt = walk(INTAKE + SLOW), walk(INTAKE + PROMPT)
    Survey.objects.create(dossier=slow, access=1, procedure=2, officers=1, result=3, feedback=2)
    Survey.objects.create(dossier=prompt, access=3, procedure=3, officers=3, result=3, feedback=1)
    page = logged_in(client, "lanhdao.yt").get("/can-bo/kiem-tra/", PERIOD)
    html = page.content.decode()
    assert "Khảo sát: hài lòng về cán bộ" in html and "Cán bộ, công chức giải quyết" in html
    # Every officer of the unit handled both dossiers: 1 of 2 satisfied with the officers.
    ratio = re.compile(r'<a href="([^"]*figure=satisfied_officers[^"]*)">1</a>/<a href="([^"]*figure=surveyed[^"]*)">2</a>')
    pairs = ratio.findall(html)
    assert pairs
    numerator, denominator = (unescape(h) for h in pairs[0])
    listed = client.get(numerator).content.decode()
    assert "1 hồ sơ" in listed and prompt.code in listed and slow.code not in listed
    listed = client.get(denominator).content.decode()
    assert "2 hồ sơ" in listed and prompt.code in listed and slow.code in listed


def test_only_leaders_inspectors_and_admins(client, demo):
    assert logged_in(client, "chuyenvien.yt").get("/can-bo/kiem-tra/").status_code == 403
    bad = logged_in(client, "lanhdao.yt").get("/can-bo/kiem-tra/ho-so/", {**PERIOD, "unit": "YB.LY.MX", "figure": "handled"})
    assert bad.status_code == 403 and "không có quyền" in bad.content.decode()


def test_an_inspection_from_opening_to_the_printed_record(walk, client):
    from motcua.inspection.models import Inspection, InspectionEntry

    late = walk(INTAKE + SLOW)
    other = walk([("receive", "motcua.mx", vn(2026, 3, 2, 9, 0))], unit="YB.LY.MX")
    c = logged_in(client, "thanhtra.yb")
    r = c.post("/can-bo/kiem-tra/mo/", {"unit": "YB.LY.YT", "from": "2026-03-01", "to": "2026-03-31",
                                       "subject": "Kiểm tra đột xuất việc giải quyết hồ sơ", "unannounced": "1"})
    assert r.status_code == 302
    inspection = Inspection.objects.get()
    url = f"/can-bo/kiem-tra/dot/{inspection.pk}/"
    assert c.post(url, {"do": "note", "dossier": late.code, "flag": "step_late",
                        "text": "Chuyên viên giữ hồ sơ <script>alert(1)</script> quá thời gian"}).status_code == 302
    # A dossier of another unit, an empty finding: a message, nothing written.
    for bad in ({"do": "note", "dossier": other.code, "text": "Ghi nhận"}, {"do": "note", "text": "  "}):
        r = c.post(url, bad)
        assert r.status_code == 422 and 'role="alert"' in r.content.decode()
    assert InspectionEntry.objects.count() == 2
    page = c.get(url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert c.post(url, {"do": "close", "conclusion": "Nhắc nhở chuyên viên"}).status_code == 302
    assert c.post(url, {"do": "note", "text": "Ghi thêm"}).status_code == 409
    inspection.refresh_from_db()
    assert inspection.state == "closed" and InspectionEntry.objects.count() == 3
    with pytest.raises(PermissionError):
        InspectionEntry.objects.filter(inspection=inspection).delete()
    pdf = c.get(f"/can-bo/kiem-tra/dot/{inspection.pk}/bien-ban.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(pdf.content).split())
    assert "BIÊN BẢN KIỂM TRA CÔNG VỤ" in text and late.code in text
    assert "<script>alert(1)</script>" in text  # shown as text, never run
    assert "Nhắc nhở chuyên viên" in text and "Trần Văn Nam" in text
    # A leader reads the record but cannot write in it.
    leader = logged_in(client.__class__(), "lanhdao.yt")
    assert leader.get(url).status_code == 200
    assert leader.get("/can-bo/kiem-tra/mo/").status_code == 403


def test_the_timeline_says_which_step_used_how_much(walk, client):
    """The office dossier page: each step's working time against its share (issue 20 §3)."""
    dossier = walk(INTAKE + SLOW)
    html = " ".join(unescape(logged_in(client, "lanhdao.yt").get(f"/can-bo/ho-so/{dossier.code}/").content.decode()).split())
    assert "Bước Thẩm định, xử lý: 24,0 giờ làm việc trên 16,8 giờ được dành cho bước — quá thời gian của bước" in html
    assignment = html.split("Bước Phân công: 1,0 giờ làm việc trên ", 1)[1]
    assert assignment.startswith(("3,0 giờ được dành cho bước", "3,1 giờ được dành cho bước"))
    assert not assignment.split("bước", 1)[1].lstrip().startswith("—")
