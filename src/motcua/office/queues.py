"""Work queues of the staff workbench: which dossiers each role looks at, and in what order.

Queues are views over :func:`motcua.dossiers.scope.visible_dossiers` (the only place
that decides who may see what); they never widen it, and the units a queue counts are the
scope's units (:func:`motcua.dossiers.scope.unit_ids`). A queue narrows to the dossiers a
role acts on next: the counter's online filings waiting to be accepted (the oldest
arrival first), new and finished ones, the specialist's own, the leader's
waiting for approval. "Overdue" is the class of :mod:`motcua.dossiers.timeliness`;
"due soon" (within the deadline, due in the next 2 working days) uses the unit's working
calendar through :func:`motcua.dossiers.deadlines.due_soon_limits`, the rule the overdue
watch (notifications/watch.py) uses too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Role, User
from motcua.catalog.models import Unit
from motcua.dossiers.models import OPEN_STATUSES, Dossier, Status
from motcua.dossiers import scope
from motcua.dossiers.deadlines import DUE_SOON_WORKING_DAYS, due_soon_limits
from motcua.dossiers.scope import units_visibility, visible_dossiers
from motcua.dossiers.timeliness import Timeliness, timeliness_q

@dataclass(frozen=True)
class Queue:
    slug: str
    label: str
    hint: str


QUEUES: dict[str, Queue] = {q.slug: q for q in (
    Queue("cho-tiep-nhan", _("Chờ tiếp nhận"), _("Nộp trực tuyến, chờ kiểm tra và tiếp nhận; hồ sơ nộp sớm nhất ở trên cùng.")),
    Queue("moi", _("Hồ sơ mới"), _("Đã tiếp nhận nhưng chưa phân công xử lý.")),
    Queue("cua-toi", _("Của tôi"), _("Hồ sơ được phân công cho bạn.")),
    Queue("cho-phe-duyet", _("Chờ phê duyệt"), _("Chuyên viên đã trình, chờ lãnh đạo phê duyệt.")),
    Queue("cho-bo-sung", _("Chờ bổ sung"), _("Đang chờ người nộp bổ sung giấy tờ (tạm dừng tính thời gian).")),
    Queue("sap-den-han", _("Sắp đến hạn"), _("Đến hạn trong 2 ngày làm việc tới.")),
    Queue("qua-han", _("Quá hạn"), _("Đã quá ngày hẹn trả mà chưa giải quyết xong.")),
    Queue("cho-tra", _("Chờ trả kết quả"), _("Đã có kết quả (giải quyết hoặc từ chối), chờ trả cho người nộp.")),
    Queue("tat-ca", _("Tất cả"), _("Mọi hồ sơ bạn được xem (lãnh đạo, thanh tra: cả của các đơn vị trực thuộc).")),
)}

ROLE_QUEUES: dict[str, tuple[str, ...]] = {
    Role.COUNTER: ("cho-tiep-nhan", "moi", "cho-bo-sung", "sap-den-han", "qua-han", "cho-tra", "tat-ca"),
    Role.SPECIALIST: ("cua-toi", "cho-bo-sung", "sap-den-han", "qua-han", "tat-ca"),
    Role.LEADER: ("cho-phe-duyet", "moi", "cua-toi", "cho-bo-sung", "sap-den-han", "qua-han", "tat-ca"),
    Role.INSPECTOR: ("sap-den-han", "qua-han", "tat-ca"),
    Role.ADMIN: ("sap-den-han", "qua-han", "tat-ca"),
}


def queues_for(user: User) -> list[Queue]:
    return [QUEUES[slug] for slug in ROLE_QUEUES.get(user.role, ("tat-ca",))]


def user_units(user: User) -> list[Unit]:
    """The units the user belongs to, in tree order."""
    return list(Unit.objects.filter(pk__in=scope.member_unit_ids(user)).order_by("path"))


def _staff_unit_ids(user: User) -> list[int]:
    """The units whose dossiers a staff queue holds: the units a counter officer, specialist
    or leader works at (``scope.handling_unit_ids``: a district leader reads the communes'
    dossiers, but their queues are the district's); for inspectors the units of their scope
    (an admin's scope, every unit, has no staff queues: it is never asked)."""
    if user.role in scope.HANDLING_ROLES:
        return sorted(scope.handling_unit_ids(user))
    return sorted(scope.unit_ids(user) or ())


def queue_conditions(user: User, units: list[Unit], now: dt.datetime | None = None) -> dict[str, Q]:
    """One ``Q`` per queue slug, to apply on ``visible_dossiers(user)``."""
    now = now or timezone.now()
    unit_ids = _staff_unit_ids(user)
    here = Q(current_unit_id__in=unit_ids)
    staff_scope = here if user.role in (Role.COUNTER, Role.SPECIALIST, Role.LEADER) else Q()
    if user.role == Role.SPECIALIST:
        clock_scope = Q(assignee=user)
    else:
        clock_scope = staff_scope
    limits = due_soon_limits(units, now) if units else {}
    if limits:
        soon = Q(pk__in=[])
        for unit_id, limit in limits.items():
            soon |= Q(current_unit_id=unit_id, due_at__lte=limit)
    else:
        # Inspectors or admins without a unit: the default calendar is good enough here.
        soon = Q(due_at__lte=now + dt.timedelta(days=DUE_SOON_WORKING_DAYS))
    new_online = Q(status=Status.SUBMITTED)
    unassigned = Q(status__in=[Status.RECEIVED, Status.PROCESSING], assignee__isnull=True)
    return {
        "cho-tiep-nhan": staff_scope & new_online,
        "moi": staff_scope & unassigned,
        "cua-toi": Q(assignee=user, status__in=OPEN_STATUSES),
        "cho-phe-duyet": staff_scope & Q(status=Status.AWAITING_APPROVAL),
        "cho-bo-sung": (clock_scope if user.role == Role.SPECIALIST else staff_scope) & Q(status=Status.AWAITING_SUPPLEMENT),
        # Within the deadline with the clock running (not waiting for the applicant), due soon.
        "sap-den-han": clock_scope & timeliness_q(Timeliness.WITHIN_DEADLINE, now)
        & ~Q(status=Status.AWAITING_SUPPLEMENT) & soon,
        "qua-han": clock_scope & timeliness_q(Timeliness.OVERDUE, now),
        "cho-tra": (here | Q(unit_id__in=unit_ids)) & Q(status__in=[Status.APPROVED, Status.REJECTED]),
        "tat-ca": Q(),
    }


# Every queue but "all" holds dossiers in these statuses: counting them reads only the
# unit's open dossiers (an index range), never its archive.
WORKING_STATUSES = OPEN_STATUSES | {Status.APPROVED, Status.REJECTED}


def queue_counts(user: User, units: list[Unit], conditions: dict[str, Q], slugs: list[str]) -> dict[str, int | None]:
    """Every working queue's size, exact, from aggregates over open and decided dossiers only;
    "all" (the archive) is not counted (None)."""
    working = [slug for slug in slugs if slug != "tat-ca"]
    counts: dict[str, int | None] = {}
    if working:
        aggregates = {slug.replace("-", "_"): Count("pk", filter=conditions[slug]) for slug in working}
        if user.role in (Role.COUNTER, Role.SPECIALIST, Role.LEADER):
            # A staff queue holds dossiers that are here, or assigned to the user, or (results
            # to hand back) received here: counted apart and added, each over an index range
            # (current unit + status; assignee + status; receiving unit + status), so no
            # count walks a unit's archive.
            unit_ids = _staff_unit_ids(user)
            here = Q(current_unit_id__in=unit_ids)  # always visible: the current unit took part
            parts = [  # disjoint; one simple index range each (SQLite does not combine ORs of them)
                Dossier.objects.filter(here, status__in=WORKING_STATUSES),
                Dossier.objects.exclude(here).filter(units_visibility(unit_ids), assignee=user, status__in=OPEN_STATUSES),
                Dossier.objects.exclude(here).filter(unit_id__in=unit_ids, status__in=[Status.APPROVED, Status.REJECTED]),
            ]
        else:
            parts = [visible_dossiers(user).filter(status__in=WORKING_STATUSES)]
        rows = [part.aggregate(**aggregates) for part in parts]
        counts = {slug: sum(row[slug.replace("-", "_")] for row in rows) for slug in working}
    if "tat-ca" in slugs:
        counts["tat-ca"] = None  # the whole archive: not counted on every page view
    return counts


# How a queue is listed: the nearest due date first, except filings waiting to be accepted,
# which are taken in the order they arrived (the oldest has waited longest).
ORDERING: dict[str, tuple[str, ...]] = {"cho-tiep-nhan": ("submitted_at", "code")}


def queue_dossiers(user: User, condition: Q, slug: str = "") -> QuerySet[Dossier]:
    """The dossiers of one queue, in the queue's order (:data:`ORDERING`; else nearest due first)."""
    return (
        visible_dossiers(user)
        .filter(condition)
        .select_related("procedure", "current_unit", "assignee")
        .order_by(*ORDERING.get(slug, ("due_at", "code")))
    )
