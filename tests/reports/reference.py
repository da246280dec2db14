"""A slow, obvious reference for CONTRACT §5: classify each dossier in Python, one by one.

Written from the CONTRACT's words, independently of ``motcua.reports.services``, so the
randomized test can check that the database aggregates agree with it.
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
