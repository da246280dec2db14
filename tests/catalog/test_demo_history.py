"""``motcua seed-demo --history``: a year of invented dossiers for the report pages, shaped
like the articles' figures, written once through the importer."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from motcua.catalog.models import Unit
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.reports import services as reports

TODAY = dt.date(2026, 11, 20)


@pytest.mark.django_db
def test_history_is_written_once_and_looks_like_the_articles(demo):
    from motcua.demo.history import UNITS, seed_history

    added = seed_history(TODAY)
    assert added == sum(n for _, n in UNITS) == Dossier.objects.count()
    assert seed_history(TODAY) == 0 and Dossier.objects.count() == added      # once
    assert DossierEvent.objects.filter(dossier__code__startswith="DEMO-").count() >= added  # the trail's own events
    assert not Dossier.objects.exclude(applicant_id_number__startswith="000").exists()  # no real province code

    report = reports.tthc_report(Unit.objects.get(code="YB.LY"), "2025-11-20", "2026-11-19", children=True)
    new, online = report["received"]["new"]["total"], report["received"]["new"]["online"]
    resolved = report["resolved"]
    assert new == 420 + 300 + 120
    assert 0.85 <= online / new <= 0.95
    assert (resolved["early"] + resolved["on_time"]) / resolved["total"] >= 0.9 and resolved["late"] > 0
    assert report["in_progress"]["total"] > 0        # the last weeks are still open


@pytest.mark.django_db
def test_seed_demo_history_option_says_what_it_did(demo):
    out = io.StringIO()
    call_command("seed_demo", "--history", stdout=out)
    assert "Lịch sử mẫu: 1200 hồ sơ mới" in out.getvalue()
    out = io.StringIO()
    call_command("seed_demo", "--history", stdout=out)
    assert "Lịch sử mẫu đã có, không thêm gì." in out.getvalue()
    # Issue 19: every electronic result of the demo is signed. The history's results were returned
    # on paper (no result file), so none of it is an unsigned electronic result.
    from motcua.documents.models import DossierFile

    assert Dossier.objects.filter(status="result_returned").exists()
    assert not DossierFile.objects.filter(is_result=True).exists()
