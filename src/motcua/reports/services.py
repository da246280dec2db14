"""The TTHC statistics report (docs/reports.md, Biểu số 06/VPCP/KSTT of TT 01/2020/TT-VPCP).

The arithmetic follows docs/reports.md literally, one small function per definition. Each
definition is a ``Q`` condition over a dossier's own timestamps; the figures are
conditional ``Count(..., filter=Q(...))`` aggregates grouped by (receiving unit, field),
so ONE query answers the whole report however many dossiers there are; the totals and
the breakdowns are exact sums of those groups. The report itself reads the same groups from
per-day counters kept by the database (``reports.daily``, :func:`report_groups`), so its time
does not grow with history; ``motcua report verify`` compares them with a one-by-one recount.

Which dossiers count
    A dossier counts for the unit that **received** it (``Dossier.unit``), not the unit
    it was transferred to: Biểu 06 is filled in by the office that took the dossier in
    ("cơ quan, đơn vị trực tiếp giải quyết"), and counting it once, where it entered,
    keeps the province's total equal to the sum of its units. With ``children`` the
    dossiers received by U and by every unit below it (at any depth: a commune directly
    under its province counts like one under a district) are added up.

    A ``refused`` dossier (``refused_at`` set, or status ``refused``) is never received
    (docs/api.md). An online dossier still ``submitted`` — not yet accepted by a counter
    officer — is not received either; once accepted, it counts from its receipt time,
    which is its submission's effective receipt time (docs/api.md), so accepting it
    later can add it to an earlier period. A report states the dossiers as they are now.

Times
    The period is [``date_from`` 00:00, ``date_to`` + 1 day 00:00) in Asia/Ho_Chi_Minh.
    "Resolved" is ``resolved_at`` (the approval or rejection time); a dossier whose
    result was returned keeps its ``resolved_at``. "Withdrawn" is ``withdrawn_at``. A
    dossier waiting for supplementation at the period's end (``paused_at`` before the
    end, still paused) is within its deadline. Early / on time / late and within the
    deadline / overdue are the dossier's class as of the period's end, built from the one
    definition in ``motcua.dossiers.timeliness`` (``RECEIVED``, ``resolved_class_q``,
    ``overdue_at``): the same conditions the per-day counters' triggers are compiled from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from motcua import dates
from motcua.catalog import reorganise
from motcua.catalog import services as catalog
from motcua.catalog.models import Field, Level, Procedure, Unit
from motcua.conf import FALSE_WORDS, TRUE_WORDS
from motcua.dossiers import scope
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.timeliness import RECEIVED, Timeliness, overdue_at, resolved_class_q, timeliness_q
from motcua.errors import Forbidden, InvalidInput
from motcua.worktime.calendar import VN_TZ

# The figure names, in the order of Biểu 06's columns 3–13 (withdrawn last).
FIGURES = (
    "received", "carried_over", "new", "online", "direct", "postal",
    "resolved", "early", "on_time", "late",
    "in_progress", "within_deadline", "overdue", "withdrawn",
)

LEVEL_ORDER = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}
# Biểu 06 groups its rows by level: "Sở, ban, ngành" (province), "Huyện", "Xã".
LEVEL_HEADINGS = {
    Level.PROVINCE: "Cấp tỉnh (sở, ban, ngành)",
    Level.DISTRICT: "Cấp huyện",
    Level.COMMUNE: "Cấp xã",
}


# ------------------------------------------------------------------ the period

def period_bounds(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """``[date_from 00:00, date_to + 1 day 00:00)`` in Asia/Ho_Chi_Minh."""
    start = dt.datetime.combine(date_from, dt.time(0), tzinfo=VN_TZ)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(0), tzinfo=VN_TZ)
    return start, end


def parse_period(date_from: str | dt.date | None, date_to: str | dt.date | None) -> tuple[dt.date, dt.date]:
    """Both dates as ``YYYY-MM-DD``, ``from`` not after ``to``; else :class:`InvalidInput`."""
    problems: dict[str, list[str]] = {}
    days: dict[str, dt.date] = {}
    for name, value in (("from", date_from), ("to", date_to)):
        if isinstance(value, dt.date):
            value = value.isoformat()
        text = str(value or "").strip()
        if not text:
            problems[name] = ["Bắt buộc (dạng YYYY-MM-DD)."]
            continue
        try:
            days[name] = dates.parse_day(text)
        except ValueError as problem:
            problems[name] = [str(problem)]
    if not problems and days["from"] > days["to"]:
        problems["from"] = ["Ngày bắt đầu phải không muộn hơn ngày kết thúc."]
    if problems:
        raise InvalidInput("Kỳ báo cáo không hợp lệ.", code="invalid_period", fields=problems)
    return days["from"], days["to"]


# ------------------------------------------------------------------ which dossiers count

def units_counted(unit: Unit, children: bool = False, *, period: tuple[dt.date, dt.date] | None = None,
                  predecessors: bool = False) -> list[int]:
    """The receiving units whose dossiers count: U, or U and every unit below it.

    "Below" is the tree as it was during ``period`` (``catalog.reorganise.ids_below_during``):
    a commune that moved from its district to the province in 2025 still counts in the
    district's 2024 report. With ``predecessors`` the units U succeeded after a merge count
    too, so a merged commune's report can hold its predecessors' history.
    """
    roots = {unit.pk}
    if predecessors:
        roots |= reorganise.predecessor_ids(roots)
    if not children:
        return sorted(roots)
    if period is None:
        return list(Unit.objects.subtrees(Unit.objects.filter(pk__in=roots)).values_list("pk", flat=True))
    return sorted(reorganise.ids_below_during(roots, period[0], period[1]))


def counted_dossiers(unit: Unit, children: bool = False, *, period: tuple[dt.date, dt.date] | None = None,
                     predecessors: bool = False) -> QuerySet[Dossier]:
    """Dossiers received by the unit(s): never the refused, never the not-yet-accepted."""
    return (
        Dossier.objects.filter(unit_id__in=units_counted(unit, children, period=period, predecessors=predecessors))
        .filter(RECEIVED)
    )


# ------------------------------------------------------------------ one condition per definition

def received_before(moment: dt.datetime) -> Q:
    return Q(received_at__lt=moment)


def resolved_before(moment: dt.datetime) -> Q:
    return Q(resolved_at__isnull=False, resolved_at__lt=moment)


def withdrawn_before(moment: dt.datetime) -> Q:
    return Q(withdrawn_at__isnull=False, withdrawn_at__lt=moment)


def carried_over(start: dt.datetime) -> Q:
    """Received before ``from``, not resolved or withdrawn before ``from``."""
    return received_before(start) & ~resolved_before(start) & ~withdrawn_before(start)


def new(start: dt.datetime, end: dt.datetime, channel: str | None = None) -> Q:
    """Received inside the period (through ``channel``, when given)."""
    cond = Q(received_at__gte=start, received_at__lt=end)
    return cond & Q(channel=channel) if channel else cond


def received(start: dt.datetime, end: dt.datetime) -> Q:
    """T = C + N: carried over, or new."""
    return carried_over(start) | new(start, end)


def resolved(start: dt.datetime, end: dt.datetime) -> Q:
    """Of those T, resolved inside the period (the filter on T is applied once, outside)."""
    return Q(resolved_at__isnull=False, resolved_at__gte=start, resolved_at__lt=end)


def late(start: dt.datetime, end: dt.datetime) -> Q:
    """Resolved after ``due_at`` (the class as of the period's end: ``dossiers.timeliness``)."""
    return resolved(start, end) & resolved_class_q(Timeliness.LATE)


def early(start: dt.datetime, end: dt.datetime) -> Q:
    """Not late, and resolved on a calendar day (Asia/Ho_Chi_Minh) before the due day."""
    return resolved(start, end) & resolved_class_q(Timeliness.EARLY)


def on_time(start: dt.datetime, end: dt.datetime) -> Q:
    """Resolved, neither late nor early: by ``due_at``, on the due day itself."""
    return resolved(start, end) & resolved_class_q(Timeliness.ON_TIME)


def withdrawn(start: dt.datetime, end: dt.datetime) -> Q:
    """Of those T, withdrawn inside the period (and not resolved in it: each dossier once)."""
    return Q(withdrawn_at__isnull=False, withdrawn_at__gte=start, withdrawn_at__lt=end) & ~resolved(start, end)


def in_progress(start: dt.datetime, end: dt.datetime) -> Q:
    """I = T − R − X: of those T, neither resolved nor withdrawn inside the period."""
    return ~resolved(start, end) & ~withdrawn(start, end)


def overdue(start: dt.datetime, end: dt.datetime) -> Q:
    """In progress with ``due_at`` before the period's end, and not waiting for supplementation
    at that moment (the class as of the period's end: ``dossiers.timeliness``)."""
    return in_progress(start, end) & overdue_at(end)


def within_deadline(start: dt.datetime, end: dt.datetime) -> Q:
    """In progress and not overdue (a dossier waiting for supplementation is within)."""
    return in_progress(start, end) & ~overdue_at(end)


def figure_conditions(start: dt.datetime, end: dt.datetime) -> dict[str, Q]:
    """Every figure's condition, applied to dossiers already restricted to T."""
    return {
        "received": Q(pk__isnull=False),
        "carried_over": carried_over(start),
        "new": new(start, end),
        "online": new(start, end, Channel.ONLINE),
        "direct": new(start, end, Channel.DIRECT),
        "postal": new(start, end, Channel.POSTAL),
        "resolved": resolved(start, end),
        "early": early(start, end),
        "on_time": on_time(start, end),
        "late": late(start, end),
        "in_progress": in_progress(start, end),
        "within_deadline": within_deadline(start, end),
        "overdue": overdue(start, end),
        "withdrawn": withdrawn(start, end),
    }


def period_dossiers(unit: Unit, start: dt.datetime, end: dt.datetime, children: bool = False, *,
                    predecessors: bool = False) -> QuerySet[Dossier]:
    """The dossiers T of the report (``start``/``end``: the period's bounds, :func:`period_bounds`)."""
    period = (timezone.localtime(start).date(), timezone.localtime(end - dt.timedelta(microseconds=1)).date())
    return counted_dossiers(unit, children, period=period, predecessors=predecessors).filter(received(start, end))


# ------------------------------------------------------------------ rates and shape

def rate(numerator: int, divisor: int) -> float:
    """``numerator / divisor × 100`` rounded half-up to 2 decimals; 0 when the divisor is 0."""
    if not divisor:
        return 0.0
    value = Decimal(numerator) * 100 / Decimal(divisor)
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def shape(figures: dict[str, int]) -> dict:
    """docs/reports.md's nested figures (without unit and period) from the flat counts."""
    f = {name: int(figures.get(name) or 0) for name in FIGURES}
    return {
        "received": {
            "total": f["received"],
            "carried_over": f["carried_over"],
            "new": {"total": f["new"], "online": f["online"], "direct": f["direct"], "postal": f["postal"]},
        },
        "resolved": {"total": f["resolved"], "early": f["early"], "on_time": f["on_time"], "late": f["late"]},
        "in_progress": {"total": f["in_progress"], "within_deadline": f["within_deadline"], "overdue": f["overdue"]},
        "withdrawn": f["withdrawn"],
        "rates": {
            "online_pct": rate(f["online"], f["new"]),
            "resolved_on_time_pct": rate(f["early"] + f["on_time"], f["resolved"]),
        },
    }


# ------------------------------------------------------------------ scorecard (QĐ 766/QĐ-TTg)

def scorecard_conditions(start: dt.datetime, end: dt.datetime) -> dict[str, Q]:
    """Indicator 2.1 "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn" (QĐ 766/QĐ-TTg; formula in
    "Mô tả công thức tính chỉ số 766", shared/domain/reports.md): dossiers finished in
    time or still within their deadline, over the dossiers finished or in progress in the
    period (withdrawn ones are neither); more than one supplementation request = overdue.
    """
    single = Q(supplement_requests__lte=1)
    handled = resolved(start, end) | in_progress(start, end)
    return {
        "sc_in_time": (early(start, end) | on_time(start, end) | within_deadline(start, end)) & single,
        "sc_handled": handled,
        "sc_multi": handled & ~single,
    }


def scorecard(figures: dict[str, int]) -> dict:
    return {
        "2.1": {
            "name": "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn",
            "in_time": figures["sc_in_time"],
            "total": figures["sc_handled"],
            "more_than_one_supplement_request": figures["sc_multi"],
            "pct": rate(figures["sc_in_time"], figures["sc_handled"]),
        },
    }


# ------------------------------------------------------------------ one query, then sums

COUNTED = FIGURES + ("sc_in_time", "sc_handled", "sc_multi")


def counts_by_unit_and_field(qs: QuerySet[Dossier], start: dt.datetime, end: dt.datetime) -> list[dict]:
    """Every figure for each (receiving unit, procedure): ONE grouped query over the period's dossiers.

    The groups partition the dossiers, so the totals, the rows by level and field, by
    procedure and by unit are exact sums of them.
    """
    conditions = {**figure_conditions(start, end), **scorecard_conditions(start, end)}
    return list(
        qs.values("unit_id", "procedure_id", "procedure__field_id")
        .annotate(**{name: Count("pk", filter=cond) for name, cond in conditions.items()})
        .order_by()
    )


def report_groups(unit_ids, date_from: dt.date, date_to: dt.date, *, field: Field | None = None,
                  procedure: Procedure | None = None) -> list[dict]:
    """The groups of :func:`counts_by_unit_and_field` for the dossiers received by ``unit_ids``,
    read from the per-day counters (``reports.daily``: the same figures, exactly, in a time that
    does not grow with the number of dossiers). ``counts_by_unit_and_field`` over
    :func:`period_dossiers` is the same thing counted from the dossiers."""
    from motcua.reports import daily

    return daily.groups(unit_ids, date_from, date_to, field=field, procedure=procedure)


def add_groups(groups: list[dict]) -> dict[str, int]:
    return {name: sum(int(g[name] or 0) for g in groups) for name in COUNTED}


def _rows_by(groups: list[dict], units: dict[int, Unit], key: str, describe) -> list[dict]:
    """Rows by level of the receiving unit and by ``key`` of the groups, each the exact sum of its groups."""
    buckets: dict[tuple[str, int], list[dict]] = {}
    for g in groups:
        buckets.setdefault((units[g["unit_id"]].level, g[key]), []).append(g)
    rows = [{"level": level, "level_name": LEVEL_HEADINGS.get(level, level), **describe(pk), **shape(add_groups(members))}
            for (level, pk), members in buckets.items()]
    rows.sort(key=lambda r: (LEVEL_ORDER.get(r["level"], 9), r["field_name"], r.get("procedure_name", ""),
                             r.get("procedure", r["field"])))
    return rows


def rows_by_field(groups: list[dict], units: dict[int, Unit], fields: dict[int, Field]) -> list[dict]:
    """Biểu 06's rows: by level of the receiving unit (tỉnh / huyện / xã), then by field."""
    return _rows_by(groups, units, "procedure__field_id",
                    lambda pk: {"field": fields[pk].code, "field_name": fields[pk].name})


def rows_by_procedure(groups: list[dict], units: dict[int, Unit], procedures: dict[int, Procedure]) -> list[dict]:
    """The breakdown by procedure: by level of the receiving unit, then field, then procedure."""
    return _rows_by(groups, units, "procedure_id", lambda pk: {
        "procedure": procedures[pk].code, "procedure_name": procedures[pk].name,
        "field": procedures[pk].field.code, "field_name": procedures[pk].field.name})


def rows_by_unit(groups: list[dict], units: dict[int, Unit]) -> list[dict]:
    """One row per receiving unit, in the order of the unit tree."""
    buckets: dict[int, list[dict]] = {}
    for g in groups:
        buckets.setdefault(g["unit_id"], []).append(g)
    ordered = sorted(buckets, key=lambda pk: units[pk].path)
    return [{"unit": units[pk].code, "unit_name": units[pk].name, "level": units[pk].level, **shape(add_groups(buckets[pk]))}
            for pk in ordered]


# ------------------------------------------------------------------ the report

def tthc_report(unit: Unit, date_from: dt.date, date_to: dt.date, children: bool = False,
                predecessors: bool = False) -> dict:
    """docs/reports.md's report for ``unit`` over ``[date_from, date_to]``.

    The keys of docs/reports.md (``unit``, ``from``, ``to``, ``received``, ``resolved``,
    ``in_progress``, ``withdrawn``, ``rates``) are exact; ``unit_name``, ``children``,
    ``rows`` (Biểu 06: by level and field), ``procedures`` (the same by procedure), ``units`` (by receiving unit) and
    ``scorecard`` (QĐ 766) are additions. See the module docstring for which dossiers
    count. I = T − R − X holds by construction (in progress = neither resolved nor
    withdrawn in the period).
    """
    date_from, date_to = parse_period(date_from, date_to)
    groups = report_groups(units_counted(unit, children, period=(date_from, date_to), predecessors=predecessors),
                           date_from, date_to)
    units = {u.pk: u for u in Unit.objects.filter(pk__in={g["unit_id"] for g in groups})}
    fields = {f.pk: f for f in Field.objects.filter(pk__in={g["procedure__field_id"] for g in groups})}
    procedures = {p.pk: p for p in Procedure.objects.select_related("field").filter(pk__in={g["procedure_id"] for g in groups})}
    totals = add_groups(groups)
    return {
        "unit": unit.code,
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        **shape(totals),
        "unit_name": unit.name,
        "children": bool(children),
        "predecessors": bool(predecessors),
        "rows": rows_by_field(groups, units, fields),
        "procedures": rows_by_procedure(groups, units, procedures),
        "units": rows_by_unit(groups, units),
        "scorecard": scorecard(totals),
    }


# ------------------------------------------------------------------ who may see which report

def parse_flag(value, name: str) -> bool:
    """A yes/no query parameter: 1/true/yes/on or 0/false/no/off/empty (the words of
    ``conf.TRUE_WORDS``/``FALSE_WORDS``, as a yes/no setting is written)."""
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise InvalidInput(f"Tham số {name} không hợp lệ.", fields={name: ["Dùng 1 hoặc 0."]})


def parse_children(value) -> bool:
    """``children`` as sent in a query string (:func:`parse_flag`)."""
    return parse_flag(value, "children")


def reportable_units(user) -> list[Unit]:
    """The units ``user`` may report on, in tree order (``dossiers.scope``, purpose ``REPORTS``:
    admins every unit; leaders and inspectors their units and every unit below them)."""
    ids = scope.unit_ids(user, scope.Purpose.REPORTS)
    units = Unit.objects.all() if ids is None else Unit.objects.filter(pk__in=ids)
    return list(units.order_by("path"))


def may_report_on(user, unit: Unit) -> bool:
    """Admins: every unit. Leaders and inspectors: their units and every unit below them
    (``dossiers.scope``, purpose ``REPORTS``)."""
    return scope.may_see_unit(user, unit, scope.Purpose.REPORTS)


@dataclass(frozen=True)
class ReportQuery:
    """A checked report request: the unit, the period and whether units below count too."""

    unit: Unit
    date_from: dt.date
    date_to: dt.date
    children: bool
    predecessors: bool = False

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        return period_bounds(self.date_from, self.date_to)

    def unit_ids(self) -> list[int]:
        """The receiving units this query counts (:func:`units_counted`)."""
        return units_counted(self.unit, self.children, period=(self.date_from, self.date_to),
                             predecessors=self.predecessors)

    def counted(self) -> QuerySet[Dossier]:
        """The dossiers this query counts, before any period condition (:func:`counted_dossiers`)."""
        return counted_dossiers(self.unit, self.children, period=(self.date_from, self.date_to),
                                predecessors=self.predecessors)

    def period_dossiers(self) -> QuerySet[Dossier]:
        """The dossiers T of this query's report."""
        start, end = self.bounds
        return period_dossiers(self.unit, start, end, self.children, predecessors=self.predecessors)

    def report(self) -> dict:
        return tthc_report(self.unit, self.date_from, self.date_to, children=self.children,
                           predecessors=self.predecessors)

    @property
    def judged_at(self) -> dt.datetime:
        """The moment the period's classes are judged at (docs/reports.md): the end of ``date_to``
        (24:00, Asia/Ho_Chi_Minh). Pages say it beside "đang giải quyết" and its "quá hạn"."""
        return self.bounds[1]

    def overdue_now(self, now: dt.datetime | None = None) -> QuerySet[Dossier]:
        """The dossiers of this query's units overdue at ``now`` (default: this moment),
        whatever the period: a figure that says "đang quá hạn" is judged now, by the one
        timeliness rule (``timeliness_q(OVERDUE, now)``), as the workbench's overdue queue is."""
        return (counted_dossiers(self.unit, self.children, predecessors=self.predecessors)
                .filter(timeliness_q(Timeliness.OVERDUE, now or timezone.now())))


def check_report_role(user) -> None:
    if scope.reach(user, scope.Purpose.REPORTS) is scope.Reach.NONE:
        raise Forbidden("Chỉ lãnh đạo, thanh tra và quản trị được xem báo cáo thống kê.", code="role_not_allowed")


def report_query(user, unit_code: str, date_from, date_to, children="", predecessors="") -> ReportQuery:
    """Check a report request as ``user`` may make it: 403 for other roles or units, 422 bad
    input, 404 unknown unit. Every report surface (the report, its drill-down, the indicators,
    the scorecard, the pages) starts here."""
    check_report_role(user)
    problems: dict[str, list[str]] = {}
    unit_code = str(unit_code or "").strip()
    if not unit_code:
        problems["unit"] = ["Bắt buộc (mã đơn vị, ví dụ YB.LY)."]
    period = None
    try:
        period = parse_period(date_from, date_to)
    except InvalidInput as exc:
        problems.update(exc.fields)
    with_children = with_predecessors = False
    try:
        with_children = parse_children(children)
    except InvalidInput as exc:
        problems.update(exc.fields)
    try:
        with_predecessors = parse_flag(predecessors, "predecessors")
    except InvalidInput as exc:
        problems.update(exc.fields)
    if problems:
        raise InvalidInput("Tham số báo cáo chưa hợp lệ.", code="invalid_report_query", fields=problems)
    unit = catalog.get_unit(unit_code)
    if not may_report_on(user, unit):
        raise Forbidden(f"Bạn không có quyền xem báo cáo của {unit.name}.", code="unit_not_allowed")
    return ReportQuery(unit, period[0], period[1], with_children, with_predecessors)


def report_for_user(user, unit_code: str, date_from, date_to, children="", predecessors="") -> dict:
    """The report as ``user`` may see it (see :func:`report_query` for the errors)."""
    return report_query(user, unit_code, date_from, date_to, children, predecessors).report()
