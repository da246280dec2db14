"""Official working-calendar decisions, loaded as national overrides (seed-demo, migrations).

The ``holidays`` package knows the statutory holidays (Bộ luật Lao động 2019, Art. 112),
lunar ones included; the Prime Minister's yearly decisions on Tết and Quốc khánh days,
swapped days and compensatory working Saturdays are listed here as data. Sources:
``shared/domain/deadlines-and-calendar.md`` (2026 public-sector calendar).
"""

from __future__ import annotations

import datetime as dt

D = dt.date
SRC_2026 = "Lịch nghỉ năm 2026 khu vực công (Thủ tướng Chính phủ phê duyệt; thanhnien.vn 13/10/2025, 13/01/2026)"

# Tết Bính Ngọ: mùng 1 is Tue 17/2/2026, and the break Sat 14/2 – Sun 22/2 runs from 27 tháng
# Chạp to mùng 6, so Mon 16/2 is 29 tháng Chạp (the last day of the lunar year).
# (date, kind, name, decision)
OFFICIAL_DAYS: list[tuple[dt.date, str, str, str]] = [
    (D(2026, 1, 1), "off", "Tết Dương lịch", "Bộ luật Lao động 2019, Điều 112"),
    (D(2026, 1, 2), "off", "Nghỉ hoán đổi Tết Dương lịch (làm bù thứ Bảy 10/01)", SRC_2026),
    (D(2026, 1, 10), "working", "Làm việc bù cho ngày 02/01", SRC_2026),
    (D(2026, 2, 16), "off", "Tết Nguyên đán Bính Ngọ (29 tháng Chạp, giao thừa)", SRC_2026),
    (D(2026, 2, 17), "off", "Tết Nguyên đán Bính Ngọ (mùng 1)", SRC_2026),
    (D(2026, 2, 18), "off", "Tết Nguyên đán Bính Ngọ (mùng 2)", SRC_2026),
    (D(2026, 2, 19), "off", "Tết Nguyên đán Bính Ngọ (mùng 3)", SRC_2026),
    (D(2026, 2, 20), "off", "Tết Nguyên đán Bính Ngọ (mùng 4)", SRC_2026),
    (D(2026, 4, 27), "off", "Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch rơi vào Chủ nhật 26/4)", SRC_2026),
    (D(2026, 4, 30), "off", "Ngày Chiến thắng", "Bộ luật Lao động 2019, Điều 112"),
    (D(2026, 5, 1), "off", "Ngày Quốc tế lao động", "Bộ luật Lao động 2019, Điều 112"),
    (D(2026, 8, 22), "working", "Làm việc bù cho ngày 31/8", SRC_2026),
    (D(2026, 8, 31), "off", "Nghỉ hoán đổi dịp Quốc khánh (làm bù thứ Bảy 22/8)", SRC_2026),
    (D(2026, 9, 1), "off", "Quốc khánh", SRC_2026),
    (D(2026, 9, 2), "off", "Quốc khánh", "Bộ luật Lao động 2019, Điều 112"),
]


def load_official_days(calendar_day_model) -> int:
    """Create or update the national overrides above; returns how many rows were written."""
    written = 0
    for day, kind, name, decision in OFFICIAL_DAYS:
        obj, created = calendar_day_model.objects.get_or_create(
            calendar=None, date=day, defaults={"kind": kind, "name": name, "decision": decision}
        )
        if created:
            written += 1
    return written
