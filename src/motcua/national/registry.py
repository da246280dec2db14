"""The registry of national systems: each ``contrib/<system>/plugin.py`` registers itself with
``@register.register`` and is imported by ``NationalConfig.ready()``."""

from __future__ import annotations

from motcua.errors import NotFound
from motcua.national.base import NationalSystem


class Registry:
    def __init__(self) -> None:
        self._plugins: dict[str, NationalSystem] = {}

    def register(self, plugin_class: type[NationalSystem]) -> type[NationalSystem]:
        """Class decorator: ``@register.register`` adds an instance of the plugin."""
        plugin = plugin_class()
        if not plugin.identifier or plugin.identifier in self._plugins:
            raise ValueError(f"national plugin identifier missing or taken: {plugin.identifier!r}")
        self._plugins[plugin.identifier] = plugin
        return plugin_class

    def __iter__(self):
        return iter(self._plugins.values())

    def __contains__(self, identifier: str) -> bool:
        return identifier in self._plugins

    def get(self, identifier: str) -> NationalSystem:
        plugin = self._plugins.get(identifier)
        if plugin is None:
            raise NotFound(f"Không có kết nối “{identifier}”.", code="national_system_not_found")
        return plugin


register = Registry()
