"""The ``population`` national system: configured only by the docs/configuration.md variables."""

from __future__ import annotations

from django.conf import settings

from motcua.national.base import NationalSystem
from motcua.national.registry import register


@register.register
class PopulationDatabase(NationalSystem):
    identifier = "population"
    verbose_name = "Cơ sở dữ liệu quốc gia về dân cư (qua cổng kết nối của tỉnh)"
    sandbox_variable = "MOTCUA_POPULATION_SANDBOX"
    sandbox_urls = "motcua.national.contrib.population_sandbox.urls"

    def required_settings(self) -> dict[str, str]:
        return {
            "MOTCUA_POPULATION_URL": settings.POPULATION_URL,
            "MOTCUA_POPULATION_TOKEN": settings.POPULATION_TOKEN,
        }

    def sandbox_on(self) -> bool:
        return bool(settings.POPULATION_SANDBOX)


def population() -> PopulationDatabase:
    return register.get(PopulationDatabase.identifier)  # type: ignore[return-value]
