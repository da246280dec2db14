"""The registry of national systems: each ``contrib/<system>/plugin.py`` registers itself with
``@register.register`` and is imported by ``NationalConfig.ready()`` (the shared shape:
:class:`motcua.plugins.PluginRegistry`)."""

from __future__ import annotations

from motcua.errors import NotFound
from motcua.national.base import NationalSystem
from motcua.plugins import PluginRegistry


def _system_not_found(identifier: str) -> NotFound:
    return NotFound(f"Không có kết nối “{identifier}”.", code="national_system_not_found")


register: PluginRegistry[NationalSystem] = PluginRegistry("national plugin", missing=_system_not_found)
