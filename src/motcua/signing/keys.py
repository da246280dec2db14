"""Which key signs, which timestamp authority stamps, which roots are trusted — the one home.

* The agency's key (:func:`agency_key`): the unit's own certificate when an administrator set
  one (:class:`~motcua.signing.models.Signer` for the unit, or a unit above it), else the
  installation's (``MOTCUA_SIGNING_P12`` or the ``MOTCUA_SIGNING_PKCS11_*`` token), else, in
  ``make run``'s demo, the demo PKI's agency key; None when signing is not configured.
* A leader's own key (:func:`leader_key`): their :class:`Signer` row, or None.
* Whether a unit's printed forms are signed (:func:`printed_forms_signed`): the switch on the
  nearest :class:`Signer` row of the unit or a unit above it.
* :func:`tsa_url` and :func:`trust_roots`: the settings, plus the demo PKI's while it is on.
"""

from __future__ import annotations

import fcntl
import functools
from pathlib import Path

from django.conf import settings

from motcua.signing.base import KeySpec, SigningRefused

DEMO_DIR = "signing-demo"
DEMO_PATH = "/xac-thuc/demo-pki"


def installation_key() -> KeySpec | None:
    """The agency key of the settings (PKCS#12 first, then PKCS#11), or the demo's, or None."""
    if settings.SIGNING_P12:
        return KeySpec("pkcs12", {"path": settings.SIGNING_P12, "password": settings.SIGNING_P12_PASSWORD},
                       label="MOTCUA_SIGNING_P12")
    if settings.SIGNING_PKCS11_MODULE:
        return KeySpec("pkcs11", {"module": settings.SIGNING_PKCS11_MODULE, "token": settings.SIGNING_PKCS11_TOKEN,
                                  "pin": settings.SIGNING_PKCS11_PIN, "key": settings.SIGNING_PKCS11_KEY},
                       label="MOTCUA_SIGNING_PKCS11_KEY")
    if settings.SIGNING_DEMO:
        return KeySpec("demo", {"key": "agency"}, label="demo agency")
    return None


def agency_key(unit) -> KeySpec | None:
    """The key that signs for ``unit`` (a catalog Unit): its own, the nearest unit's above it, or the installation's."""
    from motcua.signing.models import Signer

    current = unit
    while current is not None:
        row = Signer.objects.filter(unit=current, active=True).first()
        if row is not None and row.backend:
            return row.spec()
        current = current.parent
    return installation_key()


def printed_forms_signed(unit) -> bool:
    """Whether the forms ``unit`` prints (receipt, supplement request, refusal, apology) carry the
    agency's signature: the switch "ký số các mẫu in" of the nearest active :class:`Signer` row of
    the unit or a unit above it (a unit's own row decides for it and the units below it); off
    when no row says so."""
    from motcua.signing.models import Signer

    current = unit
    while current is not None:
        row = Signer.objects.filter(unit=current, active=True).only("sign_printed_forms").first()
        if row is not None:
            return row.sign_printed_forms
        current = current.parent
    return False


def leader_key(user) -> KeySpec | None:
    """The leader's own key, when an administrator set one."""
    from motcua.signing.models import Signer

    row = Signer.objects.filter(user=user, active=True).exclude(backend="").first()
    if row is None:
        from motcua.accounts.models import Role

        # make run's demo: every leader signs with the demo PKI's leader certificate
        if settings.SIGNING_DEMO and getattr(user, "role", None) == Role.LEADER:
            return KeySpec("demo", {"key": "leader"}, label="demo leader")
        return None
    spec = row.spec()
    if spec.backend == "demo" and not settings.SIGNING_DEMO:
        return None
    return spec


def signing_configured() -> bool:
    return installation_key() is not None


def tsa_url() -> str:
    if settings.TSA_URL:
        return settings.TSA_URL
    pki = demo_pki_if_on()
    return pki.tsa_url if pki else ""


def trust_roots() -> list:
    """The roots (asn1crypto certificates) a signature must chain to."""

    paths = [settings.TRUST_ROOTS] if settings.TRUST_ROOTS else []
    pki = demo_pki_if_on()
    if pki is not None:
        paths.append(str(pki.roots))
    roots = []
    for path in paths:
        try:
            roots.extend(_roots_of(path, Path(path).stat().st_mtime))
        except OSError:
            continue
    return roots


@functools.lru_cache(maxsize=8)
def _roots_of(path: str, mtime: float) -> tuple:
    from pyhanko.keys import load_certs_from_pemder

    return tuple(load_certs_from_pemder([path]))


def demo_directory() -> Path:
    return Path(settings.DATA_DIR) / DEMO_DIR


def demo_url_prefix() -> str:
    """Where the demo PKI's services answer, as its certificates name them: the public address
    (never the address of one request, which may differ between the server and the worker)."""
    return (settings.PUBLIC_URL or settings.SERVE_URL).rstrip("/") + DEMO_PATH


def demo_pki_if_on():
    """The demo PKI (made on first use, once, under the data directory) while MOTCUA_SIGNING_DEMO is on."""
    if not settings.SIGNING_DEMO:
        return None
    from motcua.signing import demo_pki

    directory = demo_directory()
    prefix = demo_url_prefix()
    found = demo_pki.existing(directory, prefix)
    if found is not None:
        return found
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one process makes it; the others wait and read it
        try:
            return demo_pki.generate(directory, prefix)
        except Exception:
            raise SigningRefused("not_configured", "Không tạo được chứng thư thử nghiệm.", retry=True) from None
