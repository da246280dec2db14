"""Demo data (docs/commands.md#demo-data): the units as they were when the seeds' figures were reported,
one post-2025 commune directly under its province, the official calendar, the catalog and
staff accounts. Idempotent: running it again changes nothing."""

from __future__ import annotations

import json

from django.db import transaction
from django.db.models import Q

from motcua.accounts.models import Membership, Role, User
from motcua.catalog.importexport import import_catalog
from motcua.catalog.models import Level, RequiredDocument, Unit
from motcua.catalog.samples import CATALOG_FILE
from motcua.worktime.models import CalendarDay, WorkCalendar
from motcua.worktime.official import load_official_days

DEMO_PASSWORD = "motcua-demo"

# (code, name, level, parent)
UNITS = [
    ("YB", "Tỉnh Yên Bái", Level.PROVINCE, None),
    ("YB.LY", "Huyện Lục Yên", Level.DISTRICT, "YB"),
    ("YB.LY.YT", "Thị trấn Yên Thế", Level.COMMUNE, "YB.LY"),
    ("YB.LY.MX", "Xã Minh Xuân", Level.COMMUNE, "YB.LY"),
    ("LC", "Tỉnh Lai Châu", Level.PROVINCE, None),
    ("LC.NN", "Huyện Nậm Nhùn", Level.DISTRICT, "LC"),
    ("LC.NN.NM", "Xã Nậm Manh", Level.COMMUNE, "LC.NN"),
    # Since 1/7/2025 (NQ 202/2025/QH15): two levels, communes directly under the province.
    ("LC.TP", "Phường Tân Phong", Level.COMMUNE, "LC"),
]

# (username, full name, role, unit)
STAFF = [
    ("admin", "Quản trị hệ thống", Role.ADMIN, "YB"),
    ("thanhtra.yb", "Thanh tra tỉnh Yên Bái", Role.INSPECTOR, "YB"),
    ("motcua.yt", "Nguyễn Thị Hoa", Role.COUNTER, "YB.LY.YT"),
    ("chuyenvien.yt", "Trần Văn Nam", Role.SPECIALIST, "YB.LY.YT"),
    ("lanhdao.yt", "Lê Văn Hùng", Role.LEADER, "YB.LY.YT"),
    ("motcua.mx", "Hoàng Thị Mai", Role.COUNTER, "YB.LY.MX"),
    ("chuyenvien.mx", "Vàng A Sinh", Role.SPECIALIST, "YB.LY.MX"),
    ("lanhdao.mx", "Đặng Văn Lực", Role.LEADER, "YB.LY.MX"),
    ("motcua.ly", "Phạm Thu Trang", Role.COUNTER, "YB.LY"),
    ("chuyenvien.ly", "Ngô Đức Anh", Role.SPECIALIST, "YB.LY"),
    ("lanhdao.ly", "Vũ Minh Tuấn", Role.LEADER, "YB.LY"),
    ("motcua.nm", "Lò Thị Xuân", Role.COUNTER, "LC.NN.NM"),
    ("chuyenvien.nm", "Pờ A Chu", Role.SPECIALIST, "LC.NN.NM"),
    ("lanhdao.nm", "Tao Văn Dũng", Role.LEADER, "LC.NN.NM"),
    ("motcua.tp", "Đỗ Thị Lan", Role.COUNTER, "LC.TP"),
    ("chuyenvien.tp", "Bùi Văn Khánh", Role.SPECIALIST, "LC.TP"),
    ("lanhdao.tp", "Lương Thị Hà", Role.LEADER, "LC.TP"),
    ("congdan", "Nguyễn Văn An", Role.CITIZEN, None),
]


def ensure_units() -> int:
    created = 0
    for code, name, level, parent in UNITS:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            Unit.objects.create(code=code, name=name, level=level,
                                parent=Unit.objects.get(code=parent) if parent else None)
            created += 1
    return created


def ensure_calendar() -> int:
    WorkCalendar.objects.get_or_create(
        code="mac-dinh",
        defaults={"name": "Giờ hành chính (mặc định)", "periods": [["07:30", "11:30"], ["13:00", "17:00"]], "is_default": True},
    )
    return load_official_days(CalendarDay)


def ensure_staff(password: str = DEMO_PASSWORD) -> int:
    created = 0
    for username, full_name, role, unit_code in STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, role=role,
                        is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN)
            user.set_password(password)
            user.save()
            created += 1
        if unit_code:
            Membership.objects.get_or_create(user=user, unit=Unit.objects.get(code=unit_code))
    return created


#: The declarations of the demo catalog whose official form Motcua does not hold: each offers a
#: blank Motcua draws (catalog.blankforms), drawn on its first download or by ``seed-demo``.
DECLARATIONS = ("Tờ khai ", "Đơn ")


def ask_blank_forms(codes) -> int:
    """Mark the declarations of the procedures ``codes`` as offering a drawn blank; how many were marked."""
    names = Q()
    for start in DECLARATIONS:
        names |= Q(name__startswith=start)
    return RequiredDocument.objects.filter(names, procedure__code__in=codes, template_blank=False).update(template_blank=True)


@transaction.atomic
def seed_demo(with_staff: bool = True) -> dict[str, int]:
    result = {"units": ensure_units(), "calendar_days": ensure_calendar()}
    catalog = json.loads(CATALOG_FILE.read_text(encoding="utf-8"))
    result.update(import_catalog(catalog))
    ask_blank_forms([p["code"] for p in catalog["procedures"]])
    if with_staff:
        result["users"] = ensure_staff()
    result["signers"] = ensure_demo_signing()
    return result


def ensure_demo_signing() -> int:
    """``make run``'s demo with its PKI on (``MOTCUA_SIGNING_DEMO``): each demo province signs with the
    demo PKI's agency key, printed forms included ("ký số các mẫu in" on, ``signing.keys.printed_forms_signed``),
    so the demo shows signed receipts. A :class:`~motcua.signing.models.Signer` row marked DEMO, which
    the deploy check refuses in production (motcua.signing.E002); a row an administrator set is left
    as it is. Nothing without the demo PKI. Returns the rows added."""
    from django.conf import settings

    from motcua.signing.models import Signer

    if not settings.SIGNING_DEMO:
        return 0
    added = 0
    for code, _name, _level, parent in UNITS:
        if parent is None:
            _row, created = Signer.objects.get_or_create(
                unit=Unit.objects.get(code=code),
                defaults={"backend": "demo", "key_label": "agency", "sign_printed_forms": True})
            added += created
    return added
