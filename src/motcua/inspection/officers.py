"""The officers' report (kiểm tra công vụ, docs/api.md ``GET /reports/officers``) and the
dossiers behind each of its numbers.

For a report query (unit, period, children — ``reports.services.report_query``: leaders,
inspectors and admins, in their scope) one row per officer and unit where they worked: the
steps they finished in the period (``HandlingStep.ended_at`` in [from 00:00, to + 1 day 00:00)
at a unit counted by the query). Every figure counts **dossiers**, so each one's drill-down
lists exactly that many:

* ``handled``: dossiers in which the officer finished a step; per step kind in ``steps``;
* ``late``: of those, dossiers in which a step of theirs was held past its share
  (``dossiers.steps``); ``on_time`` = ``handled`` − ``late`` (also per step);
* ``supplement_requests``, ``apologies`` (re-appointments), ``refusals`` (refused at intake
  or rejected): dossiers where the officer did that in the period;
* ``rated``: handled dossiers that have the applicant's rating, with the scores;
* ``surveyed``: handled dossiers whose owner answered the satisfaction survey, and in
  ``surveys`` each criterion as satisfied answers / surveys (the rule and the shape of
  ``reports.satisfaction``: the dashboard's figures, here over the dossiers the officer handled
  rather than the dossiers received in the period); ``satisfied_<criterion>`` drills into the
  numerator;
* ``median_hours``: the median working time of the officer's steps (hours);
* ``flags``: ``multiple_supplements`` (a dossier they asked to supplement was asked more than
  once: QĐ 766 counts it overdue), ``step_late`` (= ``late``), ``unexplained_refusal`` (a
  refusal whose note gives no reason), and ``untouched`` — judged **now**, not in the period:
  open dossiers assigned to the officer with no event for ``MOTCUA_INSPECTION_IDLE_DAYS``
  working days.

The dossier-level flags (:func:`flagged_dossiers`) list the same conditions for the unit's
dossiers, whoever handled them.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.catalog.models import StepKind, Unit
from motcua.dossiers import steps as rule
from motcua.dossiers.models import Dossier, DossierEvent, Rating, Status
from motcua.dossiers.workflow import Action
from motcua.errors import InvalidInput, NotFound
from motcua.feedback.models import CRITERIA, CRITERION_KEYS, Survey
from motcua.inspection.models import HandlingStep
from motcua.reports import satisfaction
from motcua.reports.services import ReportQuery
from motcua.worktime import calendar as wt
from motcua.worktime.services import calendar_for_unit

SATISFIED = {f"satisfied_{key}": key for key in CRITERION_KEYS}
FIGURES = ("handled", "on_time", "late", "supplement_requests", "apologies", "refusals", "rated", "surveyed",
           *SATISFIED)
FLAGS = ("multiple_supplements", "step_late", "untouched", "unexplained_refusal")
STEP_KINDS = tuple(StepKind.values)

FIGURE_LABELS = {
    "handled": _("Hồ sơ đã xử lý"),
    "on_time": _("Xử lý trong thời gian của bước"),
    "late": _("Có bước quá thời gian"),
    "supplement_requests": _("Yêu cầu bổ sung"),
    "apologies": _("Xin lỗi, hẹn lại"),
    "refusals": _("Từ chối"),
    "rated": _("Được đánh giá"),
    "surveyed": _("Có phiếu khảo sát"),
    **{f"satisfied_{key}": format_lazy(_("Hài lòng: {criterion}"), criterion=label) for key, label in CRITERIA},
    "multiple_supplements": _("Yêu cầu bổ sung quá một lần"),
    "step_late": _("Giữ hồ sơ quá thời gian của bước"),
    "untouched": _("Không có thao tác"),
    "unexplained_refusal": _("Từ chối không nêu lý do"),
}

IS_STEP = ~Q(kind=rule.APOLOGY)
# Each figure as a condition on the officer's stored steps (a dossier counts when one matches).
STEP_CONDITIONS: dict[str, Q] = {
    "handled": IS_STEP,
    "late": IS_STEP & Q(late=True),
    "step_late": IS_STEP & Q(late=True),
    "supplement_requests": Q(action=Action.REQUEST_SUPPLEMENT),
    "apologies": Q(kind=rule.APOLOGY),
    "refusals": Q(action__in=rule.REFUSALS),
    "unexplained_refusal": Q(action__in=rule.REFUSALS, unexplained=True),
    "multiple_supplements": Q(action=Action.REQUEST_SUPPLEMENT, dossier__supplement_requests__gt=1),
}
OPEN_HANDLING = (Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING, Status.AWAITING_APPROVAL)


def period_steps(query: ReportQuery) -> QuerySet[HandlingStep]:
    """The steps finished in the query's period at the units it counts."""
    start, end = query.bounds
    return HandlingStep.objects.filter(unit_id__in=query.unit_ids(), ended_at__gte=start, ended_at__lt=end,
                                       officer__isnull=False)


# ------------------------------------------------------------------ untouched (judged now)

def idle_cutoff(cal: wt.Calendar, now: dt.datetime, days: int) -> dt.datetime:
    """00:00 of the ``days``-th working day before today: a dossier last touched before it has
    had ``days`` whole working days without an event."""
    day = now.astimezone(wt.VN_TZ).date()
    left = days
    while left > 0:
        day -= dt.timedelta(days=1)
        if wt.is_working_day(cal, day):
            left -= 1
    return dt.datetime.combine(day, dt.time(0), tzinfo=wt.VN_TZ)


def untouched_q(unit_ids, now: dt.datetime | None = None, days: int | None = None) -> Q:
    """Open dossiers held by ``unit_ids`` (not waiting for the applicant) with no event since
    the idle cutoff of their unit's calendar. Needs ``last_event`` annotated (:func:`with_last_event`)."""
    now = now or timezone.now()
    days = settings.INSPECTION_IDLE_DAYS if days is None else days
    by_cutoff: dict[dt.datetime, list[int]] = defaultdict(list)
    for unit in Unit.objects.filter(pk__in=list(unit_ids)):
        by_cutoff[idle_cutoff(calendar_for_unit(unit), now, days)].append(unit.pk)
    cond = Q(pk__in=[])
    for cutoff, ids in by_cutoff.items():
        cond |= Q(current_unit_id__in=ids, last_event__lt=cutoff)
    return Q(status__in=OPEN_HANDLING, paused_at__isnull=True) & cond


def with_last_event(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """``last_event``: the moment of the dossier's latest event (the trail's last by number)."""
    latest = DossierEvent.objects.filter(dossier=OuterRef("pk")).order_by("-seq").values("at")[:1]
    return qs.annotate(last_event=Subquery(latest))


def untouched_dossiers(unit_ids, now=None, days=None) -> QuerySet[Dossier]:
    return with_last_event(Dossier.objects.filter(current_unit_id__in=list(unit_ids), status__in=OPEN_HANDLING,
                                                  paused_at__isnull=True)).filter(untouched_q(unit_ids, now, days))


# ------------------------------------------------------------------ the report

def _median_hours(values: list[float]) -> float | None:
    return round(statistics.median(values) / 3600, 2) if values else None


def _ratings(steps: QuerySet[HandlingStep]) -> dict[tuple[int, int], dict[int, int]]:
    """``{(officer, unit): {score: dossiers}}`` over the dossiers each officer handled."""
    pairs = steps.filter(IS_STEP).values("officer_id", "unit_id", "dossier_id").distinct()
    sql, params = pairs.query.sql_with_params()
    rating = Rating._meta.db_table
    out: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    with connection.cursor() as cur:
        cur.execute(f"SELECT p.officer_id, p.unit_id, r.score, COUNT(*) FROM ({sql}) p "
                    f"JOIN {rating} r ON r.dossier_id = p.dossier_id GROUP BY p.officer_id, p.unit_id, r.score", params)
        for officer, unit, score, n in cur.fetchall():
            out[(officer, unit)][int(score)] = int(n)
    return out


def _surveys(steps: QuerySet[HandlingStep]) -> dict[tuple[int, int], dict]:
    """``{(officer, unit): {"answered": n, "<criterion>_ok": n, …}}``: the surveys of the dossiers
    each officer handled, counted by ``reports.satisfaction``'s rule."""
    answered = (steps.filter(IS_STEP, dossier__survey__isnull=False).values("officer_id", "unit_id")
                .annotate(answered=Count("dossier_id", distinct=True),
                          **satisfaction.criteria_counts("dossier__survey__", "dossier_id", distinct=True)))
    return {(r.pop("officer_id"), r.pop("unit_id")): r for r in answered}


def officers_report(query: ReportQuery, now: dt.datetime | None = None) -> dict:
    """docs/api.md ``GET /reports/officers`` for a checked query."""
    steps = period_steps(query)
    figures = {f"n_{name}": Count("dossier_id", distinct=True, filter=cond) for name, cond in STEP_CONDITIONS.items()}
    rows: dict[tuple[int, int], dict] = {}
    for r in steps.values("officer_id", "unit_id").annotate(**figures):
        rows[(r["officer_id"], r["unit_id"])] = {name: r[f"n_{name}"] for name in STEP_CONDITIONS}
    per_kind: dict[tuple[int, int], dict[str, dict]] = defaultdict(dict)
    for r in (steps.filter(IS_STEP).values("officer_id", "unit_id", "kind")
              .annotate(n_handled=Count("dossier_id", distinct=True),
                        n_late=Count("dossier_id", distinct=True, filter=Q(late=True)))):
        per_kind[(r["officer_id"], r["unit_id"])][r["kind"]] = {"handled": r["n_handled"], "late": r["n_late"]}
    hours: dict[tuple[int, int], list[float]] = defaultdict(list)
    hours_kind: dict[tuple[int, int, str], list[float]] = defaultdict(list)
    for officer, unit, kind, worked in steps.filter(IS_STEP).values_list("officer_id", "unit_id", "kind", "worked_seconds"):
        hours[(officer, unit)].append(worked)
        hours_kind[(officer, unit, kind)].append(worked)
    ratings = _ratings(steps)
    surveys = _surveys(steps)
    untouched: dict[tuple[int, int], int] = defaultdict(int)
    unit_ids = query.unit_ids()
    for r in (untouched_dossiers(unit_ids, now).filter(assignee__isnull=False)
              .values("assignee_id", "current_unit_id").annotate(n=Count("pk"))):
        untouched[(r["assignee_id"], r["current_unit_id"])] += r["n"]
    keys = set(rows) | set(untouched)
    users = {u.pk: u for u in User.objects.filter(pk__in={k[0] for k in keys})}
    units = {u.pk: u for u in Unit.objects.filter(pk__in={k[1] for k in keys})}
    items = []
    for key in keys:
        officer, unit = key
        r = rows.get(key, {})
        g = lambda name: int(r.get(name) or 0)  # noqa: E731
        scores = ratings.get(key, {})
        rated = sum(scores.values())
        kinds = per_kind.get(key, {})
        surveyed = surveys.get(key, {})
        answered = int(surveyed.get("answered") or 0)
        items.append({
            "officer": users[officer].username, "officer_name": users[officer].display_name(),
            "unit": units[unit].code, "unit_name": units[unit].name,
            "handled": g("handled"), "on_time": g("handled") - g("late"), "late": g("late"),
            "supplement_requests": g("supplement_requests"), "apologies": g("apologies"), "refusals": g("refusals"),
            "median_hours": _median_hours(hours.get(key, [])),
            "rated": rated,
            "ratings": {"count": rated, "average": round(sum(s * n for s, n in scores.items()) / rated, 2) if rated else None,
                        "by_score": {str(s): scores.get(s, 0) for s in (3, 2, 1)}},
            "surveyed": answered,
            "surveys": {"answered": answered, "criteria": satisfaction.criteria_figures(surveyed, answered)},
            "steps": [{"step": kind, "name": str(StepKind(kind).label),
                       "handled": int(kinds[kind]["handled"]), "late": int(kinds[kind]["late"]),
                       "on_time": int(kinds[kind]["handled"]) - int(kinds[kind]["late"]),
                       "median_hours": _median_hours(hours_kind.get((officer, unit, kind), []))}
                      for kind in STEP_KINDS if kind in kinds],
            "flags": {"multiple_supplements": g("multiple_supplements"), "step_late": g("step_late"),
                      "untouched": untouched.get(key, 0), "unexplained_refusal": g("unexplained_refusal")},
        })
    items.sort(key=lambda i: (i["unit"], -i["handled"], i["officer"]))
    return {"unit": query.unit.code, "unit_name": query.unit.name, "from": query.date_from.isoformat(),
            "to": query.date_to.isoformat(), "children": query.children,
            "idle_days": settings.INSPECTION_IDLE_DAYS, "items": items}


# ------------------------------------------------------------------ drill-down

def check_figure(figure: str, step: str = "") -> tuple[str, str]:
    problems = {}
    figure = str(figure or "").strip()
    step = str(step or "").strip()
    if figure not in (*FIGURES, *FLAGS):
        problems["figure"] = [f"Chọn một trong: {', '.join((*FIGURES, *FLAGS))}."]
    if step and step not in STEP_KINDS:
        problems["step"] = [f"Chọn một trong: {', '.join(STEP_KINDS)}."]
    if step and figure not in ("handled", "on_time", "late"):
        problems.setdefault("step", []).append("Chỉ dùng với handled, on_time, late.")
    if problems:
        raise InvalidInput("Chỉ tiêu không hợp lệ.", code="invalid_figure", fields=problems)
    return figure, step


def officer_and_unit(query: ReportQuery, username: str, unit_code: str = "") -> tuple[User, Unit]:
    """The officer a drill-down names, and the unit of their row (default: the query's unit when
    it is theirs, else the unit counted where they worked)."""
    user = User.objects.filter(username=str(username or "").strip()).first() if username else None
    if user is None:
        raise InvalidInput("Không tìm thấy cán bộ.", code="officer_not_found", fields={"officer": ["Không tồn tại."]})
    return user, unit_in_query(query, unit_code)


def unit_in_query(query: ReportQuery, unit_code: str = "") -> Unit | None:
    """One unit the query counts (404 for another), or ``None``: all of them."""
    code = str(unit_code or "").strip()
    if not code:
        return None
    unit = Unit.objects.filter(code=code, pk__in=query.unit_ids()).first()
    if unit is None:
        raise NotFound("Đơn vị không thuộc báo cáo này.", code="unit_not_found",
                       fields={"officer_unit": ["Chọn một đơn vị của báo cáo."]})
    return unit


def figure_dossiers(query: ReportQuery, user: User | None, unit: Unit | None, figure: str, step: str = "",
                    now: dt.datetime | None = None) -> QuerySet[Dossier]:
    """The dossiers behind one number of one officer's row (``user``), or behind a flag of the
    whole report (``user`` None: every officer's), oldest receipt first."""
    unit_ids = [unit.pk] if unit is not None else query.unit_ids()
    if figure == "untouched":
        qs = untouched_dossiers(unit_ids, now)
        if user is not None:
            qs = qs.filter(assignee=user)
        return qs.select_related("procedure", "unit").order_by("received_at", "code")
    start, end = query.bounds
    mine = HandlingStep.objects.filter(dossier=OuterRef("pk"), unit_id__in=unit_ids, ended_at__gte=start,
                                       ended_at__lt=end, officer__isnull=False)
    if user is not None:
        mine = mine.filter(officer=user)
    if step:
        mine = mine.filter(kind=step)
    if figure == "on_time":
        cond = Exists(mine.filter(IS_STEP)) & ~Exists(mine.filter(STEP_CONDITIONS["late"]))
    elif figure == "rated":
        cond = Exists(mine.filter(IS_STEP)) & Exists(Rating.objects.filter(dossier=OuterRef("pk")))
    elif figure == "surveyed":
        cond = Exists(mine.filter(IS_STEP)) & Exists(Survey.objects.filter(dossier=OuterRef("pk")))
    elif figure in SATISFIED:
        cond = Exists(mine.filter(IS_STEP)) & Exists(Survey.objects.filter(
            satisfaction.satisfied(SATISFIED[figure]), dossier=OuterRef("pk")))
    else:
        cond = Exists(mine.filter(STEP_CONDITIONS[figure]))
    return Dossier.objects.filter(cond).select_related("procedure", "unit").order_by("received_at", "code")


def flag_counts(query: ReportQuery, now: dt.datetime | None = None) -> dict[str, int]:
    """How many of the report's dossiers carry each flag (whoever handled them)."""
    return {flag: figure_dossiers(query, None, None, flag, now=now).count() for flag in FLAGS}
