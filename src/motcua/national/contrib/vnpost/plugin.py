"""The ``vnpost`` national system: configured only by the docs/configuration.md variables."""

from __future__ import annotations

from django.conf import settings

from motcua.national.base import NationalSystem
from motcua.national.registry import register


@register.register
class PostalService(NationalSystem):
    identifier = "vnpost"
    verbose_name = "Bưu điện Việt Nam (VNPost) – bưu chính công ích"
    sandbox_variable = "MOTCUA_VNPOST_SANDBOX"
    sandbox_urls = "motcua.national.contrib.vnpost_sandbox.urls"

    def required_settings(self) -> dict[str, str]:
        return {
            "MOTCUA_VNPOST_URL": settings.VNPOST_URL,
            "MOTCUA_VNPOST_CUSTOMER_CODE": settings.VNPOST_CUSTOMER_CODE,
            "MOTCUA_VNPOST_KEY": settings.VNPOST_KEY,
            "MOTCUA_VNPOST_SECRET": settings.VNPOST_SECRET,
        }

    def sandbox_on(self) -> bool:
        return bool(settings.VNPOST_SANDBOX)


def postal_service() -> PostalService:
    return register.get(PostalService.identifier)  # type: ignore[return-value]
