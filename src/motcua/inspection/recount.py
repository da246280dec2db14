"""The officers' report recounted one dossier at a time from the audit trail.

Independent of the stored steps and of the report's grouped queries: each dossier's steps are
derived again from its events (``dossiers.steps.dossier_steps``), classified in Python and
counted per officer. ``motcua inspection verify`` and the tests compare the report (and every
drill-down's count) with it, so a step the writer missed, a wrong condition or a wrong sum shows
as a difference.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict

from motcua.dossiers import steps as rule
from motcua.dossiers.models import Dossier, DossierEvent, Rating
from motcua.dossiers.workflow import Action
from motcua.feedback.models import CRITERION_KEYS, Survey
from motcua.reports.satisfaction import is_satisfied


def recount(query) -> dict[tuple[str, str], dict]:
    """``{(username, unit code): figures}`` counted one dossier at a time."""
    from motcua.accounts.models import User
    from motcua.catalog.models import Unit

    start, end = query.bounds
    unit_ids = set(query.unit_ids())
    touched = (DossierEvent.objects.filter(at__gte=start - dt.timedelta(days=1), action__in=rule.RECORDED)
               .values_list("dossier_id", flat=True).distinct())
    sets: dict[tuple[int, int], dict[str, set]] = defaultdict(lambda: defaultdict(set))
    worked: dict[tuple[int, int], list[float]] = defaultdict(list)
    rated = set(Rating.objects.values_list("dossier_id", flat=True))
    scores = dict(Rating.objects.values_list("dossier_id", "score"))
    surveys = {d: dict(zip(CRITERION_KEYS, answers)) for d, *answers in Survey.objects.values_list("dossier_id", *CRITERION_KEYS)}
    for dossier in Dossier.objects.filter(pk__in=list(touched)).order_by("pk").iterator(chunk_size=500):
        for s in rule.dossier_steps(dossier):
            if s.officer_id is None or s.unit_id not in unit_ids or not (start <= s.ended_at < end):
                continue
            figures = sets[(s.officer_id, s.unit_id)]
            if s.kind == rule.APOLOGY:
                figures["apologies"].add(dossier.pk)
                continue
            worked[(s.officer_id, s.unit_id)].append(s.worked_seconds)
            figures["handled"].add(dossier.pk)
            figures[f"handled:{s.kind}"].add(dossier.pk)
            if s.late:
                figures["late"].add(dossier.pk)
                figures[f"late:{s.kind}"].add(dossier.pk)
            if s.action == Action.REQUEST_SUPPLEMENT:
                figures["supplement_requests"].add(dossier.pk)
                if dossier.supplement_requests > 1:
                    figures["multiple_supplements"].add(dossier.pk)
            if s.action in rule.REFUSALS:
                figures["refusals"].add(dossier.pk)
                if not rule.reason_given(_note(dossier, s.seq)):
                    figures["unexplained_refusal"].add(dossier.pk)
    users = {u.pk: u.username for u in User.objects.filter(pk__in={k[0] for k in sets})}
    units = {u.pk: u.code for u in Unit.objects.filter(pk__in={k[1] for k in sets})}
    out = {}
    for key, figures in sets.items():
        handled = figures["handled"]
        row = {name: len(figures[name]) for name in (
            "handled", "late", "supplement_requests", "apologies", "refusals", "multiple_supplements",
            "unexplained_refusal")}
        row["on_time"] = len(handled - figures["late"])
        row["rated"] = len(handled & rated)
        row["score_sum"] = sum(scores[d] for d in handled & rated)
        surveyed = handled & set(surveys)
        row["surveyed"] = len(surveyed)
        row["satisfied"] = {k: sum(1 for d in surveyed if is_satisfied(surveys[d][k])) for k in CRITERION_KEYS}
        row["median_hours"] = round(statistics.median(worked[key]) / 3600, 2) if worked[key] else None
        row["steps"] = {kind: (len(figures[f"handled:{kind}"]), len(figures[f"late:{kind}"]))
                        for kind in ("intake", "assignment", "processing", "approval", "return") if figures[f"handled:{kind}"]}
        out[(users[key[0]], units[key[1]])] = row
    return out


def _note(dossier, seq: int) -> str:
    return DossierEvent.objects.filter(dossier=dossier, seq=seq).values_list("note", flat=True).first() or ""


def differences(query, report: dict | None = None) -> list[str]:
    """Each difference between the report (and its drill-downs' counts) and the recount."""
    from motcua.accounts.models import User
    from motcua.catalog.models import Unit
    from motcua.inspection import officers

    report = report or officers.officers_report(query)
    expected = recount(query)
    found: list[str] = []
    seen = set()
    for item in report["items"]:
        key = (item["officer"], item["unit"])
        seen.add(key)
        want = expected.get(key)
        if want is None:
            if item["handled"] or item["apologies"] or item["refusals"]:
                found.append(f"{key}: in the report, not in the recount")
            continue
        for name in ("handled", "on_time", "late", "supplement_requests", "apologies", "refusals", "rated", "surveyed",
                     "median_hours"):
            if item[name] != want[name]:
                found.append(f"{key} {name}: report {item[name]} ≠ recount {want[name]}")
        for name in ("multiple_supplements", "unexplained_refusal"):
            if item["flags"][name] != want[name]:
                found.append(f"{key} flags.{name}: report {item['flags'][name]} ≠ recount {want[name]}")
        if item["flags"]["step_late"] != want["late"]:
            found.append(f"{key} flags.step_late: report {item['flags']['step_late']} ≠ recount {want['late']}")
        if item["ratings"]["count"] and round(want["score_sum"] / want["rated"], 2) != item["ratings"]["average"]:
            found.append(f"{key} ratings.average differs")
        got = {c["key"]: (c["numerator"], c["denominator"]) for c in item["surveys"]["criteria"]}
        want_surveys = {k: (n, want["surveyed"]) for k, n in want["satisfied"].items()}
        if item["surveys"]["answered"] != want["surveyed"] or got != want_surveys:
            found.append(f"{key} surveys: report {item['surveys']['answered']} {got} ≠ recount {want['surveyed']} {want_surveys}")
        steps = {s["step"]: (s["handled"], s["late"]) for s in item["steps"]}
        if steps != want["steps"]:
            found.append(f"{key} steps: report {steps} ≠ recount {want['steps']}")
        user = User.objects.get(username=item["officer"])
        unit = Unit.objects.get(code=item["unit"])
        for name in ("handled", "on_time", "late", "supplement_requests", "apologies", "refusals", "rated", "surveyed"):
            listed = officers.figure_dossiers(query, user, unit, name).count()
            if listed != item[name]:
                found.append(f"{key} {name}: drill-down lists {listed} ≠ report {item[name]}")
        for c in item["surveys"]["criteria"]:
            listed = officers.figure_dossiers(query, user, unit, f"satisfied_{c['key']}").count()
            if listed != c["numerator"]:
                found.append(f"{key} satisfied_{c['key']}: drill-down lists {listed} ≠ report {c['numerator']}")
    for key in set(expected) - seen:
        found.append(f"{key}: in the recount, not in the report")
    return found
