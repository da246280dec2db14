"""Demo surveys for ``motcua seed-demo --history`` (issue 20 §2): about a third of the demo
history's resolved dossiers answered the five-criteria survey on the day after, mostly
satisfied, a few not — so the dashboard's "Mức độ hài lòng" and the scorecard's 5.3/5.4 have
figures in ``make run DEMO_HISTORY=1``. Written once (a second run finds them), deterministic.
The history is imported (docs/import-format.md has no return step), so these sit on resolved dossiers.

The dossiers the demo officers walked through the workflow (``demo.handled``) have no
history behind them: about half of those returned answered the survey a few hours after the
return, so the officers' report (``/can-bo/kiem-tra/``) shows each officer's survey scores."""

from __future__ import annotations

import datetime as dt
import random

from motcua.feedback.models import CRITERION_KEYS, Survey

COMMENTS = ["Cán bộ hướng dẫn tận tình.", "Trả kết quả sớm hơn hẹn.", "Nộp trực tuyến tiện, không phải đi lại.",
            "", "", "", "Phải chờ ở quầy hơi lâu.", "Mong có thêm hướng dẫn bằng tiếng dân tộc."]


def _scores(rng: random.Random) -> tuple[dict, bool]:
    unhappy = rng.random() < 0.06
    scores = {k: rng.choices((3, 2, 1), weights=(70, 28, 2))[0] for k in CRITERION_KEYS}
    if unhappy:
        scores[rng.choice(CRITERION_KEYS)] = 1
    return scores, unhappy


def seed_surveys(seed: int = 20) -> int:
    """The surveys of the demo history and of the officers' walked dossiers; how many were added."""
    return _history_surveys(seed) + _handled_surveys(seed)


def _handled_surveys(seed: int) -> int:
    from django.utils import timezone

    from motcua.dossiers.models import Dossier, Status
    from motcua.demo.handled import MARKER

    walked = Dossier.objects.filter(applicant_address=MARKER)
    if Survey.objects.filter(dossier__in=walked).exists():
        return 0
    rng = random.Random(seed + 1)
    now = timezone.now()
    rows = []
    returned: list[tuple[int, dt.datetime]] = list(  # a returned dossier has its return time
        walked.filter(status=Status.RESULT_RETURNED).order_by("pk").values_list("pk", "returned_at"))  # type: ignore[arg-type]
    for pk, returned_at in returned:
        if rng.random() > 0.5:
            continue
        scores, unhappy = _scores(rng)
        rows.append((Survey(dossier_id=pk, comment=rng.choice(COMMENTS) if not unhappy else "Phải đi lại nhiều lần.",
                            **scores), min(returned_at + dt.timedelta(hours=rng.choice([1, 2, 5, 20])), now)))
    Survey.objects.bulk_create([survey for survey, _at in rows])
    for survey, at in rows:  # answered after the return (auto_now_add wrote "now")
        Survey.objects.filter(dossier_id=survey.dossier_id).update(created_at=at)
    return len(rows)


def _history_surveys(seed: int) -> int:
    from motcua.demo.history import CODE_PREFIX
    from motcua.dossiers.models import Dossier, Status

    if Survey.objects.filter(dossier__code__startswith=f"{CODE_PREFIX}-").exists():
        return 0
    rng = random.Random(seed)
    rows = []
    for pk, resolved_at in (Dossier.objects.filter(code__startswith=f"{CODE_PREFIX}-", status=Status.APPROVED)
                            .order_by("pk").values_list("pk", "resolved_at")):
        if rng.random() > 0.35:
            continue
        scores, unhappy = _scores(rng)
        rows.append(Survey(dossier_id=pk, comment=rng.choice(COMMENTS) if not unhappy else "Chờ lâu, phải đi lại nhiều lần.",
                           **scores))
    Survey.objects.bulk_create(rows, batch_size=500)
    # answered the day after the result (auto_now_add set "now"; the history is spread over a year)
    for survey in Survey.objects.filter(dossier__code__startswith=f"{CODE_PREFIX}-").select_related("dossier"):
        if survey.dossier.resolved_at:
            Survey.objects.filter(pk=survey.pk).update(created_at=survey.dossier.resolved_at + dt.timedelta(days=1))
    return len(rows)
