"""``motcua check --deploy --fail-level WARNING`` as an operator runs it (issue 7 §3, docs/operators/deploy.md).

A complete production environment passes with exit 0 and no warning; taking away one setting
at a time (or giving it an unsafe value) fails, and the output names that variable.

Each rule has its case, run in this process (``deploy_check_here``): the settings are made by
``motcua/settings.py`` from only the variables of the table, as a new process makes them, and
the deploy checks run on them. Two cases run the real command in its own process over a copy
of a migrated installation (tests/installations.py), for its wiring: its exit status and what
it prints, on success and on a failure — with Django's checks of the code (models, URLs,
admin) that the in-process cases leave out because no variable changes them.
"""

from __future__ import annotations

import os
import re
import runpy
import secrets
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.checks import WARNING, Tags, run_checks
from django.core.checks.registry import registry
from django.test import override_settings

from tests.installations import ROOT


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
    """The real command in its own process: exit status, the whole output, and the ids of the messages it printed."""
    run = _motcua(data_dir, production, "check", "--deploy", "--fail-level", "WARNING")
    output = run.stdout + run.stderr
    assert "Traceback" not in output, output
    return run.returncode, output, set(MESSAGE_ID.findall(output))


# What the in-process check leaves as the test process has it: the machinery of the process
# (its apps, its test database and cache, its logging, its fast password hasher), not rules.
PROCESS_SETTINGS = {"INSTALLED_APPS", "DATABASES", "CACHES", "LOGGING", "PASSWORD_HASHERS"}
# Django's checks of the code, the same in every environment (the two subprocess cases run them).
CODE_TAGS = {Tags.models, Tags.urls, Tags.admin}
SETTINGS_FILE = str(ROOT / "src" / "motcua" / "settings.py")


@contextmanager
def _only(environment: dict[str, str]):
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(environment)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def deploy_check_here(data_dir: Path, production: dict[str, str]) -> tuple[int, str, set[str]]:
    """``check --deploy --fail-level WARNING`` in this process: ``motcua/settings.py`` run again with
    only ``production`` in the environment (what a new process would make of it), those settings
    put in place, the deploy checks run. Status 1 when a message is a warning or worse, as the
    command's; the output is the messages as the command prints them."""
    from django.conf import settings

    with _only(_environment(data_dir, production)):
        made = runpy.run_path(SETTINGS_FILE, run_name="motcua_settings_of_the_case")
        missing = object()
        changed = {name: value for name, value in made.items()
                   if name.isupper() and name not in PROCESS_SETTINGS and getattr(settings, name, missing) != value}
        with override_settings(**changed):
            tags = set(registry.tags_available(deployment_checks=True)) - CODE_TAGS
            messages = [m for m in run_checks(tags=sorted(tags), include_deployment_checks=True) if not m.is_silenced()]
    serious = [m for m in messages if m.level >= WARNING]
    output = "\n".join(str(m) for m in messages)
    return (1 if serious else 0), output, set(MESSAGE_ID.findall(output))


@pytest.fixture(scope="module")
def installation(installation_template, tmp_path_factory) -> Path:
    """A migrated installation (a copy of the session's, tests/installations.py), no account."""
    from tests.installations import copy_installation

    return copy_installation(installation_template, tmp_path_factory.mktemp("production") / "data")


@pytest.fixture
def copy_of(installation_copy, tmp_path) -> Path:
    """A migrated installation of its own: for a test that changes it."""
    return installation_copy(tmp_path / "copy")


@pytest.fixture
def here(tmp_path, db):
    """The data directory of an in-process case (made by the settings, as ``motcua`` makes it).
    The test database is there for the rules that read accounts (W012) and signers (E002)."""
    return tmp_path / "data"


# The rules read settings (and two of them accounts and signers), never a database's own behaviour:
# the in-process cases need the test database only for those two, and are not run again on PostgreSQL.
pytestmark = pytest.mark.db_agnostic


def test_the_command_passes_a_complete_production_environment(installation):
    """The real ``motcua check --deploy --fail-level WARNING``: exit 0, no message (Django's checks of the code too)."""
    status, output, ids = deploy_check(installation, PRODUCTION)
    assert status == 0, output
    assert not ids and "WARNING" not in output and "ERROR" not in output, output
    assert "System check identified no issues" in output, output


def test_the_command_fails_on_a_data_directory_others_can_read_and_names_it(copy_of):
    """The real command on a real installation whose folder and database file others can read
    (W017): a non-zero exit, the message with the folder and the fix."""
    os.chmod(copy_of, 0o755)
    os.chmod(copy_of / "motcua.sqlite3", 0o644)
    status, output, ids = deploy_check(copy_of, PRODUCTION)
    assert status != 0 and "motcua.W017" in ids, output
    assert str(copy_of) in output and "chmod" in output
    assert "WARNING" in output and "motcua.W017" in output


def test_a_complete_production_environment_passes(here):
    status, output, ids = deploy_check_here(here, PRODUCTION)
    assert status == 0 and not ids, output


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
def test_each_missing_or_unsafe_setting_fails_and_is_named(here, variable, value, expected, named):
    production = {k: v for k, v in PRODUCTION.items() if k != variable}
    if value is not None:
        production[variable] = value
    status, output, ids = deploy_check_here(here, production)
    assert status != 0, output
    assert ids == expected, output
    for name in named:
        assert name in output, output


def test_the_database_and_its_wal_are_created_owner_only(installation_template):
    """Issue 17 §6: created 0600 in a 0700 directory, whatever the umask (0644 before). The
    session's template is such an installation: ``motcua migrate`` made its folder and database."""
    import stat

    assert stat.S_IMODE(installation_template.stat().st_mode) == 0o700
    assert stat.S_IMODE((installation_template / "motcua.sqlite3").stat().st_mode) == 0o600
    for name in ("motcua.sqlite3-wal", "motcua.sqlite3-shm"):
        path = installation_template / name
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name


def test_a_data_directory_others_can_read_is_a_warning_naming_it(here):
    here.mkdir(mode=0o700)
    os.chmod(here, 0o755)
    status, output, ids = deploy_check_here(here, PRODUCTION)
    assert status != 0 and ids == {"motcua.W017"}, output
    assert str(here) in output and "chmod" in output


def test_with_object_storage_a_complete_environment_passes(here):
    status, output, ids = deploy_check_here(here, {**PRODUCTION, **OBJECT_STORAGE})
    assert status == 0 and not ids, output


STORAGE_UNSAFE = [
    ("MOTCUA_S3_SECRET_ACCESS_KEY", None, {"motcua.W014"}, ["MOTCUA_S3_ACCESS_KEY_ID", "MOTCUA_S3_SECRET_ACCESS_KEY"]),
    ("MOTCUA_S3_ACCESS_KEY_ID", None, {"motcua.W014"}, ["MOTCUA_S3_ACCESS_KEY_ID", "MOTCUA_S3_SECRET_ACCESS_KEY"]),
    ("MOTCUA_S3_ENDPOINT_URL", "http://s3.example.gov.vn", {"motcua.W013"}, ["MOTCUA_S3_ENDPOINT_URL"]),
    ("MOTCUA_S3_ADDRESSING_STYLE", "sideways", {"motcua.W015"}, ["MOTCUA_S3_ADDRESSING_STYLE"]),
]


@pytest.mark.parametrize(("variable", "value", "expected", "named"), STORAGE_UNSAFE,
                         ids=[f"{v}={'(unset)' if x is None else x}" for v, x, _, _ in STORAGE_UNSAFE])
def test_each_missing_or_unsafe_storage_setting_fails_and_is_named(here, variable, value, expected, named):
    production = {k: v for k, v in {**PRODUCTION, **OBJECT_STORAGE}.items() if k != variable}
    if value is not None:
        production[variable] = value
    status, output, ids = deploy_check_here(here, production)
    assert status != 0 and ids == expected, output
    for name in named:
        assert name in output, output


def test_without_a_secret_key_the_kept_random_key_passes_unless_others_can_read_it(here):
    """No MOTCUA_SECRET_KEY is safe (a random key kept in MOTCUA_DATA_DIR, 0600): the check
    passes; once others may read that file it fails, naming the file and the variable."""
    production = {k: v for k, v in PRODUCTION.items() if k != "MOTCUA_SECRET_KEY"}
    status, output, ids = deploy_check_here(here, production)
    assert status == 0 and not ids, output
    key_file = here / "secret_key"
    assert key_file.exists() and key_file.stat().st_mode & 0o077 == 0
    key_file.chmod(0o644)
    status, output, ids = deploy_check_here(here, production)
    assert status != 0 and ids == {"motcua.W009"}, output
    assert str(key_file) in output and "MOTCUA_SECRET_KEY" in output, output


def test_no_gateway_needs_no_vnpay_settings(here):
    """Without MOTCUA_PAYMENT_GATEWAYS (the default: no online payment) the VNPay variables are not needed."""
    production = {k: v for k, v in PRODUCTION.items() if not k.startswith(("MOTCUA_PAYMENT_", "MOTCUA_VNPAY_"))}
    status, output, ids = deploy_check_here(here, production)
    assert status == 0 and not ids, output


def test_a_demo_account_with_the_published_password_fails_until_it_is_changed(here):
    """A demo staff account (as ``create-user`` or ``seed-demo`` leaves it) with the published
    password: W012 naming it and the password; once the password is changed, nothing."""
    from motcua.accounts.models import Role, User
    from motcua.demo.catalog import DEMO_PASSWORD

    admin = User.objects.create_user("admin", password=DEMO_PASSWORD, role=Role.ADMIN)
    status, output, ids = deploy_check_here(here, PRODUCTION)
    assert status != 0 and ids == {"motcua.W012"}, output
    assert "admin" in output and DEMO_PASSWORD in output, output

    admin.set_password("mot-mat-khau-rieng-cua-tinh")
    admin.save()
    status, output, ids = deploy_check_here(here, PRODUCTION)
    assert status == 0 and not ids, output
