"""``motcua create-user USERNAME --role ROLE --unit UNIT_CODE [--password-stdin] [--print-token]``
(CONTRACT §1): exit 0 on success; a user error exits 1 with one line on stderr, never a
traceback; with ``--print-token`` the last line printed is a working API token."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from motcua.accounts.models import ApiToken, Role, User
from tests.conftest import Api

MOTCUA = Path(sys.executable).parent / "motcua"


def _create_user(*args, stdin: str = "") -> list[str]:
    out = io.StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command("create_user", *args, stdout=out)
    finally:
        sys.stdin = old
    return out.getvalue().splitlines()


def test_create_user_with_a_password_and_a_token(client, demo):
    lines = _create_user("motcua2.yt", "--role", "counter", "--unit", "YB.LY.YT", "--password-stdin", "--print-token",
                         stdin="mat-khau-rat-dai\n")
    user = User.objects.get(username="motcua2.yt")
    assert user.role == Role.COUNTER and user.check_password("mat-khau-rat-dai")
    assert list(user.memberships.values_list("unit__code", flat=True)) == ["YB.LY.YT"]
    token = lines[-1]
    assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == 1
    r = Api(client, token).post("/dossiers", {
        "procedure": "1.004873", "unit": "YB.LY.YT", "channel": "direct",
        "applicant": {"full_name": "Lò Văn Pọm", "id_number": "014090001234", "phone": "0987654321"}})
    assert r.status_code == 201, r.content


def test_running_it_again_updates_the_user(demo):
    _create_user("ttra", "--role", "inspector", "--unit", "YB")
    _create_user("ttra", "--role", "leader", "--unit", "YB.LY")
    user = User.objects.get(username="ttra")
    assert user.role == Role.LEADER and not user.has_usable_password()
    assert sorted(user.memberships.values_list("unit__code", flat=True)) == ["YB", "YB.LY"]


@pytest.mark.parametrize("args,stdin", [
    (["x", "--role", "counter", "--unit", "NOPE"], ""),
    (["x", "--role", "counter"], ""),
    (["x", "--role", "citizen", "--password-stdin"], "short\n"),
    (["a b", "--role", "citizen"], ""),
    (["x", "--role", "wizard"], ""),
])
def test_user_errors_raise_a_command_error_and_create_nobody(demo, args, stdin):
    users = User.objects.count()
    with pytest.raises(CommandError):
        _create_user(*args, stdin=stdin)
    assert User.objects.count() == users


@pytest.fixture(scope="module")
def data_dir(installation_template, tmp_path_factory):
    """A fresh SQLite data directory migrated by the real CLI (a copy of the session's, tests/installations.py)."""
    from tests.installations import copy_installation

    return copy_installation(installation_template, tmp_path_factory.mktemp("motcua-data") / "data")


def _env(path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "MOTCUA_DEBUG"}}
    env["MOTCUA_DATA_DIR"] = str(path)
    return env


def _cli(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([str(MOTCUA), *args], input=stdin, env=_env(data_dir), capture_output=True, text=True, timeout=300)


def test_the_cli_prints_a_token_as_its_last_line(data_dir):
    done = _cli(data_dir, "create-user", "dan", "--role", "citizen", "--password-stdin", "--print-token",
                stdin="mot-mat-khau-dai\n")
    assert done.returncode == 0, done.stderr
    token = done.stdout.strip().splitlines()[-1]
    assert token.startswith("mc_") and len(token) > 30
    check = _cli(data_dir, "shell", "-c",
                 "from motcua.accounts.models import ApiToken, hash_token; "
                 f"print(ApiToken.objects.filter(key_hash=hash_token('{token}'), user__username='dan').count())")
    assert check.stdout.strip().splitlines()[-1] == "1", (check.stdout, check.stderr)


@pytest.mark.parametrize("args,stdin", [
    (["create-user", "x", "--role", "counter", "--unit", "NOPE"], ""),
    (["create-user", "x", "--role", "wizard"], ""),
    (["create-user", "x"], ""),
    (["create-user", "x", "--role", "citizen", "--password-stdin"], "short\n"),
])
def test_cli_user_errors_exit_1_with_one_line_and_no_traceback(data_dir, args, stdin):
    done = _cli(data_dir, *args, stdin=stdin)
    assert done.returncode == 1, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
