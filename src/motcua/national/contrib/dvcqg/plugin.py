"""The ``dvcqg`` national system: configured only by the docs/configuration.md variables."""

from __future__ import annotations

from django.conf import settings

from motcua.national.base import NationalSystem
from motcua.national.registry import register


@register.register
class NationalPortal(NationalSystem):
    identifier = "dvcqg"
    verbose_name = "Cổng Dịch vụ công quốc gia (DVCQG)"
    sandbox_variable = "MOTCUA_DVCQG_SANDBOX"
    expected = True
    urls = "motcua.national.contrib.dvcqg.urls"
    sandbox_urls = "motcua.national.contrib.dvcqg_sandbox.urls"

    def required_settings(self) -> dict[str, str]:
        return {
            "MOTCUA_DVCQG_URL": settings.DVCQG_URL,
            "MOTCUA_DVCQG_USERNAME": settings.DVCQG_USERNAME,
            "MOTCUA_DVCQG_PASSWORD": settings.DVCQG_PASSWORD,
            "MOTCUA_DVCQG_DSTCODE": settings.DVCQG_DSTCODE,
            "MOTCUA_DVCQG_MADONVI": settings.DVCQG_MADONVI,
        }

    def sandbox_on(self) -> bool:
        return bool(settings.DVCQG_SANDBOX)


def portal() -> NationalPortal:
    return register.get(NationalPortal.identifier)  # type: ignore[return-value]
