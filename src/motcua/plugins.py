"""The one registry shape every plugin kind uses (issue 22 §5): payment gateways, notification
senders, signing key sources and national systems each keep one :class:`PluginRegistry`
(``<app>/registry.py``: ``register = PaymentRegistry(…)`` …) that their
``contrib/<name>/plugin.py`` fills with ``@register.register``.

A registry knows its plugins by identifier, in registration order. What an app adds (the
gateway for a new order, the sender of a channel) is a method of its own subclass; what
differs between apps and stays the same shape is a parameter:

* ``kind`` names the plugins in the error raised for an identifier missing or registered twice;
* ``missing(identifier)`` makes the exception :meth:`PluginRegistry.get` raises for an unknown
  identifier, so each app keeps its own error class and message (404 body, ``SigningRefused`` …);
* ``enabled_setting()`` returns the identifiers the installation turned on, in its order (read
  from ``django.conf.settings`` by the caller's lambda: this module reads no setting itself);
  without it every registered plugin counts as enabled.

This module sits on the lowest floor: it imports nothing of Motcua's.
"""

from __future__ import annotations

from typing import Callable, Generic, Iterable, Iterator, Protocol, TypeVar


class Plugin(Protocol):
    identifier: str
    verbose_name: str


P = TypeVar("P", bound=Plugin)


class PluginRegistry(Generic[P]):
    def __init__(self, kind: str, *, missing: Callable[[str], Exception] = KeyError,
                 enabled_setting: Callable[[], Iterable[str]] | None = None) -> None:
        self.kind = kind
        self._missing = missing
        self._enabled_setting = enabled_setting
        self._plugins: dict[str, P] = {}

    def register(self, plugin_class: type[P]) -> type[P]:
        """Class decorator: ``@register.register`` adds an instance of the plugin."""
        plugin = plugin_class()
        if not plugin.identifier or plugin.identifier in self._plugins:
            raise ValueError(f"{self.kind} identifier missing or taken: {plugin.identifier!r}")
        self._plugins[plugin.identifier] = plugin
        return plugin_class

    def __iter__(self) -> Iterator[P]:
        return iter(self._plugins.values())

    def __contains__(self, identifier: object) -> bool:
        return identifier in self._plugins

    def get(self, identifier: str) -> P:
        """The registered plugin (enabled or not); unknown → ``missing(identifier)`` raised."""
        plugin = self._plugins.get(identifier)
        if plugin is None:
            raise self._missing(identifier)
        return plugin

    def enabled(self) -> list[str]:
        """Identifiers of the registered plugins the setting turns on, in the setting's order
        (unknown names skipped: a system check names them); no setting → all, as registered."""
        if self._enabled_setting is None:
            return list(self._plugins)
        return [identifier for identifier in self._enabled_setting() if identifier in self._plugins]

    def choices(self) -> list[tuple[str, str]]:
        """(identifier, name) of every registered plugin, for a form's choice field."""
        return [(p.identifier, str(p.verbose_name)) for p in self._plugins.values()]
