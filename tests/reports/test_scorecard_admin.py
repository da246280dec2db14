"""An administrator enters a scorecard figure the system cannot compute, in the admin."""

from __future__ import annotations


def test_admin_enters_an_indicator_and_the_scorecard_shows_it(client, api_as, demo):
    from motcua.accounts.models import User
    from motcua.catalog.models import Unit
    from motcua.reports.models import ScorecardEntry

    admin = User.objects.get(username="admin")
    client.force_login(admin)
    unit = Unit.objects.get(code="YB.LY.YT")
    page = client.get("/admin/reports/scorecardentry/add/")
    assert page.status_code == 200 and "5.2. Phản ánh, kiến nghị được xử lý đúng hạn" in page.content.decode()
    assert 'value="2.1"' not in page.content.decode()  # computed by the system: not enterable
    r = client.post("/admin/reports/scorecardentry/add/", {
        "unit": unit.pk, "indicator": "5.2", "period_from": "2026-03-01", "period_to": "2026-03-31",
        "numerator": "9", "denominator": "10", "source": "Báo cáo PAKN số 12/BC-UBND",
    })
    assert r.status_code == 302, r.content.decode()[:2000]
    entry = ScorecardEntry.objects.get()
    assert entry.entered_by == admin
    body = api_as("lanhdao.yt").get("/reports/scorecard", {"unit": "YB.LY.YT", "from": "2026-03-01", "to": "2026-03-31"}).json()
    item = next(i for g in body["groups"] for i in g["indicators"] if i["key"] == "5.2")
    assert (item["source"], item["ratio"], item["entered_source"]) == ("entered", 90.0, "Báo cáo PAKN số 12/BC-UBND")
    bad = client.post("/admin/reports/scorecardentry/add/", {
        "unit": unit.pk, "indicator": "5.3", "period_from": "2026-03-31", "period_to": "2026-03-01",
        "numerator": "11", "denominator": "10", "source": "x",
    })
    assert bad.status_code == 200 and ScorecardEntry.objects.count() == 1
