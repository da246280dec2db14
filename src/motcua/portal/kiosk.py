"""The counter kiosk: ``/quay/danh-gia/`` (docs/pages.md) — a tablet on the counter, no login,
bound to its unit by an administrator (``feedback.models.Kiosk``: the admin's activation
link sets a long-lived cookie holding the kiosk's token). It offers the dossiers its unit
handed back in the last minutes, or takes a code typed in or read from the QR code, and
records one tap as the dossier's rating (``feedback.services.rate_at_kiosk``: once, on the
day of return, never before). It shows a dossier's code and procedure only, never a name.
"""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from motcua.dossiers.models import SATISFACTION_SCALE
from motcua.errors import DomainError
from motcua.feedback import services as feedback

COOKIE = "motcua_kiosk"
COOKIE_AGE = 5 * 365 * 24 * 3600


def _kiosk(request):
    return feedback.kiosk_for_token(request.COOKIES.get(COOKIE))


@never_cache
def activate(request):
    """``/quay/danh-gia/kich-hoat/?ma=TOKEN`` (the token in the query string: never in the access log)."""
    kiosk = feedback.kiosk_for_token(request.GET.get("ma", ""))
    if kiosk is None:
        return render(request, "portal/kiosk_off.html", {"reason": _("Mã kích hoạt không đúng hoặc máy đã bị tắt.")},
                      status=403)
    response = HttpResponseRedirect(reverse("kiosk:rate"))
    response.set_cookie(COOKIE, kiosk.token, max_age=COOKIE_AGE, httponly=True, samesite="Lax",
                        secure=request.is_secure())
    return response


@never_cache
def rate(request):
    kiosk = _kiosk(request)
    if kiosk is None:
        return render(request, "portal/kiosk_off.html", {"reason": _(
            "Máy này chưa được gắn với đơn vị nào. Quản trị viên mở đường dẫn kích hoạt của máy trên thiết bị này.")},
            status=403)
    context = {"kiosk": kiosk, "scale": SATISFACTION_SCALE}
    status = 200
    if request.method == "POST":
        try:
            score = int(request.POST.get("score", ""))
        except ValueError:
            score = 0
        try:
            feedback.rate_at_kiosk(kiosk, request.POST.get("code", ""), score)
        except DomainError as exc:
            context["error"], status = exc.message, exc.status
        else:
            return render(request, "portal/kiosk_thanks.html", {"kiosk": kiosk})
    elif request.GET.get("ma"):
        try:
            context["dossier"] = feedback.kiosk_dossier(kiosk, request.GET["ma"])
        except DomainError as exc:
            context["error"], status = exc.message, exc.status
    if "dossier" not in context:
        context["recent"] = feedback.kiosk_recent(kiosk)
    template = "portal/_kiosk_recent.html" if request.htmx and request.GET.get("moi") else "portal/kiosk.html"
    return render(request, template, context, status=status)
