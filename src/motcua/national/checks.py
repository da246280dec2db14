"""``motcua check --deploy`` for the national systems: each missing ``MOTCUA_…`` variable by
name, and a simulator switched on in production refused (an error, not a warning)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from motcua.national.base import CONNECTED, INCOMPLETE, NOT_CONFIGURED
from motcua.national.registry import register


@checks.register(checks.Tags.security, deploy=True)
def national_connections(app_configs=None, **kwargs):
    found = []
    for plugin in register:
        if plugin.sandbox_on() and not settings.DEBUG:
            found.append(checks.Error(
                f"{plugin.sandbox_variable} đang bật: kết nối {plugin.verbose_name} đang dùng hệ thống mô phỏng, không phải hệ thống thật. / "
                f"{plugin.sandbox_variable} is true: {plugin.identifier} talks to the built-in simulator, not the real system.",
                hint=f"Never in production: unset {plugin.sandbox_variable} and set {', '.join(plugin.required_settings())}.",
                id=f"motcua.national.E{_number(plugin)}01",
            ))
            continue
        state = plugin.state()
        if state == CONNECTED:
            continue
        if state == NOT_CONFIGURED and not plugin.expected:
            continue
        missing = plugin.missing()
        found.append(checks.Warning(
            f"Chưa kết nối {plugin.verbose_name}: thiếu {', '.join(missing)}. / "
            f"{plugin.identifier} is not connected: {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set.",
            hint="docs/operators/national.md",
            id=f"motcua.national.W{_number(plugin)}0{1 if state == NOT_CONFIGURED else 2}",
        ))
        assert state in (NOT_CONFIGURED, INCOMPLETE)
    return found


def _number(plugin) -> int:
    """A stable digit per system for the check ids (dvcqg 1, vnpost 2, population 3, others 9)."""
    return {"dvcqg": 1, "vnpost": 2, "population": 3}.get(plugin.identifier, 9)
