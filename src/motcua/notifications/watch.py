"""The daily overdue watch (issue 9 §5): once a day, the dossiers due within two working days
and those overdue are listed, and their handlers (the assignee) and the leaders of the unit
holding them are told, in one message each, never twice for the same dossier and day.

The list is the workbench's own: the queues "Sắp đến hạn" and "Quá hạn"
(:func:`motcua.office.queues.queue_conditions`: clock running, due by the end of the second
working day by the unit's calendar, or past due). ``WatchNotice`` (dossier, person, day,
unique) is what makes "once" hold, even if the task ran twice.

The worker's daily schedule enqueues :data:`overdue_watch` from 07:00 Vietnam time
(:mod:`motcua.server.periodic`, registered in ``apps.py``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from motcua.accounts.models import Membership, Role
from motcua.catalog.models import Unit
from motcua.dossiers.deadlines import due_soon_limits
from motcua.dossiers.models import Dossier
from motcua.links import public_url
from motcua.notifications.constants import Channel
from motcua.notifications.messages import moment
from motcua.notifications.models import Notification, WatchNotice
from motcua.notifications.services import _enqueue_on_commit
from motcua.dossiers.models import Status
from motcua.dossiers.timeliness import Timeliness, timeliness_q
from motcua.server.tasks import task
from motcua.worktime.calendar import VN_TZ

KIND = "overdue_watch"
OVERDUE, DUE_SOON = "overdue", "due_soon"


def watch_list(now: dt.datetime) -> list[tuple[Dossier, str]]:
    """Every dossier that is overdue or due within two working days at ``now``, due order."""
    running = timeliness_q(Timeliness.OVERDUE, now) | (
        timeliness_q(Timeliness.WITHIN_DEADLINE, now) & ~Q(status=Status.AWAITING_SUPPLEMENT))
    units = list(Unit.objects.filter(pk__in=Dossier.objects.filter(running).values("current_unit_id")))
    if not units:
        return []
    limits = due_soon_limits(units, now)
    soon = Q(pk__in=[])
    for unit_id, limit in limits.items():
        soon |= Q(current_unit_id=unit_id, due_at__lte=limit)
    dossiers = (
        Dossier.objects.filter(timeliness_q(Timeliness.OVERDUE, now)
                               | (timeliness_q(Timeliness.WITHIN_DEADLINE, now) & ~Q(status=Status.AWAITING_SUPPLEMENT) & soon))
        .select_related("procedure", "current_unit", "assignee").order_by("due_at", "code")
    )
    return [(d, OVERDUE if d.due_at < now else DUE_SOON) for d in dossiers]


def _leaders_by_unit(unit_ids: set[int]) -> dict[int, list]:
    found = defaultdict(list)
    for membership in Membership.objects.filter(unit_id__in=unit_ids, user__role=Role.LEADER,
                                                user__is_active=True).select_related("user"):
        found[membership.unit_id].append(membership.user)
    return found


def _digest(day: dt.date, items: list[tuple[Dossier, str]]) -> tuple[str, str]:
    with translation.override("vi"):
        overdue = sum(1 for _d, state in items if state == OVERDUE)
        subject = _("Ngày %(day)s: %(overdue)d hồ sơ quá hạn, %(soon)d hồ sơ sắp đến hạn") % {
            "day": f"{day:%d/%m/%Y}", "overdue": overdue, "soon": len(items) - overdue}
        lines = [_("Các hồ sơ Ông/Bà xử lý hoặc phụ trách cần chú ý hôm nay:"), ""]
        for dossier, state in items:
            label = _("QUÁ HẠN") if state == OVERDUE else _("sắp đến hạn")
            lines.append(_("- %(code)s · %(procedure)s · hạn %(due)s · %(label)s · %(url)s") % {
                "code": dossier.code, "procedure": dossier.procedure.name, "due": moment(dossier.due_at),
                "label": label, "url": public_url(f"/can-bo/ho-so/{dossier.code}/")})
        lines += ["", _("Danh sách này cũng có trong bàn làm việc: %(url)s") % {"url": public_url("/can-bo/?hang=qua-han")}]
    return subject, "\n".join(lines) + "\n"


def run_overdue_watch(now: dt.datetime | None = None) -> int:
    """Tell each handler and leader about their dossiers not yet noticed today; return how
    many people were told."""
    now = now or timezone.now()
    day = now.astimezone(VN_TZ).date()
    items = watch_list(now)
    leaders = _leaders_by_unit({d.current_unit_id for d, _s in items})
    per_person: dict[int, tuple[object, list]] = {}
    for dossier, state in items:
        people = list(leaders.get(dossier.current_unit_id, []))
        if dossier.assignee_id and dossier.assignee not in people:
            people.append(dossier.assignee)
        for person in people:
            per_person.setdefault(person.pk, (person, []))[1].append((dossier, state))
    told = 0
    with transaction.atomic():
        for person, their_items in per_person.values():
            noticed = set(WatchNotice.objects.filter(user=person, day=day).values_list("dossier_id", flat=True))
            fresh = [(d, s) for d, s in their_items if d.pk not in noticed]
            if not fresh:
                continue
            try:
                with transaction.atomic():
                    WatchNotice.objects.bulk_create([WatchNotice(dossier=d, user=person, day=day, state=s) for d, s in fresh])
            except IntegrityError:  # another run told them meanwhile
                continue
            told += 1
            if not person.email:
                continue  # the workbench shows the same list
            subject, body = _digest(day, fresh)
            notification = Notification.objects.create(
                dossier=None, user=person, kind=KIND, channel=Channel.EMAIL, recipient=person.email,
                subject=subject[:300], body=body, next_attempt_at=now,
            )
            _enqueue_on_commit(notification.pk)
    return told


@task()
def overdue_watch() -> int:
    """The daily task (see the module's docstring)."""
    return run_overdue_watch()
