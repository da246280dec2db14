"""Signing settings checked at every start, and named by ``check --deploy`` when missing.

Start (``serve``, ``worker``, ``migrate``): a key file or trust roots file that cannot be read,
a PKCS#11 key half configured, a timestamp authority that is not an http(s) address → errors
(motcua.signing.E001). Deploy: signing not configured (results unsigned) → a warning naming the
variables (W001); signing without a timestamp authority or trust roots → error (E003); the demo
PKI in production (MOTCUA_SIGNING_DEMO, or a key or roots file it made) → error (E002).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

DOC = "docs/operators/signing.md"


@checks.register(checks.Tags.security)
def signing_settings(app_configs=None, **kwargs):
    problems = []

    def error(vi: str, en: str, hint: str = DOC):
        problems.append(checks.Error(f"{vi} / {en}", hint=hint, id="motcua.signing.E001"))

    for name, value in (("MOTCUA_SIGNING_P12", settings.SIGNING_P12), ("MOTCUA_TRUST_ROOTS", settings.TRUST_ROOTS),
                        ("MOTCUA_SIGNING_SEAL_IMAGE", settings.SIGNING_SEAL_IMAGE), ("MOTCUA_SIGNING_FONT", settings.SIGNING_FONT)):
        if value and not Path(value).is_file():
            error(f"{name} trỏ tới tệp không đọc được: {value}.", f"{name} names a file that cannot be read: {value}.")
    if settings.SIGNING_P12 and settings.SIGNING_PKCS11_MODULE:
        error("Đặt cả MOTCUA_SIGNING_P12 và MOTCUA_SIGNING_PKCS11_MODULE: chỉ dùng một.",
              "Both MOTCUA_SIGNING_P12 and MOTCUA_SIGNING_PKCS11_MODULE are set: use one.")
    if settings.SIGNING_PKCS11_MODULE:
        missing = [n for n, v in (("MOTCUA_SIGNING_PKCS11_TOKEN", settings.SIGNING_PKCS11_TOKEN),
                                  ("MOTCUA_SIGNING_PKCS11_KEY", settings.SIGNING_PKCS11_KEY)) if not v]
        if missing:
            error(f"Khóa PKCS#11 thiếu {', '.join(missing)}.", f"The PKCS#11 key lacks {', '.join(missing)}.")
        if not Path(settings.SIGNING_PKCS11_MODULE).is_file():
            error(f"Không có thư viện PKCS#11 {settings.SIGNING_PKCS11_MODULE}.",
                  f"The PKCS#11 module {settings.SIGNING_PKCS11_MODULE} does not exist.")
    if settings.TSA_URL and urlsplit(settings.TSA_URL).scheme not in {"http", "https"}:
        error("MOTCUA_TSA_URL phải là địa chỉ http:// hoặc https://.", "MOTCUA_TSA_URL must be an http(s) address.")
    boxes = {"MOTCUA_SIGNING_AGENCY_BOX": settings.SIGNING_AGENCY_BOX,
             "MOTCUA_SIGNING_LEADER_BOX": settings.SIGNING_LEADER_BOX,
             "MOTCUA_SIGNING_FORM_BOX": settings.SIGNING_FORM_BOX}
    for name, raw in boxes.items():
        try:
            page, _x, _y, w, h = (float(p) for p in raw.split(","))
            ok = page != 0 and w > 0 and h > 0
        except ValueError:
            ok = False
        if not ok:
            error(f"{name} phải có dạng trang,x,y,rộng,cao (ví dụ 1,-20,20,230,62).",
                  f"{name} must be page,x,y,width,height (e.g. 1,-20,20,230,62).")
    return problems


@checks.register(checks.Tags.security, deploy=True)
def signing_deploy(app_configs=None, **kwargs):
    from motcua.signing import demo_pki

    problems = []
    real_key = settings.SIGNING_P12 or settings.SIGNING_PKCS11_MODULE
    if not real_key:
        problems.append(checks.Warning(
            "Chưa cấu hình chứng thư ký số của cơ quan: kết quả điện tử không được ký số (chưa có giá trị pháp lý như bản gốc). "
            "/ No signing key: electronic results are not signed.",
            hint="Set MOTCUA_SIGNING_P12 and MOTCUA_SIGNING_P12_PASSWORD, or MOTCUA_SIGNING_PKCS11_MODULE, "
                 "MOTCUA_SIGNING_PKCS11_TOKEN, MOTCUA_SIGNING_PKCS11_PIN, MOTCUA_SIGNING_PKCS11_KEY; and MOTCUA_TSA_URL, "
                 f"MOTCUA_TRUST_ROOTS ({DOC}).",
            id="motcua.signing.W001"))
    else:
        missing = [n for n, v in (("MOTCUA_TSA_URL", settings.TSA_URL), ("MOTCUA_TRUST_ROOTS", settings.TRUST_ROOTS)) if not v]
        if missing:
            problems.append(checks.Error(
                f"Ký số đã cấu hình nhưng thiếu {', '.join(missing)}: không ký được PAdES B-LT. "
                f"/ Signing is configured but {', '.join(missing)} is not set.", hint=DOC, id="motcua.signing.E003"))
    if not settings.TRUST_ROOTS and not real_key:
        problems.append(checks.Warning(
            "Chưa đặt MOTCUA_TRUST_ROOTS: trang /xac-thuc/ không xác nhận được chữ ký nào là tin cậy. "
            "/ MOTCUA_TRUST_ROOTS is not set: verification trusts no signature.", hint=DOC, id="motcua.signing.W002"))
    demo = []
    if settings.SIGNING_DEMO:
        demo.append("MOTCUA_SIGNING_DEMO=true")
    if settings.TRUST_ROOTS and _demo_file(settings.TRUST_ROOTS, demo_pki):
        demo.append("MOTCUA_TRUST_ROOTS")
    if settings.SIGNING_P12 and _demo_p12(demo_pki):
        demo.append("MOTCUA_SIGNING_P12")
    from django.db import DatabaseError

    try:
        from motcua.signing.models import Signer

        if Signer.objects.filter(backend="demo", active=True).exists():
            demo.append("chứng thư DEMO của đơn vị/lãnh đạo (admin)")
    except DatabaseError:
        pass
    if demo:
        problems.append(checks.Error(
            f"Chứng thư thử nghiệm (DEMO) đang được dùng: {', '.join(demo)}. Không bao giờ dùng trong vận hành thật. "
            f"/ The demo PKI is in use: {', '.join(demo)}.", hint=DOC, id="motcua.signing.E002"))
    return problems


def _demo_file(path: str, demo_pki) -> bool:
    from pyhanko.keys import load_certs_from_pemder

    try:
        return any(demo_pki.is_demo_certificate(c) for c in load_certs_from_pemder([path]))
    except Exception:
        return False


def _demo_p12(demo_pki) -> bool:
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        data = Path(settings.SIGNING_P12).read_bytes()
        pw = settings.SIGNING_P12_PASSWORD.encode() or None
        _key, cert, _others = pkcs12.load_key_and_certificates(data, pw)
    except Exception:
        return False
    return cert is not None and demo_pki.is_demo_certificate(cert)
