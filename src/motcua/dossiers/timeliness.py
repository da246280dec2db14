"""Timeliness: how a dossier stands against its due time (docs/api.md ``timeliness``, docs/reports.md).

The one home of "early", "on time", "late", "within the deadline" and "overdue". Every
page, API field, list filter, workbench queue, tracking page and report asks here, as a
value (:func:`timeliness_of`) or as a query condition (:func:`timeliness_q`); both are
written from the same definition below and a table-driven test proves they agree.

The definition, as of a moment ``m`` (now, or a report period's end):

* no class (``None``) for a dossier that was never received: status ``submitted``
  (an online filing not yet accepted) or ``refused``;
* resolved before ``m`` (``resolved_at < m``; approved, rejected, result returned):
  ``late`` when resolved after ``due_at``; otherwise ``early`` when resolved on a calendar
  day (Asia/Ho_Chi_Minh) before the due day; otherwise ``on_time``;
* withdrawn before ``m``: no class;
* otherwise in progress: ``within_deadline`` while waiting for the applicant's
  supplementation (the clock stands: ``paused_at < m``, still paused), else ``overdue``
  when ``due_at`` is before ``m``, else ``within_deadline``.

Only timestamps decide (besides the two statuses of a dossier never received), so the
same rule answers "now" and "as of the period's end": a report (docs/reports.md) passes
``as_of=end`` and gets the class each dossier had then. Asked about the present
(``now``), :func:`timeliness_q` also names the statuses a dossier of that class has
today — implied by the timestamps, but it lets a queue read an index range instead of
a unit's archive.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import TruncDate
from django.db.models.lookups import LessThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Status
from motcua.errors import InvalidInput
from motcua.worktime.calendar import VN_TZ


class Timeliness(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Trễ hạn")
    WITHIN_DEADLINE = "within_deadline", _("Trong hạn")
    OVERDUE = "overdue", _("Quá hạn")


RESOLVED_CLASSES = frozenset({Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE})
IN_PROGRESS_CLASSES = frozenset({Timeliness.WITHIN_DEADLINE, Timeliness.OVERDUE})

# A dossier in one of these statuses was never received: it has no class at any moment.
NEVER_RECEIVED = frozenset({Status.SUBMITTED, Status.REFUSED})

# The statuses a dossier of each class has *today*, when the moment asked about is the
# present. Implied by the timestamps (approve/reject set ``resolved_at``, withdraw sets
# ``withdrawn_at``, a request for supplementation sets ``paused_at``); used only to let
# the database read the status indexes.
CURRENT_STATUSES: dict[str, frozenset[str]] = {
    Timeliness.EARLY: frozenset({Status.APPROVED, Status.REJECTED, Status.RESULT_RETURNED}),
    Timeliness.ON_TIME: frozenset({Status.APPROVED, Status.REJECTED, Status.RESULT_RETURNED}),
    Timeliness.LATE: frozenset({Status.APPROVED, Status.REJECTED, Status.RESULT_RETURNED}),
    Timeliness.WITHIN_DEADLINE: frozenset(
        {Status.RECEIVED, Status.PROCESSING, Status.AWAITING_SUPPLEMENT, Status.AWAITING_APPROVAL}),
    Timeliness.OVERDUE: frozenset({Status.RECEIVED, Status.PROCESSING, Status.AWAITING_APPROVAL}),
}


class LocalDate(TruncDate):
    """The calendar day of a moment in Asia/Ho_Chi_Minh, in SQL.

    PostgreSQL computes it natively (``AT TIME ZONE``). On SQLite Django would call a
    Python function for every row; Asia/Ho_Chi_Minh has kept one offset (UTC+07:00)
    since 1975, so SQLite's own ``date(moment, '+25200 seconds')`` is the same day, at
    native speed.
    """

    def __init__(self, expression):
        super().__init__(expression, tzinfo=VN_TZ)

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        offset = int(VN_TZ.utcoffset(dt.datetime(2000, 1, 1)).total_seconds())
        return f"date({sql}, '{offset:+d} seconds')", params


# ------------------------------------------------------------------ the rule's pieces, as conditions
# Moment-free conditions over one dossier's columns. Every other form of the rule is built from
# them: :func:`timeliness_q` below, the report's conditions (``reports.services``) and the SQL
# of the report's per-day counters (``reports.daily`` compiles these for each database with
# ``dossiers.rowsql``). :func:`timeliness_of` says the same in Python for one dossier (a
# table-driven test and a randomized one hold them equal); ``reports.recount`` is the
# independent check, written from the words of docs/reports.md, and nothing else calls it.

#: Received (counts anywhere): not refused, not an online filing still waiting to be accepted.
#: (Sorted: the SQL compiled from it is the same text in every process.)
RECEIVED = Q(refused_at__isnull=True) & ~Q(status__in=sorted(NEVER_RECEIVED))
#: Resolved after the due moment.
RESOLVED_LATE = Q(resolved_at__gt=F("due_at"))
#: Resolved on a calendar day (Asia/Ho_Chi_Minh) before the due day.
RESOLVED_EARLIER_DAY = Q(LessThan(LocalDate("resolved_at"), LocalDate("due_at")))


def resolved_class_q(kind: str) -> Q:
    """The resolved dossiers of class ``kind`` (early, on time, late), moment-free: the
    condition form of :func:`resolved_class`."""
    return {
        Timeliness.LATE: RESOLVED_LATE,
        Timeliness.EARLY: ~RESOLVED_LATE & RESOLVED_EARLIER_DAY,
        Timeliness.ON_TIME: ~RESOLVED_LATE & ~RESOLVED_EARLIER_DAY,
    }[Timeliness(kind)]


def overdue_at(moment: dt.datetime) -> Q:
    """Of the dossiers still in progress at ``moment``: due before it and not waiting for the
    applicant's supplementation (the clock stands while paused)."""
    return Q(due_at__lt=moment) & ~Q(paused_at__lt=moment)


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(VN_TZ).date()


def resolved_class(resolved_at: dt.datetime, due_at: dt.datetime) -> Timeliness:
    """``late`` / ``early`` / ``on_time`` of a result given at ``resolved_at`` against ``due_at``."""
    if resolved_at > due_at:
        return Timeliness.LATE
    if local_day(resolved_at) < local_day(due_at):
        return Timeliness.EARLY
    return Timeliness.ON_TIME


def _moment(now: dt.datetime | None, as_of: dt.datetime | None) -> tuple[dt.datetime, bool]:
    """The moment asked about, and whether it is the present."""
    if now is not None and as_of is not None:
        raise TypeError("pass now or as_of, not both")
    if as_of is not None:
        return as_of, False
    return (now or timezone.now()), True


def timeliness_of(dossier, now: dt.datetime | None = None, *, as_of: dt.datetime | None = None) -> Timeliness | None:
    """The class of ``dossier`` at ``now`` (default: this moment) or as of a past moment ``as_of``."""
    moment, _present = _moment(now, as_of)
    if dossier.status in NEVER_RECEIVED or dossier.refused_at is not None:
        return None
    if dossier.resolved_at is not None and dossier.resolved_at < moment:
        return resolved_class(dossier.resolved_at, dossier.due_at)
    if dossier.withdrawn_at is not None and dossier.withdrawn_at < moment:
        return None
    if dossier.paused_at is not None and dossier.paused_at < moment:
        return Timeliness.WITHIN_DEADLINE
    return Timeliness.OVERDUE if dossier.due_at < moment else Timeliness.WITHIN_DEADLINE


def timeliness_q(kind: str | None, now: dt.datetime | None = None, *, as_of: dt.datetime | None = None) -> Q:
    """The dossiers of class ``kind`` at ``now`` (default: this moment) or as of ``as_of``.

    ``kind`` is a :class:`Timeliness` value, or ``None`` for the dossiers with no class.
    The same definition as :func:`timeliness_of`, as a condition for ``filter()`` or
    ``Count(filter=…)``; it needs no annotation.
    """
    moment, present = _moment(now, as_of)
    resolved = RECEIVED & Q(resolved_at__lt=moment)  # NULL is never before anything
    running = RECEIVED & ~Q(resolved_at__lt=moment) & ~Q(withdrawn_at__lt=moment)
    conditions = {
        Timeliness.LATE: resolved & resolved_class_q(Timeliness.LATE),
        Timeliness.EARLY: resolved & resolved_class_q(Timeliness.EARLY),
        Timeliness.ON_TIME: resolved & resolved_class_q(Timeliness.ON_TIME),
        Timeliness.WITHIN_DEADLINE: running & ~overdue_at(moment),
        Timeliness.OVERDUE: running & overdue_at(moment),
    }
    if kind is None:
        cond = Q()
        for c in conditions.values():
            cond &= ~c
        return cond
    try:
        cond = conditions[Timeliness(kind)]
    except ValueError:
        raise ValueError(f"unknown timeliness class {kind!r}") from None
    if present:
        cond &= Q(status__in=CURRENT_STATUSES[kind])
    return cond


def parse_timeliness(value: str, field: str = "timeliness") -> Timeliness:
    """A class named in a query string, or :class:`InvalidInput` (422) naming the choices."""
    try:
        return Timeliness(str(value).strip())
    except ValueError:
        raise InvalidInput(
            "Phân loại thời hạn không hợp lệ.", code="invalid_timeliness",
            fields={field: [f"Chọn một trong: {', '.join(Timeliness.values)}."]},
        ) from None
