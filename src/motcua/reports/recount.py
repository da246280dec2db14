"""A slow, obvious recount of docs/reports.md: classify each dossier in Python, one by one.

Written from the words of docs/reports.md, deliberately independently of the database conditions
of ``motcua.reports.services``: ``motcua report verify`` (an operator's check) and the
randomized tests compare the reports with it, so a mistake in either shows as a difference.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from motcua.worktime.calendar import VN_TZ


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(VN_TZ).date()


def classify(d, start: dt.datetime, end: dt.datetime) -> set[str]:
    """The figures one dossier adds to (empty when it is not among the T received)."""
    if d.status in ("refused", "submitted") or d.refused_at is not None:
        return set()
    closed_before_start = (d.resolved_at is not None and d.resolved_at < start) or (
        d.withdrawn_at is not None and d.withdrawn_at < start)
    tags: set[str] = set()
    if d.received_at < start and not closed_before_start:
        tags.add("carried_over")
    elif start <= d.received_at < end:
        tags |= {"new", d.channel}
    else:
        return set()
    tags.add("received")
    if d.resolved_at is not None and start <= d.resolved_at < end:
        tags.add("resolved")
        if d.resolved_at > d.due_at:
            tags.add("late")
        elif local_day(d.resolved_at) < local_day(d.due_at):
            tags.add("early")
        else:
            tags.add("on_time")
    elif d.withdrawn_at is not None and start <= d.withdrawn_at < end:
        tags.add("withdrawn")
    else:
        tags.add("in_progress")
        waiting = d.paused_at is not None and d.paused_at < end
        tags.add("overdue" if d.due_at < end and not waiting else "within_deadline")
    return tags


def pct(a: int, b: int) -> float:
    if b == 0:
        return 0.0
    return float((Decimal(a) * 100 / Decimal(b)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def reference_report(dossiers, date_from: dt.date, date_to: dt.date) -> dict:
    start = dt.datetime.combine(date_from, dt.time(0), tzinfo=VN_TZ)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(0), tzinfo=VN_TZ)
    n: dict[str, int] = {}
    for d in dossiers:
        for tag in classify(d, start, end):
            n[tag] = n.get(tag, 0) + 1
    g = lambda k: n.get(k, 0)  # noqa: E731
    return {
        "received": {"total": g("received"), "carried_over": g("carried_over"),
                     "new": {"total": g("new"), "online": g("online"), "direct": g("direct"), "postal": g("postal")}},
        "resolved": {"total": g("resolved"), "early": g("early"), "on_time": g("on_time"), "late": g("late")},
        "in_progress": {"total": g("in_progress"), "within_deadline": g("within_deadline"), "overdue": g("overdue")},
        "withdrawn": g("withdrawn"),
        "rates": {"online_pct": pct(g("online"), g("new")), "resolved_on_time_pct": pct(g("early") + g("on_time"), g("resolved"))},
    }


FLAT = ("received", "carried_over", "new", "online", "direct", "postal", "resolved", "early", "on_time", "late",
        "in_progress", "within_deadline", "overdue", "withdrawn")


def flatten(report: dict) -> dict[str, int]:
    """A docs/reports.md body as ``{figure: n}``."""
    r, d, p = report["received"], report["resolved"], report["in_progress"]
    return {"received": r["total"], "carried_over": r["carried_over"], "new": r["new"]["total"],
            "online": r["new"]["online"], "direct": r["new"]["direct"], "postal": r["new"]["postal"],
            "resolved": d["total"], "early": d["early"], "on_time": d["on_time"], "late": d["late"],
            "in_progress": p["total"], "within_deadline": p["within_deadline"], "overdue": p["overdue"],
            "withdrawn": report["withdrawn"]}


def periods_to_verify(first_day: dt.date, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Every calendar year from the first receipt to today, and the current month."""
    periods = [(dt.date(y, 1, 1), dt.date(y, 12, 31)) for y in range(first_day.year, today.year + 1)]
    periods.append((today.replace(day=1), today))
    return periods


def verify(units, today: dt.date, progress=None) -> list[str]:
    """Recount every receiving unit's dossiers one by one for each period of
    :func:`periods_to_verify` and compare with the report (read from the per-day counters) and
    with the drill-down's conditions; then recompute the per-day counters themselves from the
    dossiers and compare them row by row (``reports.daily.differences``). One line per difference."""
    from django.db.models import Min

    from motcua.dossiers.models import Dossier
    from motcua.reports.services import tthc_report

    differences: list[str] = []
    fields = ("status", "refused_at", "resolved_at", "withdrawn_at", "received_at", "channel", "due_at", "paused_at")
    for unit in units:
        first = Dossier.objects.filter(unit=unit).aggregate(first=Min("received_at"))["first"]
        if first is None:
            continue
        periods = periods_to_verify(local_day(first), today)
        bounds = [(dt.datetime.combine(a, dt.time(0), tzinfo=VN_TZ),
                   dt.datetime.combine(b + dt.timedelta(days=1), dt.time(0), tzinfo=VN_TZ)) for a, b in periods]
        counted = [{name: 0 for name in FLAT} for _ in periods]
        for row in Dossier.objects.filter(unit=unit).values(*fields).iterator(chunk_size=5000):
            d = _Row(row)
            for i, (start, end) in enumerate(bounds):
                for tag in classify(d, start, end):
                    counted[i][tag] += 1
        for (a, b), expected in zip(periods, counted):
            # The report reads the per-day counters (reports.daily); the drill-down lists use the
            # conditions over the dossiers: both must equal the recount.
            sources = (("", flatten(tthc_report(unit, a, b))), (" (danh sách/drill-down)", _from_conditions(unit, a, b)))
            for label, reported in sources:
                for name in FLAT:
                    if reported[name] != expected[name]:
                        differences.append(f"{unit.code} {a.isoformat()}..{b.isoformat()} {name}: "
                                           f"báo cáo/report {reported[name]} ≠ đếm lại/recount {expected[name]}{label}")
        if progress:
            progress(unit)
    from motcua.reports import daily

    differences.extend(daily.differences([u.pk for u in units]))
    return differences


def _from_conditions(unit, date_from: dt.date, date_to: dt.date) -> dict[str, int]:
    """The figures counted from the dossiers by the report's conditions (what the drill-down lists)."""
    from motcua.reports import services

    start, end = services.period_bounds(date_from, date_to)
    return services.add_groups(services.counts_by_unit_and_field(services.period_dossiers(unit, start, end), start, end))


class _Row:
    def __init__(self, values: dict):
        self.__dict__.update(values)
