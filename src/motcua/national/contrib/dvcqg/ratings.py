"""The month's satisfaction ratings, sent as ``DongBoDanhGia`` (shared/domain/national-systems.md
§1.6): one item per procedure and unit, with the number of people who rated and the shares of
"rất hài lòng" (3), "hài lòng" (2) and "chưa hài lòng" (1) as strings ending in "%". OpenCPS
re-sends the current month's totals every 20 hours; Motcua's daily task puts the current month
in the outbox each day (and the previous month's on its first days, so late ratings count).
Comments are not sent: they may name people.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from motcua.dossiers.models import Rating
from motcua.worktime.calendar import VN_TZ


def month_key(day: dt.date) -> str:
    """``NgayTongHop``: ``M-YYYY``."""
    return f"{day.month}-{day.year}"


def month_bounds(key: str) -> tuple[dt.datetime, dt.datetime]:
    month, _, year = key.partition("-")
    start = dt.datetime(int(year), int(month), 1, tzinfo=VN_TZ)
    end = dt.datetime(start.year + (start.month == 12), start.month % 12 + 1, 1, tzinfo=VN_TZ)
    return start, end


def _share(part: int, total: int) -> str:
    return f"{round(part * 100 / total, 2) if total else 0:g}%"


def month_items(key: str) -> list[dict]:
    start, end = month_bounds(key)
    rows = (Rating.objects.filter(created_at__gte=start, created_at__lt=end)
            .values("dossier__procedure__code", "dossier__procedure__national_code", "dossier__procedure__name",
                    "dossier__unit__code", "dossier__unit__national_id", "dossier__unit__name")
            .annotate(total=Count("pk"), very=Count("pk", filter=Q(score=3)), satisfied=Count("pk", filter=Q(score=2)),
                      unhappy=Count("pk", filter=Q(score=1)))
            .order_by("dossier__unit__code", "dossier__procedure__code"))
    items = []
    for row in rows:
        shares = {"RatHaiLong": _share(row["very"], row["total"]), "HaiLong": _share(row["satisfied"], row["total"]),
                  "ChuaHaiLong": _share(row["unhappy"], row["total"])}
        items.append({
            "NgayTongHop": key,
            "TongSoNguoiDanhGia": row["total"],
            "MaThuTuc": row["dossier__procedure__national_code"] or row["dossier__procedure__code"],
            "NoiDung": row["dossier__procedure__name"],
            "DanhSachNoiDungYKien": [],
            "Madonvi": row["dossier__unit__national_id"] or row["dossier__unit__code"],
            "TenDonVi": row["dossier__unit__name"],
            "PhanTramDanhGia": shares,
            "PhanTramDanhGiaDichVu": dict(shares),
        })
    return items


def push_month(client, key: str):
    """Send the month's items (nothing to send is a success with nothing sent)."""
    from motcua.national.contrib.dvcqg.client import Answer
    from motcua.national.contrib.dvcqg.sync import Refused

    items = month_items(key)
    if not items:
        return Answer("0", f"Không có đánh giá trong tháng {key}.")
    answer = client.push("DongBoDanhGia", items)
    if not answer.ok:
        raise Refused("DongBoDanhGia", answer)
    return answer


def months_to_send(now: dt.datetime | None = None) -> list[str]:
    """The current month, and the previous one during the first five days of a month."""
    today = (now or timezone.now()).astimezone(VN_TZ).date()
    keys = [month_key(today)]
    if today.day <= 5:
        keys.insert(0, month_key(today.replace(day=1) - dt.timedelta(days=1)))
    return keys
