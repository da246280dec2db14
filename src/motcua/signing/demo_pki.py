"""A test public-key infrastructure made with certomancer, for ``make run``'s demo and the tests.

Every certificate is marked DEMO in its names: a root, an intermediate CA, the agencies'
and a leader's signing certificates (and an expired and a not-yet-valid one for the tests),
an OCSP responder, CRLs and an RFC 3161 timestamp authority. :func:`generate` writes the keys,
certomancer's configuration, the roots file (``MOTCUA_TRUST_ROOTS``) and one PKCS#12 file per
signer into a directory once; :func:`animator` is the WSGI application that answers the TSA,
OCSP and CRL requests at the address the certificates name (``url_prefix``).

Never for production: ``check --deploy`` refuses a trust roots file or a signer made here
(``motcua.signing.E002``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

ARCH = "motcua-demo"
MARK = "DEMO"
PASSWORD = "demo"
MANIFEST = "demo-pki.json"
# The signers (label → common name, organisation); the label names the PKCS#12 file.
SIGNERS = {
    "agency": "UBND (DEMO) — Bộ phận Một cửa",
    "leader": "Lãnh đạo (DEMO) Nguyễn Văn A",
    "leader-revocable": "Lãnh đạo (DEMO) Trần Thị B",
    "expired": "Cán bộ (DEMO) chứng thư hết hạn",
    "future": "Cán bộ (DEMO) chứng thư chưa có hiệu lực",
}
KEYS = ("root", "interm", "ocsp", "tsa", *SIGNERS)


@dataclass(frozen=True)
class DemoPKI:
    directory: Path
    url_prefix: str

    @property
    def roots(self) -> Path:
        return self.directory / "roots.pem"

    def p12(self, label: str) -> Path:
        return self.directory / f"{label}.p12"

    @property
    def tsa_url(self) -> str:
        return f"{self.url_prefix}/{ARCH}/tsa/tsa"

    @property
    def config(self) -> Path:
        return self.directory / "certomancer.yml"


def _iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+0000")


def _key(path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())  # quick to make; poppler, pyHanko and SoftHSM2 all read it
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    path.chmod(0o600)


def _config(directory: Path, url_prefix: str, now: dt.datetime) -> dict:
    long = {"valid-from": _iso(now - dt.timedelta(days=30)), "valid-to": _iso(now + dt.timedelta(days=3650))}
    usable = {"valid-from": _iso(now - dt.timedelta(days=1)), "valid-to": _iso(now + dt.timedelta(days=3 * 365))}
    certs: dict = {
        "root": {"subject": "root", "issuer": "root", "validity": long,
                 "profiles": [{"id": "simple-ca", "params": {"crl-repo": "root"}}]},
        "interm": {"subject": "interm", "issuer": "root", "validity": long,
                   "profiles": [{"id": "simple-ca", "params": {"max-path-len": 0, "crl-repo": "interm",
                                                               "ocsp-service": "interm"}}]},
        "ocsp": {"subject": "ocsp", "issuer": "interm", "validity": long, "profiles": ["ocsp-responder"]},
        "tsa": {"subject": "tsa", "issuer": "root", "validity": long,
                "extensions": [
                    {"id": "key_usage", "critical": True, "smart-value": {"schema": "key-usage", "params": ["digital_signature"]}},
                    {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
                ]},
    }
    for label in SIGNERS:
        validity = usable
        if label == "expired":
            validity = {"valid-from": _iso(now - dt.timedelta(days=730)), "valid-to": _iso(now - dt.timedelta(days=365))}
        elif label == "future":
            validity = {"valid-from": _iso(now + dt.timedelta(days=365)), "valid-to": _iso(now + dt.timedelta(days=730))}
        certs[label] = {"subject": label, "issuer": "interm", "validity": validity, "profiles": ["digsig-commitment"]}
    entities = {
        "root": {"common-name": f"Motcua {MARK} Root CA"},
        "interm": {"common-name": f"Motcua {MARK} Signing CA"},
        "ocsp": {"common-name": f"Motcua {MARK} OCSP"},
        "tsa": {"common-name": f"Motcua {MARK} Timestamp Authority"},
        **{label: {"common-name": name} for label, name in SIGNERS.items()},
    }
    return {
        "external-url-prefix": url_prefix,
        "keysets": {"demo": {"path-prefix": str(directory / "keys"),
                             "keys": {k: {"path": f"{k}.key.pem"} for k in KEYS}}},
        "pki-architectures": {ARCH: {
            "keyset": "demo",
            "entity-defaults": {"country-name": "VN", "organization-name": f"Motcua {MARK} (không dùng thật)"},
            "entities": entities,
            "certs": certs,
            "services": {
                "ocsp": {"interm": {"for-issuer": "interm", "responder-cert": "ocsp", "signing-key": "ocsp"}},
                "crl-repo": {
                    "root": {"for-issuer": "root", "signing-key": "root", "simulated-update-schedule": "P30D"},
                    "interm": {"for-issuer": "interm", "signing-key": "interm", "simulated-update-schedule": "P1D"},
                },
                "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}},
            },
        }},
    }


def load(directory: Path):
    """The certomancer architecture of the PKI in ``directory``."""
    from certomancer.registry import CertomancerConfig

    manifest = json.loads((Path(directory) / MANIFEST).read_text())
    config = CertomancerConfig(manifest["config"], key_search_dir=str(directory))
    return config.get_pki_arch(ARCH)


def existing(directory: Path, url_prefix: str) -> DemoPKI | None:
    """The PKI already in ``directory`` when it was made for ``url_prefix``."""
    path = Path(directory) / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return None
    if manifest.get("url_prefix") != url_prefix:
        return None
    return DemoPKI(Path(directory), url_prefix)


def generate(directory: Path, url_prefix: str) -> DemoPKI:
    """Make the PKI in ``directory`` (once: an existing one for the same address is kept)."""
    directory = Path(directory)
    url_prefix = url_prefix.rstrip("/")
    found = existing(directory, url_prefix)
    if found is not None:
        return found
    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    (directory / "keys").mkdir(parents=True, exist_ok=True)
    for name in KEYS:
        path = directory / "keys" / f"{name}.key.pem"
        if not path.exists():
            _key(path)
    config = _config(directory, url_prefix, dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
    manifest = {"url_prefix": url_prefix, "config": config, "note": "DEMO PKI: never trust it in production"}
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    arch = load(directory)
    pki = DemoPKI(directory, url_prefix)

    def crypto_cert(label):
        return cx509.load_der_x509_certificate(arch.get_cert(label).dump())

    pki.roots.write_bytes(crypto_cert("root").public_bytes(serialization.Encoding.PEM))
    interm = crypto_cert("interm")
    for label in SIGNERS:
        key = serialization.load_pem_private_key((directory / "keys" / f"{label}.key.pem").read_bytes(), None)
        data = pkcs12.serialize_key_and_certificates(
            label.encode(), key, crypto_cert(label), [interm],
            serialization.BestAvailableEncryption(PASSWORD.encode()),
        )
        pki.p12(label).write_bytes(data)
        pki.p12(label).chmod(0o600)
    return pki


def animator(directory: Path):
    """The WSGI application answering the PKI's TSA, OCSP, CRL and certificate requests."""
    from certomancer.integrations.animator import Animator, AnimatorArchStore

    arch = load(directory)
    return Animator(AnimatorArchStore({arch.arch_label: arch}), with_web_ui=False)


def is_demo_certificate(cert) -> bool:
    """A certificate (asn1crypto or cryptography) made here: its issuer or subject says DEMO."""
    text = ""
    for attr in ("issuer", "subject"):
        name = getattr(cert, attr)
        text += getattr(name, "human_friendly", None) or name.rfc4514_string()
    return f"Motcua {MARK}" in text
