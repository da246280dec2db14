"""Installations for the tests that run ``motcua`` as its own process (the CLI, real servers):
each test process migrates ONE SQLite installation, the first time a test asks for it, with
the real ``motcua migrate`` into a new data directory, and each test gets a copy of it (a
migrate is 5–6 s; a copy a few milliseconds). ``seeded_template`` is the same installation
after ``motcua seed-demo``, made once too. A template is never changed: tests change copies.

- ``installation_copy(to, seeded=False)`` → a copy of the template at ``to`` (a function
  fixture: ``installation_copy(tmp_path / "data")``).
- ``motcua_environment(data_dir)``: the environment of such a process — this machine's,
  without any ``MOTCUA_``/``DJANGO_``/``DATABASE_URL``/``PYTEST`` variable of the test run,
  with ``MOTCUA_DATA_DIR`` set (always SQLite: these tests are about the process, not the database).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def motcua_environment(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "DATABASE_URL", "DJANGO_", "PYTEST"))}
    return {**env, "MOTCUA_DATA_DIR": str(data_dir), **extra}


def run_motcua(data_dir: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "motcua", *args], cwd=ROOT, env=motcua_environment(data_dir),
                          capture_output=True, text=True, timeout=timeout)


def copy_installation(template: Path, to: Path) -> Path:
    """The template's files, modes kept (0700 folder, 0600 database and secret key)."""
    return Path(shutil.copytree(template, to, symlinks=True))


@pytest.fixture(scope="session")
def installation_template(tmp_path_factory) -> Path:
    """A data directory made by ``motcua migrate`` itself (the folder did not exist before it): the
    migrated SQLite database and the secret key, no account. Read it, never change it."""
    data_dir = tmp_path_factory.mktemp("installation-template") / "data"
    done = run_motcua(data_dir, "migrate", "--no-input", "-v", "0")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (data_dir / "motcua.sqlite3").exists()
    return data_dir


@pytest.fixture(scope="session")
def seeded_template(installation_template, tmp_path_factory) -> Path:
    """The migrated template after ``motcua seed-demo``. Read it, never change it."""
    data_dir = copy_installation(installation_template, tmp_path_factory.mktemp("seeded-template") / "data")
    done = run_motcua(data_dir, "seed-demo")
    assert done.returncode == 0, done.stdout + done.stderr
    return data_dir


@pytest.fixture
def installation_copy(request):
    """``installation_copy(to, seeded=False)``: a copy of the migrated (or migrated and seeded)
    template at ``to``; the template is made the first time a test of this process asks."""

    def copy(to: Path, seeded: bool = False) -> Path:
        template = request.getfixturevalue("seeded_template" if seeded else "installation_template")
        return copy_installation(template, to)

    return copy
