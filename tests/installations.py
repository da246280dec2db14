"""Installations for the tests that run ``motcua`` in another process (the CLI, real servers):
one migrated per session, copied per test or module (issue 21 §3).

A fresh ``motcua migrate`` costs seconds; each test directory that needs a real installation
used to make its own. ``migrated_installation`` (a ``MOTCUA_DATA_DIR`` whose SQLite database
the real command migrated, no account) and ``demo_installation`` (the same after ``motcua
seed-demo``) are made once per session — per xdist worker, in that worker's own temporary
directory — and never changed: :func:`copy_installation` gives a test its own copy.
Fixtures in tests/conftest.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def clean_environment(data_dir: Path, **extra: str) -> dict[str, str]:
    """This machine's environment without any Motcua, Django or database setting, with ``data_dir``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "DATABASE_URL", "DJANGO_"))}
    return {**env, "MOTCUA_DATA_DIR": str(data_dir), **extra}


def motcua(data_dir: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "motcua", *args], env=clean_environment(data_dir), cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def make_installation(data_dir: Path, *commands: tuple[str, ...]) -> Path:
    for args in commands:
        run = motcua(data_dir, *args)
        assert run.returncode == 0, run.stdout + run.stderr
    return data_dir


def copy_installation(source: Path, to: Path) -> Path:
    """A copy of ``source`` (its database, secret key and files, modes kept) at ``to``."""
    return Path(shutil.copytree(source, to))
