"""The indicators the source articles quote, per unit and period, each with its numerator
and denominator (issue "Statistics for leaders" §3; shared/domain/reports.md).

Every ratio goes through :func:`motcua.reports.services.rate` (half-up to 2 decimals, 0 for
a zero divisor): seed 002 prints 370/371 as 99.96 %, which is 99.73 %.

Which dossiers and procedures count is decided once, elsewhere: dossiers are the report's
own (:func:`services.period_dossiers`, the receiving unit with or without the units below);
procedures are the catalog's own count (:func:`catalog.services.procedure_stats`: a
procedure performed at two levels counts once at each), so these figures agree with the
report page and the catalog page.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from motcua.catalog import services as catalog
from motcua.catalog.models import OnlineLevel, Procedure, ProcedureLevel
from motcua.dossier_flags import paid_online_exists
from motcua.dossiers.models import Channel
from motcua.dossiers.moments import processing_duration
from motcua.reports import services
from motcua.reports.services import ReportQuery, rate

# Orders recorded at the counter are not online payments.


@dataclass(frozen=True)
class Ratio:
    key: str
    name: str
    numerator: int
    denominator: int

    @property
    def pct(self) -> float:
        return rate(self.numerator, self.denominator)

    def as_dict(self) -> dict:
        return {"key": self.key, "name": self.name, "numerator": self.numerator,
                "denominator": self.denominator, "pct": self.pct}


def performed_pairs(query: ReportQuery) -> QuerySet[ProcedureLevel]:
    """(procedure, level) pairs the report's unit(s) perform, as the catalog counts them."""
    return catalog.performed_pairs(query.unit, children=query.children, day=query.date_to)


def procedures_online_share(query: ReportQuery) -> Ratio:
    stats = catalog.procedure_stats(query.unit, children=query.children, day=query.date_to)
    online = stats["by_online_level"][OnlineLevel.PARTIAL] + stats["by_online_level"][OnlineLevel.FULL]
    return Ratio("procedures_online", "Tỷ lệ thủ tục cung cấp dịch vụ công trực tuyến (một phần hoặc toàn trình)",
                 online, stats["total"])


def procedures_with_online_dossiers(query: ReportQuery) -> Ratio:
    """Online-capable (procedure, level) pairs that received at least one online dossier in
    the period at a unit of that level. Counted as :func:`procedures_online_share` counts,
    so that 3.2's denominator is 3.1's numerator."""
    start, end = query.bounds
    capable = set(performed_pairs(query).exclude(procedure__online_level=OnlineLevel.NONE)
                  .values_list("procedure_id", "level"))
    received = query.counted().filter(services.new(start, end, Channel.ONLINE))
    used = set(received.values_list("procedure_id", "unit__level").distinct()) & capable
    return Ratio("procedures_used_online", "Tỷ lệ dịch vụ công trực tuyến có phát sinh hồ sơ", len(used), len(capable))


def dossiers_online_share(figures: dict) -> Ratio:
    return Ratio("dossiers_online", "Tỷ lệ hồ sơ tiếp nhận trực tuyến", figures["online"], figures["new"])


def dossiers_in_time_share(figures: dict) -> Ratio:
    return Ratio("resolved_in_time", "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn",
                 figures["early"] + figures["on_time"], figures["resolved"])


def dossiers_paid_online(query: ReportQuery) -> Ratio:
    """Of the dossiers received in the period whose procedure has a fee: those paid online."""
    from motcua.catalog.models import FeeLine

    start, end = query.bounds
    fee_lines = FeeLine.objects.filter(procedure=OuterRef("procedure_id"), amount__gt=0)
    with_fee = (query.counted().filter(services.new(start, end))
                .filter(Q(procedure__fee_amount__gt=0) | Exists(fee_lines)))
    # "Paid online" is dossier_flags' rule, the one the national record's DuocThanhToanTrucTuyen sends.
    totals = with_fee.aggregate(total=Count("pk"), paid=Count("pk", filter=Q(paid_online_exists())))
    return Ratio("dossiers_paid_online", "Tỷ lệ hồ sơ thanh toán trực tuyến", totals["paid"], totals["total"])


def processing_days(query: ReportQuery, procedure_id: int | None = None) -> list[float]:
    """Calendar days from receipt to resolution of the dossiers resolved in the period, each
    never negative (``dossiers.moments.processing_duration``)."""
    start, end = query.bounds
    qs = query.counted().filter(services.received(start, end) & services.resolved(start, end))
    if procedure_id is not None:
        qs = qs.filter(procedure_id=procedure_id)
    return [processing_duration(received, resolved).total_seconds() / 86400
            for received, resolved in qs.values_list("received_at", "resolved_at")]


def processing_time(values: list[float]) -> dict:
    """Average and median, in days with one decimal; ``None`` when nothing was resolved."""
    if not values:
        return {"count": 0, "average_days": None, "median_days": None}
    return {"count": len(values), "average_days": round(statistics.fmean(values), 1),
            "median_days": round(statistics.median(values), 1)}


def processing_time_by_procedure(query: ReportQuery, limit: int = 20) -> list[dict]:
    """Average and median processing time of the procedures with the most resolved dossiers."""
    start, end = query.bounds
    top = (query.counted()
           .filter(services.received(start, end) & services.resolved(start, end))
           .values("procedure_id").annotate(n=Count("pk")).order_by("-n", "procedure_id")[:limit])
    names = {p.pk: p for p in Procedure.objects.filter(pk__in=[row["procedure_id"] for row in top])}
    rows = []
    for row in top:
        procedure = names[row["procedure_id"]]
        rows.append({"procedure": procedure.code, "procedure_name": procedure.name,
                     **processing_time(processing_days(query, procedure.pk))})
    return rows


def indicators(query: ReportQuery, report: dict | None = None) -> dict:
    """Every indicator for the query's unit and period, with numerators and denominators."""
    report = report or query.report()
    figures = {
        "online": report["received"]["new"]["online"], "new": report["received"]["new"]["total"],
        "early": report["resolved"]["early"], "on_time": report["resolved"]["on_time"],
        "resolved": report["resolved"]["total"],
    }
    ratios = [
        dossiers_online_share(figures),
        procedures_online_share(query),
        procedures_with_online_dossiers(query),
        dossiers_paid_online(query),
        dossiers_in_time_share(figures),
    ]
    return {
        "unit": query.unit.code, "from": query.date_from.isoformat(), "to": query.date_to.isoformat(),
        "children": query.children,
        "ratios": [r.as_dict() for r in ratios],
        "processing_time": processing_time(processing_days(query)),
    }
