"""Handled dossiers for the demo (``motcua seed-demo --history``), so that ``/can-bo/kiem-tra/``
shows each demo officer's work in ``make run DEMO_HISTORY=1``.

The imported year of history (``demo.history``) has no officers: it came "from an
earlier system". Here, for each demo commune, a few dozen dossiers of the last 60 days go
through the real workflow (``dossiers.intake`` and ``dossiers.actions`` with the moment of each
action), by the commune's demo counter officer, specialist and leader: most promptly, some held
past a step's share, some sent for supplements (a few twice), a few rejected (one without a
reason), re-appointed or left untouched. Deterministic (a seeded generator), written once.
Applicants are invented (ID numbers starting with 000).
"""

from __future__ import annotations

import datetime as dt
import random

from motcua.worktime import calendar as wt

MARKER = "Dữ liệu minh họa kiểm tra công vụ"
UNITS = {"YB.LY.YT": ("motcua.yt", "chuyenvien.yt", "lanhdao.yt"),
         "YB.LY.MX": ("motcua.mx", "chuyenvien.mx", "lanhdao.mx"),
         "LC.NN.NM": ("motcua.nm", "chuyenvien.nm", "lanhdao.nm")}
PER_UNIT = 40


def exists() -> bool:
    from motcua.dossiers.models import Dossier

    return Dossier.objects.filter(applicant_address=MARKER).exists()


def _working_moment(cal, moment: dt.datetime) -> dt.datetime:
    """``moment`` if it is working time, else the next opening."""
    return moment if wt.is_working_time(cal, moment) else wt.effective_receipt(cal, moment)


def seed_handled(today: dt.date | None = None, seed: int = 2020) -> int:
    """Walk the demo dossiers once (all or nothing); returns how many were added (0 when present)."""
    from django.db import transaction

    with transaction.atomic():
        return _seed(today, seed)


def _seed(today: dt.date | None, seed: int) -> int:
    from django.utils import timezone

    from motcua.accounts.models import User
    from motcua.catalog import services as catalog
    from motcua.catalog.models import Unit
    from motcua.dossiers.actions import apply_action
    from motcua.dossiers.intake import receive_dossier
    from motcua.dossiers.models import Rating
    from motcua.worktime.services import calendar_for_unit

    if exists():
        return 0
    rng = random.Random(seed)
    now = timezone.now()
    today = today or timezone.localdate()
    added = 0
    for code, (counter, specialist, leader) in UNITS.items():
        unit = Unit.objects.filter(code=code).first()
        users = {u.username: u for u in User.objects.filter(username__in=(counter, specialist, leader))}
        if unit is None or len(users) < 3:
            continue
        cal = calendar_for_unit(unit)
        procedures = [p for p in catalog.procedures_of_unit(unit, today).order_by("code")
                      if p.processing_time_unit == "working_days" and p.processing_time_value >= 2][:6]
        if not procedures:
            continue
        for i in range(PER_UNIT):
            start = dt.datetime.combine(today - dt.timedelta(days=rng.randint(3, 60)), dt.time(7, 45), tzinfo=wt.VN_TZ)
            t = _working_moment(cal, start + dt.timedelta(minutes=rng.randint(0, 420)))

            def later(hours: float) -> dt.datetime:
                nonlocal t
                t = wt.add_working_seconds(cal, t, hours * 3600 + rng.randint(0, 1800))
                return t

            applicant = {"full_name": f"Người dân minh họa {i + 1:03d}", "id_number": f"000{rng.randint(10**8, 10**9 - 1)}",
                         "phone": f"09{rng.randint(10**7, 10**8 - 1)}", "address": MARKER}
            d = receive_dossier(actor=users[counter], procedure_code=rng.choice(procedures).code, unit_code=code,
                                channel="direct", applicant=applicant, arrived_at=t)
            fate = rng.random()
            plan = [("assign", leader, later(rng.choice([0.5, 1, 2, 6])), {"assignee": specialist})]
            if fate < 0.15:
                plan.append(("request_supplement", specialist, later(3), {"note": "Bổ sung bản sao giấy tờ tùy thân"}))
                plan.append(("supplement", counter, later(8), {"note": "Đã bổ sung bản sao"}))
                if fate < 0.05:
                    plan.append(("request_supplement", specialist, later(2), {"note": "Bổ sung tờ khai có chữ ký"}))
                    plan.append(("supplement", counter, later(4), {"note": "Đã bổ sung tờ khai"}))
            if 0.9 < fate:
                plan.append(("reschedule", leader, later(2), {"note": "Xin lỗi vì cần xác minh thêm"}))
            plan.append(("propose", specialist, later(rng.choice([3, 5, 8, 12, 30 if fate > 0.75 else 6]))))
            if 0.85 < fate < 0.9:
                plan.append(("reject", leader, later(2), {"note": "Không đủ" if fate < 0.86 else
                                                          "Không đủ điều kiện theo quy định của thủ tục"}))
            else:
                plan.append(("approve", leader, later(rng.choice([1, 2, 3]))))
                plan.append(("return_result", counter, later(rng.choice([1, 2, 4]))))
            if fate > 0.97:
                plan = plan[:1]  # assigned, then left untouched
            for action, who, at, *payload in plan:
                if at >= now:
                    break
                body = dict(payload[0]) if payload else {}
                if action == "reschedule":
                    body["due_at"] = (d.due_at + dt.timedelta(days=7)).isoformat()
                d = apply_action(users[who], d.code, action, body, at=at)
            if d.status == "result_returned" and rng.random() < 0.3:
                Rating.objects.create(dossier=d, score=rng.choices([3, 2, 1], [7, 2, 1])[0])
            added += 1
    return added
