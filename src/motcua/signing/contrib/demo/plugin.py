"""The test PKI of ``make run`` (``MOTCUA_SIGNING_DEMO``): a key named by its label in the
demo PKI (``agency``, ``leader`` …), made once under the data directory. Never in production."""

from __future__ import annotations

from contextlib import contextmanager

from django.utils.translation import gettext_lazy as _

from motcua.signing.base import KeySource, KeySpec, SigningRefused
from motcua.signing.registry import register


@register.register
class Demo(KeySource):
    identifier = "demo"
    verbose_name = _("Chứng thư thử nghiệm (DEMO, không dùng thật)")
    params = ("key",)

    @contextmanager
    def open(self, spec: KeySpec):
        from motcua.signing import demo_pki, keys
        from motcua.signing.contrib.pkcs12.plugin import load

        pki = keys.demo_pki_if_on()
        if pki is None:
            raise SigningRefused("not_configured", "Chứng thư thử nghiệm chỉ dùng khi bật MOTCUA_SIGNING_DEMO.")
        label = spec.params.get("key") or "agency"
        if label not in demo_pki.SIGNERS:
            raise SigningRefused("key_unavailable", f"Không có chứng thư thử nghiệm “{label}”.")
        yield load(KeySpec("pkcs12", {"path": str(pki.p12(label)), "password": demo_pki.PASSWORD}))

    def is_demo(self, spec: KeySpec) -> bool:
        return True
