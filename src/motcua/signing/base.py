"""The signer plugin interface: where a signing key lives.

A plugin opens a key for pyHanko (:meth:`KeySource.open`, a context manager yielding a
``pyhanko.sign.signers.Signer`` and closing the token or session afterwards). Shipped:
``pkcs12`` (a PKCS#12 file and its password), ``pkcs11`` (a token or HSM through a PKCS#11
module: a USB token or a provincial HSM, tested with SoftHSM2) and ``demo`` (the test PKI of
``make run``). A remote signing service (NEAC eSign, a provincial signing server) is one more
plugin whose ``open`` yields a pyHanko ``Signer`` that calls out for the signature.

A key is described by a :class:`KeySpec`: the plugin's identifier and its parameters, from
the installation's settings (the agency's key) or from a :class:`~motcua.signing.models.Signer`
row (a unit's own certificate, a leader's own).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from dataclasses import dataclass, field


@dataclass(frozen=True)
class KeySpec:
    """One signing key: ``backend`` (a plugin identifier) and what that plugin needs."""

    backend: str
    params: dict = field(default_factory=dict, hash=False, compare=False)
    label: str = ""  # who it belongs to, as logs and pages may say (never a secret)

    def __repr__(self) -> str:  # never print a password or PIN
        return f"KeySpec({self.backend!r}, {self.label!r})"


class SigningRefused(Exception):
    """Signing did not happen, for a reason told in plain Vietnamese (``message``).

    ``code``: ``cert_expired``, ``cert_not_yet_valid``, ``cert_revoked``, ``wrong_pin``,
    ``key_unavailable``, ``tsa_down``, ``revocation_unavailable``, ``not_configured``,
    ``bad_pdf``, ``signing_failed``. ``retry``: worth trying again later (a service down, a
    token away) rather than waiting for someone to change the configuration.
    """

    def __init__(self, code: str, message: str, *, retry: bool = False):
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry = retry


class KeySource(ABC):
    """One kind of key storage. Subclasses set ``identifier`` and ``verbose_name``."""

    identifier: str = ""
    verbose_name: str = ""
    # The parameters a KeySpec of this plugin carries, and which of them are secrets.
    params: tuple[str, ...] = ()
    secret_params: tuple[str, ...] = ()

    @abstractmethod
    def open(self, spec: KeySpec) -> AbstractContextManager:
        """A context manager yielding a ``pyhanko.sign.signers.Signer`` for ``spec``;
        raises :class:`SigningRefused` (``wrong_pin``, ``key_unavailable`` …)."""

    def problems(self, spec: KeySpec) -> list[str]:
        """What is missing from ``spec`` (parameter names); [] when complete."""
        return [p for p in self.params if p not in self.secret_params and not spec.params.get(p)]

    def is_demo(self, spec: KeySpec) -> bool:
        return False

    def __str__(self) -> str:
        return self.verbose_name or self.identifier


def outside_event_loop(function):
    """pyHanko runs its own asyncio loop: called from a thread that already runs one (a
    Playwright-driven test, an async server), ``function`` runs in a thread of its own."""
    import asyncio
    import functools
    from concurrent.futures import ThreadPoolExecutor

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return function(*args, **kwargs)
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(function, *args, **kwargs).result()

    return wrapper
