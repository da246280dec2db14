"""The registry of signer plugins: each registers itself by identifier (the shared shape:
:class:`motcua.plugins.PluginRegistry`)."""

from __future__ import annotations

from motcua.plugins import PluginRegistry
from motcua.signing.base import KeySource, KeySpec, SigningRefused


def _not_configured(identifier: str) -> SigningRefused:
    return SigningRefused("not_configured", f"Không có cách lưu khóa ký số “{identifier}”.")


class SignerRegistry(PluginRegistry[KeySource]):
    def for_spec(self, spec: KeySpec) -> KeySource:
        return self.get(spec.backend)


register = SignerRegistry("signer plugin", missing=_not_configured)
