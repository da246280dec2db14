"""The registry of signer plugins: each registers itself by identifier."""

from __future__ import annotations

from motcua.signing.base import KeySource, KeySpec, SigningRefused


class Registry:
    def __init__(self) -> None:
        self._plugins: dict[str, KeySource] = {}

    def register(self, plugin_class: type[KeySource]) -> type[KeySource]:
        plugin = plugin_class()
        if not plugin.identifier or plugin.identifier in self._plugins:
            raise ValueError(f"signer plugin identifier missing or taken: {plugin.identifier!r}")
        self._plugins[plugin.identifier] = plugin
        return plugin_class

    def __iter__(self):
        return iter(self._plugins.values())

    def __contains__(self, identifier: str) -> bool:
        return identifier in self._plugins

    def choices(self) -> list[tuple[str, str]]:
        return [(p.identifier, str(p.verbose_name)) for p in self._plugins.values()]

    def get(self, identifier: str) -> KeySource:
        plugin = self._plugins.get(identifier)
        if plugin is None:
            raise SigningRefused("not_configured", f"Không có cách lưu khóa ký số “{identifier}”.")
        return plugin

    def for_spec(self, spec: KeySpec) -> KeySource:
        return self.get(spec.backend)


register = Registry()
