"""``make run DEMO_HISTORY=1`` shows a populated officers' report: the demo's handled dossiers
(``demo.handled``) give every demo officer rows, some flags, survey scores (``demo.surveys``
surveys about half of the returned ones), and agree with the recount."""

from __future__ import annotations

import datetime as dt


def test_the_demo_populates_the_officers_report(demo):
    from motcua.accounts.models import User
    from motcua.demo import handled
    from motcua.inspection import recount
    from motcua.inspection.officers import officers_report
    from motcua.reports.services import report_query

    today = dt.date(2026, 6, 30)
    assert handled.seed_handled(today) == 3 * handled.PER_UNIT
    assert handled.seed_handled(today) == 0  # written once
    from motcua.demo.surveys import seed_surveys

    surveyed = seed_surveys()
    assert surveyed > 10 and seed_surveys() == 0
    query = report_query(User.objects.get(username="admin"), "YB", (today - dt.timedelta(days=90)).isoformat(),
                         today.isoformat(), "1")
    report = officers_report(query)
    officers = {i["officer"] for i in report["items"]}
    assert {"motcua.yt", "chuyenvien.yt", "lanhdao.yt", "motcua.mx", "chuyenvien.mx", "lanhdao.mx"} <= officers
    assert sum(i["late"] for i in report["items"]) > 0
    assert sum(i["supplement_requests"] for i in report["items"]) > 0
    by_officer = {i["officer"]: i for i in report["items"]}
    for name in ("motcua.yt", "chuyenvien.yt", "lanhdao.yt"):
        assert by_officer[name]["surveyed"] > 0
        assert all(c["denominator"] == by_officer[name]["surveyed"] for c in by_officer[name]["surveys"]["criteria"])
    assert recount.differences(query, report) == []
