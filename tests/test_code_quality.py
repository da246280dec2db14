"""The linter and the type checker, run by the suite (``make test``, CI's SQLite pass).

``ruff check`` with the classic rules (pyflakes and pycodestyle's errors) over the code, the
tests and the bench, and ``mypy`` with the Django plugin (django-stubs) over ``src/motcua``;
both are configured in pyproject.toml, which lists the modules whose findings are not fixed
yet. A finding fails the test with the tool's own output. mypy keeps its cache in ``var/``
of the checkout (a second run takes seconds)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.db_agnostic


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=900)


def test_ruff_finds_nothing():
    result = run("ruff", "check", "--no-cache", "--output-format", "concise", "src", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing():
    result = run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
