"""The citizen's choice of notification channels (opt-in, issue 9 §4): ``/tai-khoan/thong-bao/``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.notifications.services import channel_options, choose_channels


@login_required
@require_http_methods(["GET", "POST"])
def channels(request):
    if request.method == "POST":
        choose_channels(request.user, request.POST.getlist("channel"))
        messages.success(request, _("Đã lưu cách nhận thông báo."))
        return redirect("notifications:channels")
    return render(request, "notifications/channels.html", {"options": channel_options(request.user)})
