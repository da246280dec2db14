"""The payment gateway plugin interface (after Open Forms' ``payments/base.py``).

A gateway plugin knows where to send the citizen to pay (``start_payment``). What the gateway
reports back arrives on the plugin's own URLs (``contrib/<name>/urls.py``), is verified by
the plugin and applied through :mod:`motcua.payments.services`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from motcua.payments.models import PaymentOrder


class BasePlugin(ABC):
    """One payment gateway. Subclasses set ``identifier`` and ``verbose_name``."""

    identifier: str = ""
    verbose_name: str = ""

    @abstractmethod
    def start_payment(self, order: "PaymentOrder", request=None) -> str:
        """The absolute URL where the citizen pays ``order``."""

    def expires_at(self, order: "PaymentOrder"):
        """When ``order`` stops being payable (``None``: never)."""
        return None

    def __str__(self) -> str:
        return self.verbose_name or self.identifier
