"""A year of invented history for the demo's communes (``motcua seed-demo --history``), so
that the leader's report, dashboard and scorecard have figures to show in ``make run``.

Shaped like the source articles: about 90 % of dossiers received online, almost all
resolved early, a few late, those not yet due still open (and one in a hundred overdue),
a few withdrawn. Written
through the legacy importer (docs/import-format.md), so due dates come from the calendar and the
events from the audit trail's one writer, as for any imported history. Deterministic (a
seeded generator), and written once: a second run finds the history and adds nothing.
Applicants are invented: their ID numbers start with 000, which no province code uses.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from collections.abc import Iterator

from motcua.catalog import services as catalog
from motcua.catalog.models import OnlineLevel, Unit
from motcua.dossiers.deadlines import compute_deadline
from motcua.worktime import calendar as wt
from motcua.worktime.services import calendar_for_unit

# (unit, dossiers a year): the communes of the articles, and their district's own counter.
UNITS = [("YB.LY.YT", 420), ("YB.LY.MX", 300), ("LC.NN.NM", 360), ("YB.LY", 120)]
CODE_PREFIX = "DEMO"
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vàng", "Lò", "Giàng", "Đặng", "Bùi", "Hà", "Sùng"]
MIDDLE = ["Văn", "Thị", "Đức", "Thu", "Minh", "A", "Ngọc", "Xuân"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hoa", "Hùng", "Lan", "Mai", "Nam", "Pháo", "Sinh", "Tú", "Vân", "Xuân"]


def exists() -> bool:
    from motcua.dossiers.models import Dossier

    return Dossier.objects.filter(code__startswith=f"{CODE_PREFIX}-").exists()


def history_lines(today: dt.date, seed: int = 766) -> Iterator[dict]:
    """Import lines (docs/import-format.md) for the 365 days before ``today``."""
    rng = random.Random(seed)
    now = dt.datetime.combine(today, dt.time(7, 0), tzinfo=wt.VN_TZ)
    number = 0
    for code, per_year in UNITS:
        unit = Unit.objects.get(code=code)
        cal = calendar_for_unit(unit)
        procedures = list(catalog.procedures_of_unit(unit, today).order_by("code"))
        if not procedures:
            continue
        weights = [8 if p.online_level != OnlineLevel.NONE else 1 for p in procedures]  # the common ones are online
        for _ in range(per_year):
            number += 1
            day = today - dt.timedelta(days=rng.randint(1, 365))
            while not wt.is_working_day(cal, day):
                day -= dt.timedelta(days=1)
            arrived = dt.datetime.combine(day, dt.time(7, 30), tzinfo=wt.VN_TZ) + dt.timedelta(
                minutes=rng.randint(0, 8 * 60))
            procedure = rng.choices(procedures, weights)[0]
            channel = "online" if procedure.online_level != OnlineLevel.NONE and rng.random() < 0.93 else (
                "postal" if rng.random() < 0.1 else "direct")
            line = {
                "code": f"{CODE_PREFIX}-{code}-{number:05d}",
                "procedure": procedure.code, "unit": code, "channel": channel,
                "received_at": arrived.isoformat(),
                "applicant": _applicant(rng, number),
            }
            deadline = compute_deadline(procedure, unit, arrived)
            not_due_yet = deadline.due_at >= now
            if not (not_due_yet or rng.random() < 0.01):   # open: not yet due, or one in a hundred overdue
                roll = rng.random()
                if roll < 0.02:
                    line["withdrawn_at"] = _between(rng, deadline.received_at, deadline.due_at).isoformat()
                else:
                    if roll < 0.05:   # late: up to three days after the due time
                        resolved = min(deadline.due_at + dt.timedelta(hours=rng.randint(2, 72)), now)
                    else:             # early or on time
                        resolved = _between(rng, deadline.received_at, deadline.due_at)
                    line["resolved_at"] = resolved.isoformat()
                    line["outcome"] = "rejected" if rng.random() < 0.03 else "approved"
            yield line


def _between(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    span = max(60.0, (end - start).total_seconds())
    return start + dt.timedelta(seconds=rng.uniform(0.2, 0.95) * span)


def _applicant(rng: random.Random, number: int) -> dict:
    return {
        "full_name": f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
        "id_number": f"000{rng.randint(0, 1):01d}{rng.randint(60, 99):02d}{number:06d}",
        "phone": f"09{rng.randint(10000000, 99999999)}",
    }


def seed_history(today: dt.date | None = None) -> int:
    """Import the demo history once; returns the number of dossiers added (0 when present)."""
    from django.utils import timezone

    from motcua.dossiers.importer import import_dossiers

    if exists():
        return 0
    lines = [json.dumps(line, ensure_ascii=False) for line in history_lines(today or timezone.localdate())]
    report = import_dossiers(io.BytesIO("\n".join(lines).encode()), file_name="demo-history.jsonl")
    if report.errors:
        raise RuntimeError(f"demo history: {report.errors[:3]}")
    return len(lines)
