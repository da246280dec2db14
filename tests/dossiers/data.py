"""Shared test data for the dossier tests."""

from __future__ import annotations

import datetime as dt

from motcua.worktime.calendar import VN_TZ

APPLICANT = {
    "full_name": "Nguyễn Văn Bình",
    "id_number": "001090012345",
    "phone": "0912345678",
    "email": "binh@example.vn",
    "address": "Tổ 5, thị trấn Yên Thế",
}
# Cấp Giấy xác nhận tình trạng hôn nhân: commune level, 3 working days, no cut-off.
THREE_DAY_COMMUNE = "1.004873"
# Đăng ký khai sinh: commune level only, same day, 15:00 cut-off.
COMMUNE_ONLY = "1.001193"


def vn(*args) -> dt.datetime:
    """A moment in Vietnam's legal time zone."""
    return dt.datetime(*args, tzinfo=VN_TZ)

# The answers the online form of THREE_DAY_COMMUNE asks (catalog fixture ``form``).
ANSWERS = {"purpose": "Để đăng ký kết hôn", "marital_status": "Chưa kết hôn", "copies": 1}
