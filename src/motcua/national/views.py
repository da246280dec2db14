"""The operator's page of the national connections (docs/pages.md ``/can-bo/lien-thong/``, admins):
each system's state; the outbox by day (pending, failed, sent, parked); each failure with the
national portal's answer, retried one by one or all at once; the sync rate (QĐ 766 indicator 1.4,
the scorecard's own computation) for a period; the inbound log; the last catalog pull and its
diff (and the last one that failed, with what was wrong)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.models import Role
from motcua.catalog.models import Unit
from motcua.errors import InvalidInput
from motcua.national import outbox
from motcua.national.base import STATE_LABELS
from motcua.national.constants import OutboxState
from motcua.national.contrib.dvcqg.questions import PULL_KEY as QUESTIONS_PULL_KEY
from motcua.national.contrib.vnpost.orders import CURSOR_KEY as POSTAL_CURSOR_KEY
from motcua.national.models import CatalogPull, InboundLog, OutboxItem, PullState
from motcua.national.registry import register
from motcua.reports.scorecard import synced_dossiers
from motcua.reports.services import ReportQuery, parse_period, rate
from motcua.worktime.calendar import VN_TZ

DAYS_SHOWN = 14
FAILURES_SHOWN = 50
INBOUND_SHOWN = 30


def admin_required(view):
    @login_required(login_url="office:login")
    def wrapper(request, *args, **kwargs):
        if not (request.user.role == Role.ADMIN or request.user.is_superuser):
            raise PermissionDenied(_("Chỉ quản trị hệ thống được xem trang kết nối liên thông."))
        return view(request, *args, **kwargs)
    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _period(request) -> tuple[dt.date, dt.date, dict]:
    today = timezone.now().astimezone(VN_TZ).date()
    try:
        start, end = parse_period(request.GET.get("from") or today.replace(day=1), request.GET.get("to") or today)
        return start, end, {}
    except InvalidInput as exc:
        return today.replace(day=1), today, exc.fields


def sync_rates(start: dt.date, end: dt.date) -> list[dict]:
    """1.4 for each top-level unit and everything below it."""
    rows = []
    for unit in Unit.objects.valid_on().filter(parent__isnull=True).order_by("code"):
        synced, received = synced_dossiers(ReportQuery(unit, start, end, True))
        rows.append({"unit": unit, "synced": synced, "received": received, "pct": rate(synced, received)})
    return rows


@admin_required
@require_http_methods(["GET"])
def operator_page(request):
    start, end, problems = _period(request)
    since = timezone.now().astimezone(VN_TZ).date() - dt.timedelta(days=DAYS_SHOWN - 1)
    failures = (OutboxItem.objects.filter(state__in=[OutboxState.FAILED, OutboxState.PARKED])
                .select_related("dossier").order_by("-updated_at")[:FAILURES_SHOWN])
    return render(request, "national/operator.html", {
        "systems": [{"plugin": p, "state": p.state(), "label": STATE_LABELS[p.state()], "missing": p.missing()}
                    for p in register],
        "totals": {s: OutboxItem.objects.filter(state=s).count() for s in OutboxState.values},
        "state_labels": dict(OutboxState.choices),
        "days": outbox.counts_by_day(since),
        "paused_until": outbox.paused_until(),
        "failures": failures,
        "date_from": start, "date_to": end, "period_problems": problems,
        "rates": sync_rates(start, end),
        "inbound": InboundLog.objects.select_related("dossier").order_by("-received_at", "-id")[:INBOUND_SHOWN],
        # The addresses polled for dossiers (other rows are other pulls' cursors: VNPost's, the questions').
        "pulls": PullState.objects.exclude(url__in=[QUESTIONS_PULL_KEY, POSTAL_CURSOR_KEY]).order_by("url"),
        "questions_pull": PullState.objects.filter(url=QUESTIONS_PULL_KEY).first(),
        **catalog_pulls(),
        **postal_orders(),
    })


def postal_orders() -> dict:
    """VNPost: the orders VNPost refused or that could not be sent, and the latest ones."""
    from motcua.national.models import PostalOrder

    base = PostalOrder.objects.select_related("dossier")
    return {
        "postal_problems": list(base.filter(state__in=[PostalOrder.State.REFUSED, PostalOrder.State.FAILED])
                                .order_by("-created_at")[:FAILURES_SHOWN]),
        "postal_latest": list(base.order_by("-created_at", "-id")[:INBOUND_SHOWN]),
    }


def catalog_pulls() -> dict:
    """The last finished catalog pull, and the last failed one when it came after it."""
    done = CatalogPull.objects.exclude(outcome__in=[CatalogPull.Outcome.RUNNING, CatalogPull.Outcome.FAILED]).first()
    failed = CatalogPull.objects.filter(outcome=CatalogPull.Outcome.FAILED).first()
    if failed is not None and done is not None and failed.started_at < done.started_at:
        failed = None
    return {"catalog_pull": done, "catalog_failed": failed}


@admin_required
@require_POST
def retry(request):
    """Retry one failed or parked item (``item``), or all of them."""
    item = request.POST.get("item", "")
    ids = [int(item)] if item.isdigit() else None
    count = outbox.retry(ids)
    messages.success(request, _("Đã đưa %(n)s mục vào hàng đợi gửi lại.") % {"n": count})
    return redirect("national_office:operator")


@login_required(login_url="office:login")
@require_POST
def postal_action(request, code: str):
    """The counter's VNPost actions on a dossier: ``collect`` (ask VNPost to collect the papers),
    ``cancel`` or ``resend`` an order (``order``). Back to the dossier's page with what happened."""
    from motcua.dossiers import scope
    from motcua.errors import DomainError, NotFound
    from motcua.national.contrib.vnpost import orders
    from motcua.national.contrib.vnpost.panel import may_manage
    from motcua.national.models import PostalOrder

    try:
        dossier = scope.get_visible(request.user, code)
    except NotFound:
        raise Http404(code) from None
    if not may_manage(request.user, dossier):
        raise PermissionDenied(_("Chỉ cán bộ Bộ phận Một cửa của đơn vị được gửi, hủy đơn bưu chính."))
    what = request.POST.get("what", "")
    try:
        if what == "collect":
            order = orders.request_collection(dossier)
            messages.success(request, _("Đã tạo đơn thu gom hồ sơ %(n)s; hệ thống đang gửi VNPost.") % {"n": order.order_number})
        elif what in ("cancel", "resend"):
            order = PostalOrder.objects.filter(dossier=dossier, pk=int(request.POST.get("order") or 0)
                                               if str(request.POST.get("order") or "").isdigit() else 0).first()
            if order is None:
                raise Http404("order")
            if what == "cancel":
                orders.cancel(order)
                messages.success(request, _("Đã hủy đơn bưu chính %(n)s.") % {"n": order.order_number})
            else:
                order = orders.resend(order)
                messages.success(request, _("Đang gửi lại đơn %(n)s tới VNPost.") % {"n": order.order_number})
        else:
            messages.error(request, _("Thao tác không hợp lệ."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("office:dossier", code=code)
