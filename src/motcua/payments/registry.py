"""The registry of payment gateways: plugins register themselves by identifier."""

from __future__ import annotations

from django.conf import settings

from motcua.errors import Conflict, InvalidInput, NotFound
from motcua.payments.base import BasePlugin


class Registry:
    def __init__(self) -> None:
        self._plugins: dict[str, BasePlugin] = {}

    def register(self, plugin_class: type[BasePlugin]) -> type[BasePlugin]:
        """Class decorator: ``@register`` adds an instance of the plugin."""
        plugin = plugin_class()
        if not plugin.identifier or plugin.identifier in self._plugins:
            raise ValueError(f"payment plugin identifier missing or taken: {plugin.identifier!r}")
        self._plugins[plugin.identifier] = plugin
        return plugin_class

    def __iter__(self):
        return iter(self._plugins.values())

    def __contains__(self, identifier: str) -> bool:
        return identifier in self._plugins

    def enabled(self) -> list[str]:
        """Identifiers of the gateways this installation offers, first the default.

        ``MOTCUA_PAYMENT_GATEWAYS`` (``settings.PAYMENT_GATEWAYS``) chooses them; default: none.
        """
        return [identifier for identifier in settings.PAYMENT_GATEWAYS if identifier in self._plugins]

    def get(self, identifier: str) -> BasePlugin:
        """A registered gateway (enabled or not: late reports of old orders still count)."""
        plugin = self._plugins.get(identifier)
        if plugin is None:
            raise NotFound(f"Không có cổng thanh toán “{identifier}”.", code="gateway_not_found")
        return plugin

    def choose(self, identifier: str | None = None) -> BasePlugin:
        """The gateway for a new order: ``identifier`` if enabled, else the default.

        None enabled → 409 ``no_gateway`` (CONTRACT §2).
        """
        enabled = self.enabled()
        if not enabled:
            raise Conflict("Đơn vị chưa bật cổng thanh toán trực tuyến: vui lòng nộp phí, lệ phí tại Bộ phận Một cửa.",
                           code="no_gateway")
        if identifier is None:
            return self._plugins[enabled[0]]
        if identifier not in enabled:
            raise InvalidInput("Cổng thanh toán không được hỗ trợ.", code="gateway_not_enabled",
                               fields={"gateway": [f"Chọn một trong: {', '.join(enabled)}."]})
        return self._plugins[identifier]


register = Registry()
