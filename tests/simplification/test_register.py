"""The register of simplification proposals (issue 20 §4): propose, savings from the real
volume of the last 12 months, a leader's review, the export for the yearly review; bad input
named by field and nothing written."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from tests.dossiers.data import APPLICANT, THREE_DAY_COMMUNE


@pytest.fixture
def volume(demo):
    """Three dossiers of THREE_DAY_COMMUNE at YB.LY.YT in the last year, one older, one elsewhere."""
    from motcua.accounts.models import User
    from motcua.dossiers.intake import receive_dossier

    now = timezone.now()
    for unit, counter, days_ago in (("YB.LY.YT", "motcua.yt", 3), ("YB.LY.YT", "motcua.yt", 100), ("YB.LY.YT", "motcua.yt", 300),
                                    ("YB.LY.YT", "motcua.yt", 400), ("YB.LY.MX", "motcua.mx", 10)):
        receive_dossier(actor=User.objects.get(username=counter), procedure_code=THREE_DAY_COMMUNE, unit_code=unit,
                        channel="direct", applicant=APPLICANT, arrived_at=now - dt.timedelta(days=days_ago))


def _user(name):
    from motcua.accounts.models import User

    return User.objects.get(username=name)


def test_savings_are_the_real_volume_times_what_one_dossier_saves(volume):
    from motcua.catalog.models import Procedure
    from motcua.simplification import services

    proc = Procedure.objects.get(code=THREE_DAY_COMMUNE)
    paper = proc.documents.order_by("order").first()
    days = services.propose(_user("chuyenvien.yt"), unit_code="YB.LY.YT", procedure_code=THREE_DAY_COMMUNE, cut="days",
                            days="1", reason="Rút ngắn thời gian xác minh")
    assert services.savings(days) == {"volume": 3, "per_dossier": 1.0, "total": 3.0, "unit": "ngày làm việc",
                                      "text": "3 ngày làm việc"}
    sheet = services.propose(_user("chuyenvien.yt"), unit_code="YB.LY.YT", procedure_code=THREE_DAY_COMMUNE, cut="paper",
                             document=str(paper.pk), reason="Khai thác từ cơ sở dữ liệu dân cư")
    assert services.savings(sheet)["total"] == 3 * paper.count
    fee = services.propose(_user("chuyenvien.yt"), unit_code="YB.LY.YT", procedure_code=THREE_DAY_COMMUNE, cut="fee",
                           fee_amount="5000", reason="Miễn lệ phí khi nộp trực tuyến")
    assert services.savings(fee)["text"] == "15.000 đồng"
    # At the district the communes below count too (YT's three, MX's one).
    district = services.propose(_user("chuyenvien.ly"), unit_code="YB.LY", procedure_code=THREE_DAY_COMMUNE, cut="days",
                                days="0,5", reason="Liên thông điện tử")
    assert services.savings(district)["volume"] == 4 and services.savings(district)["text"] == "2 ngày làm việc"


@pytest.mark.parametrize(("fields", "field"), [
    ({"reason": "  "}, "reason"),
    ({"days": "9"}, "days"),          # more than the procedure's three days
    ({"days": "abc"}, "days"),
    ({"unit": "YB.LY.MX"}, "unit"),    # not where the specialist works
    ({"procedure": "không-có"}, "procedure"),
    ({"cut": "paper", "document": "999999"}, "document"),
    ({"cut": "fee", "fee_amount": "-5"}, "fee_amount"),
    ({"cut": "step", "step_text": ""}, "step_text"),
])
def test_bad_proposals_are_named_and_write_nothing(demo, fields, field):
    from motcua.errors import InvalidInput
    from motcua.simplification import services
    from motcua.simplification.models import Proposal

    body = {"unit_code": "YB.LY.YT", "procedure_code": THREE_DAY_COMMUNE, "cut": "days", "days": "1", "reason": "Lý do"}
    body.update({{"unit": "unit_code", "procedure": "procedure_code"}.get(k, k): v for k, v in fields.items()})
    with pytest.raises(InvalidInput) as caught:
        services.propose(_user("chuyenvien.yt"), **body)
    assert field in caught.value.fields
    assert not Proposal.objects.exists()


def test_review_and_export_pages(volume, client):
    from openpyxl import load_workbook

    client.force_login(_user("chuyenvien.yt"))
    r = client.post("/can-bo/don-gian-hoa/", {"unit": "YB.LY.YT", "procedure": THREE_DAY_COMMUNE, "cut": "days", "days": "1",
                                             "reason": "=HYPERLINK(\"http://x\") <b>gộp bước</b>"})
    assert r.status_code == 302
    url = r["Location"]
    page = client.get(url).content.decode()
    assert "&lt;b&gt;gộp bước&lt;/b&gt;" in page and "3 ngày làm việc" in page
    assert client.post(url, {"do": "approve"}).status_code == 403  # a specialist does not review
    leader = client.__class__()
    leader.force_login(_user("lanhdao.yt"))
    assert leader.post(url, {"do": "reject"}).status_code == 422  # a refusal needs a reason
    assert leader.post(url, {"do": "approve", "note": "Đồng ý, trình UBND tỉnh"}).status_code == 302
    assert leader.post(url, {"do": "approve"}).status_code == 409
    assert "Đã phê duyệt" in leader.get(url).content.decode()
    csv = leader.get("/can-bo/don-gian-hoa/so-de-xuat.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "Đã phê duyệt" in csv and ",3,1.0,3.0,ngày làm việc," in csv
    book = load_workbook(io.BytesIO(leader.get("/can-bo/don-gian-hoa/so-de-xuat.xlsx").content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][0] == THREE_DAY_COMMUNE and rows[1][5].startswith("'=") and rows[1][9] == 3
    citizen = client.__class__()
    citizen.force_login(_user("congdan"))
    assert citizen.get("/can-bo/don-gian-hoa/").status_code == 403


def test_a_leader_never_approves_their_own(volume):
    from motcua.errors import Forbidden
    from motcua.simplification import services

    mine = services.propose(_user("lanhdao.yt"), unit_code="YB.LY.YT", procedure_code=THREE_DAY_COMMUNE, cut="days",
                            days="1", reason="Giảm thời gian")
    with pytest.raises(Forbidden):
        services.review(_user("lanhdao.yt"), mine.pk, approve=True)
    assert services.review(_user("lanhdao.ly"), mine.pk, approve=True).state == "approved"


def test_the_yearly_review_list_is_the_years_proposals_linked_from_the_register(volume, client):
    """§4: "exported as a list for the province's yearly review" — the register picks a year, its
    export holds that year's proposals only (Vietnam's calendar year), and a bad year is a message."""
    from openpyxl import load_workbook

    from motcua.simplification import services
    from motcua.simplification.models import Proposal
    from motcua.worktime.calendar import VN_TZ

    specialist = _user("chuyenvien.yt")
    made = {}
    for reason, at in (("Gộp bước thẩm định năm trước", dt.datetime(2025, 12, 31, 23, 30, tzinfo=VN_TZ)),
                       ("Bỏ bản sao năm nay", dt.datetime(2026, 1, 1, 0, 15, tzinfo=VN_TZ))):
        p = services.propose(specialist, unit_code="YB.LY.YT", procedure_code=THREE_DAY_COMMUNE, cut="days", days="1",
                             reason=reason)
        Proposal.objects.filter(pk=p.pk).update(proposed_at=at)
        made[at.year] = f'href="/can-bo/don-gian-hoa/{p.pk}/"'
    client.force_login(_user("lanhdao.yt"))
    page = client.get("/can-bo/don-gian-hoa/", {"nam": "2025"})
    html = page.content.decode()
    assert page.status_code == 200 and made[2025] in html and made[2026] not in html
    assert 'href="/can-bo/don-gian-hoa/so-de-xuat.xlsx?nam=2025"' in html
    assert 'href="/can-bo/don-gian-hoa/so-de-xuat.csv?nam=2025"' in html
    xlsx = client.get("/can-bo/don-gian-hoa/so-de-xuat.xlsx", {"nam": "2025"})
    assert 'filename="de-xuat-don-gian-hoa-2025.xlsx"' in xlsx["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert [r[5] for r in rows[1:]] == ["Gộp bước thẩm định năm trước"]
    csv = client.get("/can-bo/don-gian-hoa/so-de-xuat.csv", {"nam": "2026"}).content.decode("utf-8-sig")
    assert "Bỏ bản sao năm nay" in csv and "năm trước" not in csv
    everything = client.get("/can-bo/don-gian-hoa/so-de-xuat.csv").content.decode("utf-8-sig")
    assert "năm trước" in everything and "năm nay" in everything
    for bad in ("abc", "1999", "<script>"):
        page = client.get("/can-bo/don-gian-hoa/", {"nam": bad})
        assert page.status_code == 200 and "Năm không hợp lệ" in page.content.decode() and "<script>" not in page.content.decode()
        r = client.get("/can-bo/don-gian-hoa/so-de-xuat.csv", {"nam": bad})
        assert r.status_code == 400 and "Năm không hợp lệ" in r.content.decode()
