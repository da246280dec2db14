"""System checks: a demo sender in production, a real sender without its credentials."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from motcua.notifications.registry import register

def required(identifier: str) -> list[tuple[str, object]]:
    """The variables sender ``identifier`` cannot work without, with their values."""
    if identifier == "esms":
        return [("MOTCUA_ESMS_API_KEY", settings.ESMS_API_KEY), ("MOTCUA_ESMS_SECRET_KEY", settings.ESMS_SECRET_KEY),
                ("MOTCUA_ESMS_BRANDNAME", settings.ESMS_BRANDNAME)]
    if identifier == "zns":
        return [("MOTCUA_ZALO_ACCESS_TOKEN", settings.ZALO_ACCESS_TOKEN), ("MOTCUA_ZALO_TEMPLATES", settings.ZALO_TEMPLATES)]
    return []


@checks.register(checks.Tags.compatibility)
def check_senders(app_configs=None, **kwargs):
    problems = []
    for channel, identifier in settings.NOTIFICATION_SENDERS.items():
        if not identifier:
            continue
        if identifier not in register or register.get(identifier).channel != channel:
            problems.append(checks.Error(
                f"No {channel} sender called {identifier!r}.", id="motcua.notifications.E001",
                hint=f"Choose one of: {', '.join(s.identifier for s in register if s.channel == channel)}.",
            ))
            continue
        sender = register.get(identifier)
        if sender.demo and not settings.DEBUG:
            problems.append(checks.Warning(
                f"The {channel} channel uses the demo sender {identifier!r}: nothing is really sent.",
                id="motcua.notifications.W001", hint="Configure a real sender, or switch the channel off, in production.",
            ))
        missing = [variable for variable, value in required(identifier) if not value]
        if missing:
            problems.append(checks.Error(
                f"The {channel} sender {identifier!r} needs {', '.join(missing)}.", id="motcua.notifications.E002",
            ))
    return problems
