"""A key on a PKCS#11 token or HSM (a USB token, a provincial HSM; tested with SoftHSM2):
the module (.so), the token's label, the user PIN and the key's label. The certificate is
read from the token under the key's label, the rest of the chain from the token too."""

from __future__ import annotations

from contextlib import contextmanager

from django.utils.translation import gettext_lazy as _

from motcua.signing.base import KeySource, KeySpec, SigningRefused
from motcua.signing.registry import register


@register.register
class Pkcs11(KeySource):
    identifier = "pkcs11"
    verbose_name = _("Thiết bị ký số PKCS#11 (USB token, HSM)")
    params = ("module", "token", "pin", "key")
    secret_params = ("pin",)

    @contextmanager
    def open(self, spec: KeySpec):
        from pkcs11 import exceptions as p11
        from pyhanko.sign.pkcs11 import PKCS11Signer, TokenCriteria, open_pkcs11_session

        p = spec.params
        try:
            session = open_pkcs11_session(p.get("module") or "", token_criteria=TokenCriteria(label=p.get("token")),
                                          user_pin=p.get("pin") or None)
        except (p11.PinIncorrect, p11.PinInvalid, p11.PinLenRange):
            raise SigningRefused("wrong_pin", "Mã PIN của thiết bị ký số không đúng.") from None
        except p11.PinLocked:
            raise SigningRefused("wrong_pin", "Thiết bị ký số đã bị khóa do nhập sai mã PIN nhiều lần.") from None
        except Exception:  # no module, no token plugged in, HSM unreachable
            raise SigningRefused("key_unavailable", "Không kết nối được thiết bị ký số (token/HSM).", retry=True) from None
        try:
            try:
                # The digest is computed here and the token signs it (CKM_ECDSA / CKM_RSA_PKCS): every
                # token has those, many lack the combined hash-and-sign mechanisms (SoftHSM2's ECDSA).
                signer = PKCS11Signer(session, key_label=p.get("key"), cert_label=p.get("key"), other_certs_to_pull=None,
                                      use_raw_mechanism=True)
                signer.signing_cert  # read now: a missing certificate is named here  # noqa: B018
            except Exception:
                raise SigningRefused("key_unavailable",
                                     f"Không tìm thấy khóa “{p.get('key')}” và chứng thư số của nó trên thiết bị ký số.") from None
            yield signer
        finally:
            session.close()
