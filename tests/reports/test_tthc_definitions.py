"""CONTRACT §5, one definition at a time, with hand-made dossiers.

Period throughout: March 2026, i.e. [2026-03-01 00:00, 2026-04-01 00:00) +07:00.
Biểu số 06/VPCP/KSTT (TT 01/2020/TT-VPCP) and its Motcua definitions: shared/domain/reports.md.
"""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.catalog.models import Unit
from motcua.reports.services import rate, tthc_report
from tests.reports.conftest import vn

FROM, TO = dt.date(2026, 3, 1), dt.date(2026, 3, 31)


def report(unit="YB.LY.YT", children=False, date_from=FROM, date_to=TO):
    return tthc_report(Unit.objects.get(code=unit), date_from, date_to, children=children)


def test_contract_keys_are_exact(make_dossier):
    """CONTRACT §5: the report's shape (extra keys are additions, the CONTRACT's are exact)."""
    r = report()
    assert r["unit"] == "YB.LY.YT" and r["from"] == "2026-03-01" and r["to"] == "2026-03-31"
    assert set(r["received"]) == {"total", "carried_over", "new"}
    assert set(r["received"]["new"]) == {"total", "online", "direct", "postal"}
    assert set(r["resolved"]) == {"total", "early", "on_time", "late"}
    assert set(r["in_progress"]) == {"total", "within_deadline", "overdue"}
    assert isinstance(r["withdrawn"], int)
    assert set(r["rates"]) == {"online_pct", "resolved_on_time_pct"}
    assert r["rates"] == {"online_pct": 0.0, "resolved_on_time_pct": 0.0}


def test_dossier_received_before_the_period_and_still_open_is_carried_over(make_dossier):
    """CONTRACT §5 `carried_over`: received before `from`, not resolved or withdrawn before `from`."""
    make_dossier(received_at=vn("2026-02-27 09:00"), due_at=vn("2026-03-05 17:00"))
    r = report()
    assert r["received"]["carried_over"] == 1
    assert r["received"]["new"]["total"] == 0
    assert r["received"]["total"] == 1


def test_dossier_resolved_or_withdrawn_before_the_period_is_not_counted(make_dossier):
    """CONTRACT §5: closed before `from` → neither carried over nor anything else."""
    make_dossier(received_at=vn("2026-02-20 09:00"), due_at=vn("2026-02-27 17:00"),
                 status="approved", resolved_at=vn("2026-02-28 23:59:59"))
    make_dossier(received_at=vn("2026-02-20 09:00"), due_at=vn("2026-02-27 17:00"),
                 status="withdrawn", withdrawn_at=vn("2026-02-25 10:00"))
    assert report()["received"]["total"] == 0


def test_dossier_resolved_inside_the_period_is_carried_over_and_resolved(make_dossier):
    """CONTRACT §5: a carried-over dossier resolved at `from` 00:00 counts as resolved in the period."""
    make_dossier(received_at=vn("2026-02-20 09:00"), due_at=vn("2026-03-02 17:00"),
                 status="result_returned", resolved_at=vn("2026-03-01 00:00"))
    r = report()
    assert r["received"]["carried_over"] == 1
    assert r["resolved"] == {"total": 1, "early": 1, "on_time": 0, "late": 0}


def test_new_dossiers_are_counted_by_channel(make_dossier):
    """CONTRACT §5 `new`: received inside the period, by channel; the period ends at `to` 24:00."""
    make_dossier(channel="online", received_at=vn("2026-03-01 00:00"), due_at=vn("2026-03-10 17:00"))
    make_dossier(channel="online", received_at=vn("2026-03-10 08:00"), due_at=vn("2026-03-12 17:00"))
    make_dossier(channel="direct", received_at=vn("2026-03-31 23:59:59"), due_at=vn("2026-04-03 17:00"))
    make_dossier(channel="postal", received_at=vn("2026-03-15 08:00"), due_at=vn("2026-03-20 17:00"))
    make_dossier(channel="direct", received_at=vn("2026-04-01 00:00"), due_at=vn("2026-04-03 17:00"))  # next period
    r = report()
    assert r["received"]["new"] == {"total": 4, "online": 2, "direct": 1, "postal": 1}
    assert r["received"]["carried_over"] == 0
    assert r["rates"]["online_pct"] == 50.0


def test_refused_and_not_yet_accepted_online_dossiers_are_never_received(make_dossier):
    """CONTRACT §2: a refused dossier is never counted as received; a `submitted` online one is not received yet."""
    make_dossier(channel="online", status="refused", received_at=vn("2026-03-02 08:00"),
                 due_at=vn("2026-03-05 17:00"), refused_at=vn("2026-03-02 09:00"))
    make_dossier(channel="online", status="submitted", received_at=vn("2026-03-03 08:00"), due_at=vn("2026-03-06 17:00"))
    assert report()["received"]["total"] == 0


def test_resolved_on_the_due_day_after_due_at_is_late(make_dossier):
    """CONTRACT §5 `late`: resolved after `due_at` (date and time: domain/reports.md, unlike Thanh Hóa)."""
    make_dossier(received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-05 17:00"),
                 status="approved", resolved_at=vn("2026-03-05 17:00:01"))
    assert report()["resolved"] == {"total": 1, "early": 0, "on_time": 0, "late": 1}


def test_resolved_on_the_due_day_by_due_at_is_on_time(make_dossier):
    """CONTRACT §5 `on_time`: not late, not on a calendar day before the due day."""
    make_dossier(received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-05 17:00"),
                 status="approved", resolved_at=vn("2026-03-05 00:00"))
    make_dossier(received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-05 17:00"),
                 status="rejected", resolved_at=vn("2026-03-05 17:00"))
    assert report()["resolved"] == {"total": 2, "early": 0, "on_time": 2, "late": 0}


def test_resolved_the_day_before_the_due_day_is_early(make_dossier):
    """CONTRACT §5 `early`: resolved on a calendar day (Asia/Ho_Chi_Minh) before the due day."""
    make_dossier(received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-05 17:00"),
                 status="approved", resolved_at=vn("2026-03-04 23:59:59"))
    # 2026-03-04 20:00 UTC is already 05/03 in Hà Nội: the same day as the due day → on time.
    make_dossier(received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-05 17:00"), status="approved",
                 resolved_at=dt.datetime(2026, 3, 4, 20, 0, tzinfo=dt.timezone.utc))
    assert report()["resolved"] == {"total": 2, "early": 1, "on_time": 1, "late": 0}
    assert report()["rates"]["resolved_on_time_pct"] == 100.0


def test_resolved_after_the_period_is_still_in_progress(make_dossier):
    """CONTRACT §5: resolved counts only inside the period; the rest of T is in progress."""
    make_dossier(received_at=vn("2026-03-20 08:00"), due_at=vn("2026-04-03 17:00"),
                 status="approved", resolved_at=vn("2026-04-01 00:00"))
    r = report()
    assert r["resolved"]["total"] == 0
    assert r["in_progress"] == {"total": 1, "within_deadline": 1, "overdue": 0}


def test_withdrawn_inside_the_period_is_counted_apart(make_dossier):
    """CONTRACT §5 `withdrawn`: of those T, withdrawn inside the period; not in progress."""
    make_dossier(received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-05 17:00"),
                 status="withdrawn", withdrawn_at=vn("2026-03-04 10:00"))
    make_dossier(received_at=vn("2026-03-25 08:00"), due_at=vn("2026-03-27 17:00"),
                 status="withdrawn", withdrawn_at=vn("2026-04-02 10:00"))  # withdrawn later: in progress now
    r = report()
    assert r["withdrawn"] == 1
    assert r["in_progress"] == {"total": 1, "within_deadline": 0, "overdue": 1}


def test_in_progress_is_overdue_when_due_before_the_period_end(make_dossier):
    """CONTRACT §5: `overdue` when `due_at` is before the period's end, else `within_deadline`."""
    make_dossier(received_at=vn("2026-03-20 08:00"), due_at=vn("2026-03-31 17:00"), status="processing")
    make_dossier(received_at=vn("2026-03-25 08:00"), due_at=vn("2026-04-01 00:00"), status="processing")
    make_dossier(received_at=vn("2026-03-26 08:00"), due_at=vn("2026-04-02 17:00"), status="awaiting_approval")
    assert report()["in_progress"] == {"total": 3, "within_deadline": 2, "overdue": 1}


def test_dossier_awaiting_supplement_is_within_deadline(make_dossier):
    """CONTRACT §5: a dossier waiting for supplementation is within its deadline (the clock stands, §3)."""
    make_dossier(received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-05 17:00"), status="awaiting_supplement",
                 paused_at=vn("2026-03-03 10:00"), supplement_requests=1)
    # Paused only after the period: at the period's end it was overdue.
    make_dossier(received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-05 17:00"), status="awaiting_supplement",
                 paused_at=vn("2026-04-02 10:00"), supplement_requests=1)
    assert report()["in_progress"] == {"total": 2, "within_deadline": 1, "overdue": 1}


def test_a_dossier_counts_for_its_receiving_unit_only(make_dossier):
    """The report counts the dossiers a unit received (Biểu 06: the office that took them in)."""
    make_dossier(unit="YB.LY.MX", received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-05 17:00"))
    assert report("YB.LY.YT")["received"]["total"] == 0
    assert report("YB.LY.MX")["received"]["total"] == 1


def _mixed_month(make_dossier, unit: str):
    """One dossier of every kind for ``unit``."""
    make_dossier(unit=unit, received_at=vn("2026-02-25 08:00"), due_at=vn("2026-03-03 17:00"))  # carried, overdue
    make_dossier(unit=unit, received_at=vn("2026-02-26 08:00"), due_at=vn("2026-03-03 17:00"),
                 status="approved", resolved_at=vn("2026-03-02 09:00"))  # carried, early
    make_dossier(unit=unit, channel="online", received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-04 17:00"),
                 status="approved", resolved_at=vn("2026-03-04 16:00"))  # on time
    make_dossier(unit=unit, channel="postal", received_at=vn("2026-03-05 08:00"), due_at=vn("2026-03-06 17:00"),
                 status="rejected", resolved_at=vn("2026-03-09 08:00"))  # late
    make_dossier(unit=unit, channel="direct", received_at=vn("2026-03-10 08:00"), due_at=vn("2026-03-12 17:00"),
                 status="withdrawn", withdrawn_at=vn("2026-03-11 08:00"))  # withdrawn
    make_dossier(unit=unit, channel="online", received_at=vn("2026-03-30 08:00"), due_at=vn("2026-04-06 17:00"),
                 status="processing")  # within


def test_arithmetic_identities_hold(make_dossier):
    """CONTRACT §5: T = C + N, N = O + D + P, R = E + OT + L, I = W + V, I = T − R − X."""
    _mixed_month(make_dossier, "YB.LY.YT")
    r = report()
    t, c, n = r["received"]["total"], r["received"]["carried_over"], r["received"]["new"]
    assert (t, c, n["total"]) == (6, 2, 4)
    assert t == c + n["total"]
    assert n["total"] == n["online"] + n["direct"] + n["postal"]
    assert r["resolved"] == {"total": 3, "early": 1, "on_time": 1, "late": 1}
    assert r["resolved"]["total"] == r["resolved"]["early"] + r["resolved"]["on_time"] + r["resolved"]["late"]
    assert r["in_progress"] == {"total": 2, "within_deadline": 1, "overdue": 1}
    assert r["in_progress"]["total"] == t - r["resolved"]["total"] - r["withdrawn"]
    assert r["withdrawn"] == 1
    assert r["rates"] == {"online_pct": 50.0, "resolved_on_time_pct": 66.67}


def test_children_adds_up_a_district_and_its_communes(make_dossier):
    """CONTRACT §5 `children`: U and every unit below it (YB.LY with YB.LY.YT and YB.LY.MX)."""
    _mixed_month(make_dossier, "YB.LY")
    _mixed_month(make_dossier, "YB.LY.YT")
    _mixed_month(make_dossier, "YB.LY.MX")
    _mixed_month(make_dossier, "LC.NN.NM")  # another province: never added
    own = report("YB.LY")
    whole = report("YB.LY", children=True)
    assert own["received"]["total"] == 6
    assert whole["received"]["total"] == 18
    assert whole["resolved"]["late"] == 3 and whole["in_progress"]["overdue"] == 3
    assert [row["unit"] for row in whole["units"]] == ["YB.LY", "YB.LY.MX", "YB.LY.YT"]
    assert report("YB", children=True)["received"]["total"] == 18


def test_children_includes_a_commune_directly_under_the_province(make_dossier):
    """CONTRACT §6: a commune directly under a province (LC.TP, since 1/7/2025) works like one under a district."""
    _mixed_month(make_dossier, "LC.TP")
    _mixed_month(make_dossier, "LC.NN.NM")
    whole = report("LC", children=True)
    assert whole["received"]["total"] == 12
    assert {row["unit"] for row in whole["units"]} == {"LC.TP", "LC.NN.NM"}
    assert report("LC")["received"]["total"] == 0
    assert report("LC.TP", children=True)["received"]["total"] == 6


def test_rows_by_level_and_field_add_up_to_the_total(make_dossier):
    """Biểu 06 column 2: rows by level (huyện / xã) and field; each column sums to the total."""
    _mixed_month(make_dossier, "YB.LY")
    _mixed_month(make_dossier, "YB.LY.YT")
    r = report("YB.LY", children=True)
    assert [row["level"] for row in r["rows"]] == sorted((row["level"] for row in r["rows"]),
                                                         key=["province", "district", "commune"].index)
    assert sum(row["received"]["total"] for row in r["rows"]) == r["received"]["total"]
    assert sum(row["resolved"]["late"] for row in r["rows"]) == r["resolved"]["late"]
    assert all(row["field_name"] for row in r["rows"])


def test_rates_round_to_two_decimals():
    """CONTRACT §5 rates; domain/reports.md worked example (Nậm Nhùn 2023): 3,533 / 3,783 = 93.39."""
    assert rate(3533, 3783) == 93.39
    assert rate(3811, 3837) == 99.32
    assert rate(370, 371) == 99.73  # published as 99.96 — a typo in the source, not a rule
    assert rate(2, 3) == 66.67
    assert rate(1, 8) == 12.5
    assert rate(5, 0) == 0.0


@pytest.mark.django_db
def test_online_rate_of_the_nam_nhun_example(make_dossier):
    """domain/reports.md (seed 003): 3,533 online of 3,783 new → online_pct 93.39."""
    from motcua.dossiers.models import Dossier
    from tests.reports.conftest import build_dossier

    lookups: dict = {}
    rows = [build_dossier(unit="LC.NN.NM", lookups=lookups, channel="online" if i < 3533 else ("direct" if i % 2 else "postal"),
                          received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-04 17:00"))
            for i in range(3783)]
    Dossier.objects.bulk_create(rows, batch_size=1000)
    r = report("LC.NN.NM")
    assert r["received"]["new"]["total"] == 3783
    assert r["received"]["new"]["online"] == 3533
    assert r["rates"]["online_pct"] == 93.39


def test_scorecard_counts_more_than_one_supplementation_request_as_overdue(make_dossier):
    """QĐ 766/QĐ-TTg indicator 2.1 (domain/reports.md): more than one supplementation request = overdue."""
    make_dossier(received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-10 17:00"),
                 status="approved", resolved_at=vn("2026-03-05 08:00"), supplement_requests=2)
    make_dossier(received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-10 17:00"),
                 status="approved", resolved_at=vn("2026-03-05 08:00"), supplement_requests=1)
    card = report()["scorecard"]["2.1"]
    assert (card["in_time"], card["total"], card["pct"]) == (1, 2, 50.0)
