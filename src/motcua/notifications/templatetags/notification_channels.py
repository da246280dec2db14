"""``{% channel_choice %}``: the channels switched on here as checkboxes (name ``channel``), for
every form where a citizen chooses how to hear about dossiers: sign-up, the profile's page,
the online filing (issue 17 §3). A form that was posted back keeps what was ticked."""

from __future__ import annotations

from django import template

from motcua.notifications.services import channel_options

register = template.Library()


@register.inclusion_tag("notifications/_channel_choice.html", takes_context=True)
def channel_choice(context, user=None):
    options = channel_options(user)
    request = context.get("request")
    if request is not None and request.method == "POST" and request.POST.get("channels_offered"):
        picked = set(request.POST.getlist("channel"))
        options = [{**o, "checked": o["value"] in picked} for o in options]
    return {"options": options}
