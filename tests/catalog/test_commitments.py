"""Committed shorter times ("cắt giảm thời gian"): a province (or any unit) commits to less
than the law's time; the commitment drives due dates in that unit and every unit below it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from motcua.catalog.models import Procedure, ProcedureCommitment, Unit
from motcua.catalog.services import processing_time_for

pytestmark = pytest.mark.django_db


def time_in(unit_code: str, procedure_code: str, day=None):
    return processing_time_for(Procedure.objects.get(code=procedure_code), Unit.objects.get(code=unit_code), day)


def test_a_province_commitment_applies_to_its_districts_and_communes(demo):
    """Seeded demo commitment: Yên Bái, building permit for a house, 15 → 10 working days."""
    for unit in ("YB", "YB.LY", "YB.LY.YT"):
        assert time_in(unit, "MC-XD-001") == (Decimal(10), "working_days", "commitment")
    assert time_in("LC.NN", "MC-XD-001") == (Decimal(15), "working_days", "law")


def test_a_commune_directly_under_its_province_inherits_the_commitment(demo):
    """Seeded demo commitment: Lai Châu, household business registration, 3 → 2 working days;
    LC.TP sits directly under LC (the post-2025 two-level tree)."""
    assert time_in("LC.TP", "1.001612") == (Decimal(2), "working_days", "commitment")
    assert time_in("LC.NN", "1.001612") == (Decimal(2), "working_days", "commitment")
    assert time_in("YB.LY", "1.001612") == (Decimal(3), "working_days", "law")


def test_the_nearest_unit_commitment_wins(demo):
    ProcedureCommitment.objects.create(unit=Unit.objects.get(code="YB.LY"), procedure=Procedure.objects.get(code="MC-XD-001"),
                                       time_value=8, decision="demo")
    assert time_in("YB.LY.MX", "MC-XD-001") == (Decimal(8), "working_days", "commitment")
    assert time_in("YB", "MC-XD-001") == (Decimal(10), "working_days", "commitment")


def test_a_commitment_longer_than_the_law_is_ignored(demo):
    ProcedureCommitment.objects.create(unit=Unit.objects.get(code="YB.LY"), procedure=Procedure.objects.get(code="MC-XD-001"),
                                       time_value=20, decision="nhập nhầm")
    assert time_in("YB.LY.YT", "MC-XD-001") == (Decimal(10), "working_days", "commitment")   # YB's still applies
    ProcedureCommitment.objects.create(unit=Unit.objects.get(code="LC"), procedure=Procedure.objects.get(code="1.004873"),
                                       time_value=3, decision="bằng luật")
    assert time_in("LC.TP", "1.004873") == (Decimal(3), "working_days", "law")


def test_an_expired_commitment_no_longer_applies(demo):
    assert time_in("YB.LY", "MC-XD-001", dt.date(2023, 12, 31)) == (Decimal(15), "working_days", "law")
    ProcedureCommitment.objects.filter(procedure__code="MC-XD-001").update(valid_to=dt.date(2025, 12, 31))
    assert time_in("YB.LY", "MC-XD-001", dt.date(2025, 6, 1))[2] == "commitment"
    assert time_in("YB.LY", "MC-XD-001", dt.date(2026, 1, 1))[2] == "law"
