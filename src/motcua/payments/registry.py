"""The registry of payment gateways: plugins register themselves by identifier
(the shared shape: :class:`motcua.plugins.PluginRegistry`)."""

from __future__ import annotations

from django.conf import settings

from motcua.errors import Conflict, InvalidInput, NotFound
from motcua.payments.base import BasePlugin
from motcua.plugins import PluginRegistry


def _gateway_not_found(identifier: str) -> NotFound:
    return NotFound(f"Không có cổng thanh toán “{identifier}”.", code="gateway_not_found")


class PaymentRegistry(PluginRegistry[BasePlugin]):
    """``enabled()``: the gateways this installation offers, first the default —
    ``MOTCUA_PAYMENT_GATEWAYS`` (``settings.PAYMENT_GATEWAYS``) chooses them; default: none.
    ``get()``: a registered gateway, enabled or not (late reports of old orders still count)."""

    def choose(self, identifier: str | None = None) -> BasePlugin:
        """The gateway for a new order: ``identifier`` if enabled, else the default.

        None enabled → 409 ``no_gateway`` (docs/api.md).
        """
        enabled = self.enabled()
        if not enabled:
            raise Conflict("Đơn vị chưa bật cổng thanh toán trực tuyến: vui lòng nộp phí, lệ phí tại Bộ phận Một cửa.",
                           code="no_gateway")
        if identifier is None:
            return self.get(enabled[0])
        if identifier not in enabled:
            raise InvalidInput("Cổng thanh toán không được hỗ trợ.", code="gateway_not_enabled",
                               fields={"gateway": [f"Chọn một trong: {', '.join(enabled)}."]})
        return self.get(identifier)


register = PaymentRegistry("payment plugin", missing=_gateway_not_found,
                           enabled_setting=lambda: settings.PAYMENT_GATEWAYS)
