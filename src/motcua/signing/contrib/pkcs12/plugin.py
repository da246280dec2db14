"""A key in a PKCS#12 file (.p12/.pfx) and its password."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from motcua.signing.base import KeySource, KeySpec, SigningRefused
from motcua.signing.registry import register


def read_p12(spec: KeySpec) -> bytes:
    """The file's bytes: ``path`` on disk, or ``data`` (a unit's or leader's file kept by Motcua)."""
    data = spec.params.get("data")
    if data:
        return bytes(data)
    try:
        return Path(spec.params.get("path") or "").read_bytes()
    except OSError:
        raise SigningRefused("key_unavailable", "Không đọc được tệp chứng thư số (PKCS#12) đã cấu hình.",
                             retry=True) from None


def load(spec: KeySpec):
    from pyhanko.sign.signers import SimpleSigner

    password = spec.params.get("password") or ""
    try:
        return SimpleSigner.load_pkcs12_data(read_p12(spec), other_certs=(),
                                             passphrase=password.encode() if password else None)
    except ValueError:
        raise SigningRefused("wrong_pin", "Mật khẩu của tệp chứng thư số không đúng (hoặc tệp hỏng).") from None


@register.register
class Pkcs12(KeySource):
    identifier = "pkcs12"
    verbose_name = _("Tệp PKCS#12 (.p12, .pfx)")
    params = ("path", "password")
    secret_params = ("password",)

    @contextmanager
    def open(self, spec: KeySpec):
        yield load(spec)

    def problems(self, spec: KeySpec) -> list[str]:
        return [] if (spec.params.get("path") or spec.params.get("data")) else ["path"]
