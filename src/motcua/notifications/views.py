"""The citizen's choice of notification channels (opt-in, issue 9 §4): ``/tai-khoan/thong-bao/``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.notifications.constants import Channel
from motcua.notifications.models import ChannelChoice
from motcua.notifications.registry import register
from motcua.notifications.services import set_channels


@login_required
@require_http_methods(["GET", "POST"])
def channels(request):
    choice = ChannelChoice.objects.filter(user=request.user).first() or ChannelChoice(user=request.user)
    available = register.channels_on()
    if request.method == "POST":
        picked = set(request.POST.getlist("channel"))
        set_channels(request.user, **{c: (c in picked and c in available) or (c not in available and getattr(choice, c))
                                      for c in Channel.values})
        messages.success(request, _("Đã lưu cách nhận thông báo."))
        return redirect("notifications:channels")
    options = [
        {"value": c.value, "label": c.label, "checked": getattr(choice, c.value)}
        for c in Channel if c.value in available
    ]
    return render(request, "notifications/channels.html", {"options": options})
