"""The national-system plugin interface (after Open Forms' registries and ``payments/base.py``).

A national system (the national portal DVCQG, VNPost, the population gateway) is one plugin in
``contrib/<identifier>/``; its loopback simulator is ``contrib/<identifier>_sandbox/``. A plugin
says which ``MOTCUA_…`` variables a real connection needs (:meth:`required_settings`), whether its
simulator is switched on (:meth:`sandbox_on`), and which URL modules it brings. From that alone:

* ``national/urls.py`` mounts the plugin's own public URLs at ``/lien-thong/<identifier>/`` and
  its simulator at ``/lien-thong/<identifier>-sandbox/`` (only while :meth:`sandbox_on`);
* ``national/checks.py`` (``motcua check --deploy``) names each missing variable and refuses a
  simulator in production;
* the operator's page (``/can-bo/lien-thong/``) shows each system's state.

Settings are read from ``django.conf.settings`` by name in each plugin (never ``getattr``:
``tests/configuration``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod

NOT_CONFIGURED, INCOMPLETE, CONNECTED, SANDBOX = "not_configured", "incomplete", "connected", "sandbox"

STATE_LABELS = {
    NOT_CONFIGURED: "Chưa kết nối",
    INCOMPLETE: "Cấu hình chưa đủ",
    CONNECTED: "Đã cấu hình kết nối",
    SANDBOX: "Đang dùng hệ thống mô phỏng (thử nghiệm)",
}


class NationalSystem(ABC):
    """One national system. Subclasses set the class attributes and the two methods."""

    identifier: str = ""          # "dvcqg", "vnpost", "population": also its URL prefix
    verbose_name: str = ""        # what the operator's page calls it
    sandbox_variable: str = ""    # "MOTCUA_DVCQG_SANDBOX"
    #: ``check --deploy`` warns when this system is not configured at all (the national portal:
    #: a province's system must sync to it since 1/7/2025); otherwise only a half configuration warns.
    expected: bool = False
    urls: str = ""                # dotted path of the plugin's own public urls ("" = none)
    sandbox_urls: str = ""        # dotted path of the simulator's urls ("" = none)

    @abstractmethod
    def required_settings(self) -> dict[str, str]:
        """``{"MOTCUA_…": current value}`` of every variable a real connection needs."""

    @abstractmethod
    def sandbox_on(self) -> bool:
        """Is the built-in simulator switched on (its ``…_SANDBOX`` setting)?"""

    def missing(self) -> list[str]:
        """The required variables that are not set, in declaration order."""
        return [name for name, value in self.required_settings().items() if not value]

    def uses_sandbox(self) -> bool:
        """Talks to the simulator: switched on and no real address given (the first required
        setting is the address)."""
        first = next(iter(self.required_settings().values()), "")
        return self.sandbox_on() and not first

    def state(self) -> str:
        if self.uses_sandbox():
            return SANDBOX
        missing = self.missing()
        if not missing:
            return CONNECTED
        return NOT_CONFIGURED if len(missing) == len(self.required_settings()) else INCOMPLETE

    def connected(self) -> bool:
        """Is there something to talk to (the real system fully configured, or the simulator)?"""
        return self.state() in (CONNECTED, SANDBOX)

    def __str__(self) -> str:
        return self.verbose_name or self.identifier
