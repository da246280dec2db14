"""Satisfaction figures from the citizens' own answers (issue 20 §2): the five-criteria surveys
(``feedback.Survey``), the one-tap ratings (``dossiers.Rating``, online or at the counter's
kiosk) and the feedback items (``voices.Question`` of kind ``feedback``) of the dossiers a
report counts (``ReportQuery.counted``: the receiving units in scope).

Every figure is ``numerator / denominator``: for a criterion, the answers "hài lòng" or "rất
hài lòng" (2 or 3) over the surveys answered in the period; for ratings, the same over the
ratings given in the period. Grouped per unit (the receiving unit), procedure and officer (the
dossier's assignee, who handled it). ``unhappy``: every answer with a 1 for the leader, with
its dossier. The QĐ 766 scorecard's 5.2 and 5.3 are computed here (``scorecard.COMPUTATIONS``).
"""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q

from motcua.feedback.models import CRITERIA, CRITERION_KEYS, Survey
from motcua.reports.services import ReportQuery, rate

GROUPINGS = {
    "unit": ("dossier__unit_id", "dossier__unit__code", "dossier__unit__name"),
    "procedure": ("dossier__procedure_id", "dossier__procedure__code", "dossier__procedure__name"),
    "officer": ("dossier__assignee_id", "dossier__assignee__username", "dossier__assignee__full_name"),
}
UNHAPPY_SHOWN = 50
SATISFIED_FROM = 2  # "hài lòng" (2) and "rất hài lòng" (3) on the national three-point scale


def is_satisfied(score: int | None) -> bool:
    """The rule, for one answer (a criterion of a survey, or a rating)."""
    return score is not None and score >= SATISFIED_FROM


def satisfied(field: str, prefix: str = "") -> Q:
    """The same rule as a condition on ``prefix + field`` (``satisfied("officers", "dossier__survey__")``)."""
    return Q(**{f"{prefix}{field}__gte": SATISFIED_FROM})


def criteria_counts(prefix: str = "", count: str = "pk", distinct: bool = False) -> dict:
    """Aggregates ``{key}_ok``: the answers satisfied on each criterion, counting ``count`` — for a
    queryset of surveys (default) or of rows joined to them (``prefix`` the path to the survey)."""
    return {f"{k}_ok": Count(count, distinct=distinct, filter=satisfied(k, prefix)) for k in CRITERION_KEYS}


def criteria_figures(counts: dict, answered: int) -> list[dict]:
    """Each criterion as ``{key, label, numerator, denominator, pct}`` from :func:`criteria_counts`."""
    return [{"key": k, "label": str(label), **figure(counts.get(f"{k}_ok") or 0, answered)} for k, label in CRITERIA]


def surveys(query: ReportQuery):
    """The surveys answered in the period about the dossiers the query counts."""
    start, end = query.bounds
    return Survey.objects.filter(dossier__in=query.counted(), created_at__gte=start, created_at__lt=end)


def ratings(query: ReportQuery):
    from motcua.dossiers.models import Rating

    start, end = query.bounds
    return Rating.objects.filter(dossier__in=query.counted(), created_at__gte=start, created_at__lt=end)


def _criteria_counts(qs) -> dict:
    return qs.aggregate(answered=Count("pk"), **criteria_counts())


def figure(numerator: int, denominator: int) -> dict:
    return {"numerator": numerator, "denominator": denominator, "pct": rate(numerator, denominator) if denominator else None}


def totals(query: ReportQuery) -> dict:
    counts = _criteria_counts(surveys(query))
    rated = ratings(query).aggregate(total=Count("pk"), ok=Count("pk", filter=satisfied("score")))
    return {
        "answered": counts["answered"],
        "criteria": [{"key": k, "label": label, **figure(counts[f"{k}_ok"], counts["answered"])} for k, label in CRITERIA],
        "ratings": figure(rated["ok"], rated["total"]),
    }


def grouped(query: ReportQuery, by: str) -> list[dict]:
    """One row per unit / procedure / officer: each criterion's satisfied answers over the surveys."""
    key, code, name = GROUPINGS[by]
    rows = (surveys(query).values(key, code, name)
            .annotate(answered=Count("pk"), **criteria_counts())
            .order_by(code))
    rated = {r[key]: r for r in ratings(query).values(key).annotate(total=Count("pk"), ok=Count("pk", filter=satisfied("score")))}
    out = []
    for r in rows:
        rr = rated.get(r[key], {"total": 0, "ok": 0})
        out.append({"code": r[code] or "", "name": r[name] or r[code] or "", "answered": r["answered"],
                    "criteria": [figure(r[f"{k}_ok"], r["answered"]) for k in CRITERION_KEYS],
                    "ratings": figure(rr["ok"], rr["total"])})
    return out


def unhappy(query: ReportQuery, limit: int = UNHAPPY_SHOWN) -> dict:
    """The answers with a "không hài lòng" (1) — surveys and ratings — newest first, with their dossiers."""
    any_one = Q(**{f"{CRITERION_KEYS[0]}": 1})
    for k in CRITERION_KEYS[1:]:
        any_one |= Q(**{k: 1})
    bad_surveys = surveys(query).filter(any_one).select_related("dossier", "dossier__procedure", "dossier__assignee")
    bad_ratings = ratings(query).filter(score=1).select_related("dossier", "dossier__procedure", "dossier__assignee")
    rows = [{"at": s.created_at, "dossier": s.dossier, "what": "survey",
             "low": [label for k, label in CRITERIA if getattr(s, k) == 1], "comment": s.comment}
            for s in bad_surveys.order_by("-created_at")[:limit]]
    rows += [{"at": r.created_at, "dossier": r.dossier, "what": "rating", "low": [], "comment": r.comment}
             for r in bad_ratings.order_by("-created_at")[:limit]]
    rows.sort(key=lambda row: row["at"], reverse=True)
    return {"count": bad_surveys.count() + bad_ratings.count(), "rows": rows[:limit]}


def summary(query: ReportQuery) -> dict:
    return {"totals": totals(query), "units": grouped(query, "unit"), "procedures": grouped(query, "procedure"),
            "officers": grouped(query, "officer"), "unhappy": unhappy(query)}


# ------------------------------------------------------------------ QĐ 766: 5.2, 5.3 and 5.4's "dislike"

def _feedback_items(query: ReportQuery):
    from motcua.voices.models import Kind, Question

    return Question.objects.filter(kind=Kind.FEEDBACK, dossier__in=query.counted())


def feedback_on_time(query: ReportQuery, ctx: dict | None = None) -> tuple[int, int]:
    """5.2: feedback (PAKN) about the counted dossiers whose answer fell due in the period, or
    that was answered in it; answered by its deadline."""
    from motcua.voices.models import State

    start, end = query.bounds
    items = _feedback_items(query).exclude(state=State.SPAM).filter(
        Q(due_at__gte=start, due_at__lt=end) | Q(answered_at__gte=start, answered_at__lt=end))
    counts = items.aggregate(total=Count("pk"), in_time=Count("pk", filter=Q(state=State.ANSWERED,
                                                                            answered_at__lte=F("due_at"))))
    return counts["in_time"], counts["total"]


def feedback_handling_satisfied(query: ReportQuery, ctx: dict | None = None) -> tuple[int, int]:
    """5.3: the surveys' fifth criterion (handling of comments and feedback) answered 2 or 3."""
    counts = surveys(query).aggregate(total=Count("pk"), ok=Count("pk", filter=satisfied("feedback")))
    return counts["ok"], counts["total"]


def disliked():
    """The condition on dossiers that count as "not satisfied" for 5.4: a rating of 1, a survey
    with any criterion at 1, or feedback (PAKN) about the dossier."""
    from motcua.dossiers.models import Rating
    from motcua.voices.models import Kind, Question, State

    any_one = Q(access=1) | Q(procedure=1) | Q(officers=1) | Q(result=1) | Q(feedback=1)
    return (Exists(Rating.objects.filter(dossier=OuterRef("pk"), score=1))
            | Exists(Survey.objects.filter(any_one, dossier=OuterRef("pk")))
            | Exists(Question.objects.filter(dossier=OuterRef("pk"), kind=Kind.FEEDBACK).exclude(state=State.SPAM)))
