"""``motcua check --deploy --fail-level WARNING`` as an operator runs it (issue 7 §3, docs/operators/deploy.md).

A complete production environment passes with exit 0 and no warning; taking away one setting
at a time (or giving it an unsafe value) fails, and the output names that variable.

Two cases run the real command, a new process with only the variables of the table over a
fresh migrated SQLite database in a temporary ``MOTCUA_DATA_DIR``: the complete environment
passes, and a demo account made with ``create-user`` fails it until its password changes.
The rules themselves are checked in this process (issue 21 §3): ``settings.py`` is executed
again over exactly the table's variables, Django's settings are overridden with what it made
of them, and the same ``check --deploy --fail-level WARNING`` command runs, over the test
database without the demo accounts (``nodemo``).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import runpy
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test.utils import override_settings

import motcua.settings
from tests.installations import copy_installation

ROOT = Path(__file__).resolve().parents[2]

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


# What the tests' process keeps whatever the environment: its test database, apps, and the
# settings tests/conftest.py chose for every test.
KEPT = {"DATABASES", "INSTALLED_APPS", "MIDDLEWARE", "TEMPLATES", "LOGGING", "ROOT_URLCONF", "AUTH_USER_MODEL",
        "PASSWORD_HASHERS", "STORAGES", "WHITENOISE_USE_FINDERS", "STATIC_ROOT", "STATICFILES_DIRS"}


@contextlib.contextmanager
def environment(variables: dict[str, str]):
    """``os.environ`` is exactly ``variables`` meanwhile (``motcua.conf.config`` and Django's
    own checks read it through the ``os`` module)."""
    saved = os.environ
    os.environ = variables  # type: ignore[assignment]  # noqa: B003 (swapped back below)
    try:
        yield
    finally:
        os.environ = saved  # type: ignore[assignment]  # noqa: B003


def deploy_check_here(data_dir: Path, production: dict[str, str]) -> tuple[int, str, set[str]]:
    """:func:`deploy_check` in this process: ``settings.py`` executed again over exactly the
    table's variables, Django's settings overridden with what it made of them (but for
    :data:`KEPT`), and the same command run in that environment."""
    out, err = io.StringIO(), io.StringIO()
    with environment(_environment(data_dir, production)):
        made = runpy.run_path(motcua.settings.__file__, run_name="motcua.settings_under_test")
        with override_settings(**{name: value for name, value in made.items() if name.isupper() and name not in KEPT}):
            try:
                call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=err)
                status = 0
            except SystemCheckError as failed:
                status, err = 1, io.StringIO(err.getvalue() + str(failed))
    output = out.getvalue() + err.getvalue()
    return status, output, set(MESSAGE_ID.findall(output))


@pytest.fixture
def here(tmp_path, db):
    """A data directory for a check in this process (with the test database, no demo account)."""
    return tmp_path


@pytest.fixture(scope="module")
def installation(migrated_installation, tmp_path_factory) -> Path:
    """A fresh installation: its data directory with a migrated SQLite database, no account
    (a copy of the session's, tests/installations.py)."""
    data_dir = copy_installation(migrated_installation, tmp_path_factory.mktemp("production") / "data")
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


@pytest.mark.nodemo
def test_a_complete_production_environment_passes_here_too(here):
    """The in-process check agrees with the real command on the complete environment."""
    status, output, ids = deploy_check_here(here, PRODUCTION)
    assert status == 0, output
    assert not ids and "WARNING" not in output and "ERROR" not in output, output
    assert "System check identified no issues" in output, output


@pytest.mark.nodemo
def test_the_check_here_sees_what_the_variables_make(here):
    """Not the tests' own settings: one unsafe variable is enough to fail it (the table below)."""
    status, output, ids = deploy_check_here(here, {**PRODUCTION, "MOTCUA_DEBUG": "true"})
    assert status != 0 and ids == {"motcua.W001"}, output


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
    ("MOTCUA_VNPOST_SANDBOX", "true", {"motcua.national.E201"}, ["MOTCUA_VNPOST_SANDBOX"]),
    # VNPost half configured: each missing variable named.
    ("MOTCUA_VNPOST_URL", "https://api.vnpost.example.vn", {"motcua.national.W202"},
     ["MOTCUA_VNPOST_CUSTOMER_CODE", "MOTCUA_VNPOST_KEY", "MOTCUA_VNPOST_SECRET"]),
]


@pytest.mark.parametrize(("variable", "value", "expected", "named"), UNSAFE,
                         ids=[f"{v}={'(unset)' if x is None else x}" for v, x, _, _ in UNSAFE])
@pytest.mark.nodemo
def test_each_missing_or_unsafe_setting_fails_and_is_named(here, variable, value, expected, named):
    production = {k: v for k, v in PRODUCTION.items() if k != variable}
    if value is not None:
        production[variable] = value
    status, output, ids = deploy_check_here(here, production)
    assert status != 0, output
    assert ids == expected, output
    for name in named:
        assert name in output, output


@pytest.mark.nodemo
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
@pytest.mark.nodemo
def test_each_missing_or_unsafe_storage_setting_fails_and_is_named(here, variable, value, expected, named):
    production = {k: v for k, v in {**PRODUCTION, **OBJECT_STORAGE}.items() if k != variable}
    if value is not None:
        production[variable] = value
    status, output, ids = deploy_check_here(here, production)
    assert status != 0 and ids == expected, output
    for name in named:
        assert name in output, output


@pytest.mark.nodemo
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


@pytest.mark.nodemo
def test_no_gateway_needs_no_vnpay_settings(here):
    """Without MOTCUA_PAYMENT_GATEWAYS (the default: no online payment) the VNPay variables are not needed."""
    production = {k: v for k, v in PRODUCTION.items() if not k.startswith(("MOTCUA_PAYMENT_", "MOTCUA_VNPAY_"))}
    status, output, ids = deploy_check_here(here, production)
    assert status == 0 and not ids, output


def test_a_demo_account_with_the_published_password_fails_until_it_is_changed(copy_of):
    from motcua.catalog.demo import DEMO_PASSWORD

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
