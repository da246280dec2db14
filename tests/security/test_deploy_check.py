"""``motcua check --deploy --fail-level WARNING`` as an operator runs it (issue 7 §3, docs/operators/deploy.md).

A complete production environment passes with exit 0 and no warning; taking away one setting
at a time (or giving it an unsafe value) fails, and the output names that variable. Each run
is a new process with only the variables of the table, over a fresh migrated SQLite database
in a temporary ``MOTCUA_DATA_DIR`` (no demo account: W012 is tested on its own, by making one).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _agency_key_files() -> dict[str, str]:
    """A province's signing key and trust roots, as an operator installs them (not the demo PKI):
    a root certificate and the agency's certificate in a PKCS#12 file, written once per run."""
    import datetime as dt
    import tempfile

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    folder = Path(tempfile.mkdtemp(prefix="motcua-deploy-signing-"))
    now = dt.datetime.now(dt.timezone.utc)

    def name(text):
        return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.COMMON_NAME, text)])

    root_key, agency_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    root = (x509.CertificateBuilder().subject_name(name("Tinh Yen Bai Root")).issuer_name(name("Tinh Yen Bai Root"))
            .public_key(root_key.public_key()).serial_number(1).not_valid_before(now).not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(root_key, hashes.SHA256()))
    agency = (x509.CertificateBuilder().subject_name(name("UBND tinh Yen Bai")).issuer_name(root.subject)
              .public_key(agency_key.public_key()).serial_number(2).not_valid_before(now)
              .not_valid_after(now + dt.timedelta(days=365)).sign(root_key, hashes.SHA256()))
    (folder / "roots.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    (folder / "agency.p12").write_bytes(pkcs12.serialize_key_and_certificates(
        b"agency", agency_key, agency, [root], serialization.BestAvailableEncryption(b"mat-khau-p12")))
    return {"MOTCUA_SIGNING_P12": str(folder / "agency.p12"), "MOTCUA_SIGNING_P12_PASSWORD": "mat-khau-p12",
            "MOTCUA_TSA_URL": "https://tsa.example.gov.vn/tsa", "MOTCUA_TRUST_ROOTS": str(folder / "roots.pem")}

PRODUCTION = {
    "MOTCUA_DEBUG": "false",
    "MOTCUA_SECRET_KEY": secrets.token_urlsafe(50),
    "MOTCUA_PUBLIC_URL": "https://dichvucong.example.gov.vn",
    "MOTCUA_ALLOWED_HOSTS": "dichvucong.example.gov.vn",
    "MOTCUA_TRUSTED_PROXY": "true",
    "MOTCUA_NUM_PROXIES": "1",
    "MOTCUA_EMAIL_URL": "smtp+tls://motcua:mat-khau@mail.example.gov.vn:587",
    "MOTCUA_PAYMENT_GATEWAYS": "vnpay",
    "MOTCUA_VNPAY_TMN_CODE": "YBMOTCUA",
    "MOTCUA_VNPAY_HASH_SECRET": "A" * 32,
    "MOTCUA_VNPAY_PAYMENT_URL": "https://pay.vnpay.vn/vpcpay.html",
    # The national portal's adapter (CONTRACT §1): a province's system syncs to it since 1/7/2025.
    "MOTCUA_DVCQG_URL": "https://adapter.dichvucong.gov.vn",
    "MOTCUA_DVCQG_USERNAME": "yenbai-motcua",
    "MOTCUA_DVCQG_PASSWORD": "c" * 24,
    "MOTCUA_DVCQG_DSTCODE": "YBMOTCUA",
    "MOTCUA_DVCQG_MADONVI": "000.00.00.H62",
    **_agency_key_files(),
}

# Papers in an S3-compatible bucket instead of MOTCUA_DATA_DIR/media (docs/operators/storage.md).
OBJECT_STORAGE = {
    "MOTCUA_S3_BUCKET": "motcua-giay-to",
    "MOTCUA_S3_ENDPOINT_URL": "https://s3.example.gov.vn",
    "MOTCUA_S3_ACCESS_KEY_ID": "MOTCUAKEY0123456789",
    "MOTCUA_S3_SECRET_ACCESS_KEY": "b" * 40,
}

MESSAGE_ID = re.compile(r"\(([a-z_.]+\.[WE]\d{3})\)")


def _environment(data_dir: Path, production: dict[str, str]) -> dict[str, str]:
    """The process environment without any setting of this machine, plus ``production``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "DATABASE_URL", "DJANGO_"))}
    return {**env, "MOTCUA_DATA_DIR": str(data_dir), **production}


def _motcua(data_dir: Path, production: dict[str, str], *args: str, stdin: str | None = None):
    return subprocess.run([sys.executable, "-m", "motcua", *args], env=_environment(data_dir, production), cwd=ROOT,
                          input=stdin, capture_output=True, text=True, timeout=300)


def deploy_check(data_dir: Path, production: dict[str, str]) -> tuple[int, str, set[str]]:
    """Exit status, the whole output, and the ids of the messages it printed."""
    run = _motcua(data_dir, production, "check", "--deploy", "--fail-level", "WARNING")
    output = run.stdout + run.stderr
    assert "Traceback" not in output, output
    return run.returncode, output, set(MESSAGE_ID.findall(output))


@pytest.fixture(scope="module")
def installation(tmp_path_factory) -> Path:
    """A fresh installation: its data directory with a migrated SQLite database, no account."""
    data_dir = tmp_path_factory.mktemp("production")
    run = _motcua(data_dir, PRODUCTION, "migrate", "--no-input", "-v", "0")
    assert run.returncode == 0, run.stdout + run.stderr
    assert (data_dir / "motcua.sqlite3").exists()
    return data_dir


@pytest.fixture
def copy_of(installation, tmp_path) -> Path:
    """The installation's data directory, copied: for a test that changes it."""
    return Path(shutil.copytree(installation, tmp_path / "copy"))


def test_a_complete_production_environment_passes(installation):
    status, output, ids = deploy_check(installation, PRODUCTION)
    assert status == 0, output
    assert not ids and "WARNING" not in output and "ERROR" not in output, output
    assert "System check identified no issues" in output, output


# (variable, value: None takes it away, the ids expected, the variables the output must name)
UNSAFE = [
    ("MOTCUA_PUBLIC_URL", None, {"motcua.W002"}, ["MOTCUA_PUBLIC_URL"]),
    ("MOTCUA_ALLOWED_HOSTS", None, {"motcua.W003"}, ["MOTCUA_ALLOWED_HOSTS"]),
    ("MOTCUA_TRUSTED_PROXY", None, {"motcua.W005"}, ["MOTCUA_TRUSTED_PROXY"]),
    ("MOTCUA_NUM_PROXIES", None, {"motcua.W006"}, ["MOTCUA_NUM_PROXIES"]),
    ("MOTCUA_EMAIL_URL", None, {"motcua.W007"}, ["MOTCUA_EMAIL_URL"]),
    ("MOTCUA_VNPAY_TMN_CODE", None, {"motcua.payments.E002"}, ["MOTCUA_VNPAY_TMN_CODE"]),
    ("MOTCUA_VNPAY_HASH_SECRET", None, {"motcua.payments.E002"}, ["MOTCUA_VNPAY_HASH_SECRET"]),
    ("MOTCUA_VNPAY_PAYMENT_URL", None, {"motcua.payments.E002"}, ["MOTCUA_VNPAY_PAYMENT_URL"]),
    # Present, but unsafe.
    ("MOTCUA_DEBUG", "true", {"motcua.W001"}, ["MOTCUA_DEBUG"]),
    ("MOTCUA_PUBLIC_URL", "http://dichvucong.example.gov.vn", {"motcua.W002"}, ["MOTCUA_PUBLIC_URL"]),
    ("MOTCUA_ALLOWED_HOSTS", "*", {"motcua.W003"}, ["MOTCUA_ALLOWED_HOSTS"]),
    ("MOTCUA_ALLOWED_HOSTS", "127.0.0.1,localhost", {"motcua.W003"}, ["MOTCUA_ALLOWED_HOSTS"]),
    ("MOTCUA_ALLOWED_HOSTS", "cong.example.gov.vn", {"motcua.W004"}, ["MOTCUA_PUBLIC_URL", "MOTCUA_ALLOWED_HOSTS"]),
    ("MOTCUA_NUM_PROXIES", "0", {"motcua.W006"}, ["MOTCUA_NUM_PROXIES"]),
    ("MOTCUA_HSTS_SECONDS", "0", {"motcua.W008"}, ["MOTCUA_HSTS_SECONDS"]),
    ("MOTCUA_CACHE_URL", "locmem://", {"motcua.W010"}, ["MOTCUA_CACHE_URL"]),
    ("MOTCUA_SMS_SENDER", "demo-sms", {"motcua.W011", "motcua.notifications.W001"}, ["MOTCUA_SMS_SENDER"]),
    ("MOTCUA_ZALO_SENDER", "demo-zalo", {"motcua.W011", "motcua.notifications.W001"}, ["MOTCUA_ZALO_SENDER"]),
    ("MOTCUA_PAYMENT_SANDBOX", "true", {"motcua.payments.E003", "motcua.payments.E004"}, ["MOTCUA_PAYMENT_SANDBOX", "MOTCUA_VNPAY_HASH_SECRET"]),
    ("MOTCUA_PAYMENT_GATEWAYS", "vnpay,demo", {"motcua.payments.E001"}, ["MOTCUA_PAYMENT_GATEWAYS"]),
    ("MOTCUA_DVCQG_URL", None, {"motcua.national.W102"}, ["MOTCUA_DVCQG_URL"]),
    ("MOTCUA_DVCQG_PASSWORD", None, {"motcua.national.W102"}, ["MOTCUA_DVCQG_PASSWORD"]),
    ("MOTCUA_DVCQG_MADONVI", None, {"motcua.national.W102"}, ["MOTCUA_DVCQG_MADONVI"]),
    ("MOTCUA_DVCQG_SANDBOX", "true", {"motcua.national.E101"}, ["MOTCUA_DVCQG_SANDBOX"]),
    ("MOTCUA_API_TOKEN_DAYS", "0", {"motcua.W016"}, ["MOTCUA_API_TOKEN_DAYS"]),
    ("MOTCUA_API_TOKEN_DAYS", "3650", {"motcua.W016"}, ["MOTCUA_API_TOKEN_DAYS"]),
    ("MOTCUA_VNPOST_SANDBOX", "true", {"motcua.national.E201"}, ["MOTCUA_VNPOST_SANDBOX"]),
    # VNPost half configured: each missing variable named.
    ("MOTCUA_VNPOST_URL", "https://api.vnpost.example.vn", {"motcua.national.W202"},
     ["MOTCUA_VNPOST_CUSTOMER_CODE", "MOTCUA_VNPOST_KEY", "MOTCUA_VNPOST_SECRET"]),
    ("MOTCUA_SIGNING_P12", None, {"motcua.signing.W001"}, ["MOTCUA_SIGNING_P12", "MOTCUA_SIGNING_PKCS11_MODULE"]),
    ("MOTCUA_TSA_URL", None, {"motcua.signing.E003"}, ["MOTCUA_TSA_URL"]),
    ("MOTCUA_TRUST_ROOTS", None, {"motcua.signing.E003"}, ["MOTCUA_TRUST_ROOTS"]),
    ("MOTCUA_SIGNING_DEMO", "true", {"motcua.signing.E002"}, ["MOTCUA_SIGNING_DEMO"]),
]


@pytest.mark.parametrize(("variable", "value", "expected", "named"), UNSAFE,
                         ids=[f"{v}={'(unset)' if x is None else x}" for v, x, _, _ in UNSAFE])
def test_each_missing_or_unsafe_setting_fails_and_is_named(installation, variable, value, expected, named):
    production = {k: v for k, v in PRODUCTION.items() if k != variable}
    if value is not None:
        production[variable] = value
    status, output, ids = deploy_check(installation, production)
    assert status != 0, output
    assert ids == expected, output
    for name in named:
        assert name in output, output


def test_the_database_and_its_wal_are_created_owner_only(installation):
    """Issue 17 §6: created 0600 in a 0700 directory, whatever the umask (0644 before)."""
    import stat

    for name in ("motcua.sqlite3", "motcua.sqlite3-wal", "motcua.sqlite3-shm"):
        path = installation / name
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name
    made = installation / "fresh"
    run = _motcua(made, PRODUCTION, "migrate", "--no-input", "-v", "0")
    assert run.returncode == 0, run.stdout + run.stderr
    assert stat.S_IMODE(made.stat().st_mode) == 0o700
    assert stat.S_IMODE((made / "motcua.sqlite3").stat().st_mode) == 0o600


def test_a_data_directory_others_can_read_is_a_warning_naming_it(copy_of):
    os.chmod(copy_of, 0o755)
    os.chmod(copy_of / "motcua.sqlite3", 0o644)
    status, output, ids = deploy_check(copy_of, PRODUCTION)
    assert status != 0 and "motcua.W017" in ids, output
    assert str(copy_of) in output and "chmod" in output


def test_with_object_storage_a_complete_environment_passes(installation):
    status, output, ids = deploy_check(installation, {**PRODUCTION, **OBJECT_STORAGE})
    assert status == 0 and not ids, output


STORAGE_UNSAFE = [
    ("MOTCUA_S3_SECRET_ACCESS_KEY", None, {"motcua.W014"}, ["MOTCUA_S3_ACCESS_KEY_ID", "MOTCUA_S3_SECRET_ACCESS_KEY"]),
    ("MOTCUA_S3_ACCESS_KEY_ID", None, {"motcua.W014"}, ["MOTCUA_S3_ACCESS_KEY_ID", "MOTCUA_S3_SECRET_ACCESS_KEY"]),
    ("MOTCUA_S3_ENDPOINT_URL", "http://s3.example.gov.vn", {"motcua.W013"}, ["MOTCUA_S3_ENDPOINT_URL"]),
    ("MOTCUA_S3_ADDRESSING_STYLE", "sideways", {"motcua.W015"}, ["MOTCUA_S3_ADDRESSING_STYLE"]),
]


@pytest.mark.parametrize(("variable", "value", "expected", "named"), STORAGE_UNSAFE,
                         ids=[f"{v}={'(unset)' if x is None else x}" for v, x, _, _ in STORAGE_UNSAFE])
def test_each_missing_or_unsafe_storage_setting_fails_and_is_named(installation, variable, value, expected, named):
    production = {k: v for k, v in {**PRODUCTION, **OBJECT_STORAGE}.items() if k != variable}
    if value is not None:
        production[variable] = value
    status, output, ids = deploy_check(installation, production)
    assert status != 0 and ids == expected, output
    for name in named:
        assert name in output, output


def test_without_a_secret_key_the_kept_random_key_passes_unless_others_can_read_it(copy_of):
    """No MOTCUA_SECRET_KEY is safe (a random key kept in MOTCUA_DATA_DIR, 0600): the check
    passes; once others may read that file it fails, naming the file and the variable."""
    production = {k: v for k, v in PRODUCTION.items() if k != "MOTCUA_SECRET_KEY"}
    status, output, ids = deploy_check(copy_of, production)
    assert status == 0 and not ids, output
    key_file = copy_of / "secret_key"
    assert key_file.exists() and key_file.stat().st_mode & 0o077 == 0
    key_file.chmod(0o644)
    status, output, ids = deploy_check(copy_of, production)
    assert status != 0 and ids == {"motcua.W009"}, output
    assert str(key_file) in output and "MOTCUA_SECRET_KEY" in output, output


def test_no_gateway_needs_no_vnpay_settings(installation):
    """Without MOTCUA_PAYMENT_GATEWAYS (the default: no online payment) the VNPay variables are not needed."""
    production = {k: v for k, v in PRODUCTION.items() if not k.startswith(("MOTCUA_PAYMENT_", "MOTCUA_VNPAY_"))}
    status, output, ids = deploy_check(installation, production)
    assert status == 0 and not ids, output


def test_a_demo_account_with_the_published_password_fails_until_it_is_changed(copy_of):
    from motcua.demo.catalog import DEMO_PASSWORD

    made = _motcua(copy_of, PRODUCTION, "create-user", "admin", "--role", "admin", "--password-stdin",
                   stdin=DEMO_PASSWORD + "\n")
    assert made.returncode == 0, made.stdout + made.stderr
    status, output, ids = deploy_check(copy_of, PRODUCTION)
    assert status != 0 and ids == {"motcua.W012"}, output
    assert "admin" in output and DEMO_PASSWORD in output, output

    changed = _motcua(copy_of, PRODUCTION, "create-user", "admin", "--role", "admin", "--password-stdin",
                      stdin="mot-mat-khau-rieng-cua-tinh\n")
    assert changed.returncode == 0, changed.stdout + changed.stderr
    status, output, ids = deploy_check(copy_of, PRODUCTION)
    assert status == 0 and not ids, output
