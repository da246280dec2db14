"""The data directory kept private (issue 17 §6): an import's staging files live under it, not
in /tmp, and those a killed import left are removed at the next start; stored papers are
written owner-only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from motcua import datadir


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "var"
    return settings.DATA_DIR


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_import_staging_is_under_the_data_directory_never_in_tmp(data_dir):
    from motcua.dossiers.importer import Staging

    with Staging() as staging:
        folder = Path(staging.folder)
        assert folder.parent == data_dir / "tmp" and str(os.getpid()) in folder.name
        assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700
        assert Path(staging.path).exists()
    assert not folder.exists()


def test_a_start_removes_what_a_killed_import_left_and_keeps_a_running_ones(data_dir):
    scratch = datadir.scratch_dir()
    left = scratch / f"motcua-import-{dead_pid()}-abc123"
    left.mkdir()
    (left / "staging.sqlite3").write_bytes(b"x" * 4096)
    running = datadir.staging_dir("import")
    other = scratch / "notes.txt"
    other.write_text("kept")
    assert datadir.clean_scratch() == 1
    assert not left.exists() and Path(running.name).exists() and other.exists()
    running.cleanup()


def test_an_import_killed_with_kill_9_leaves_nothing_after_the_next_start(data_dir, tmp_path):
    """A real process holding a staging directory is killed; the next start removes it."""
    script = (
        "import os, sys, time, django\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'motcua.settings'\n"
        f"os.environ['MOTCUA_DATA_DIR'] = {str(data_dir)!r}\n"
        "django.setup()\n"
        "from motcua.dossiers.importer import Staging\n"
        "s = Staging()\n"
        "print(s.folder, flush=True)\n"
        "time.sleep(600)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    folder = Path(child.stdout.readline().strip())
    assert folder.exists() and folder.parent == data_dir / "tmp"
    child.kill()
    child.wait()
    assert folder.exists()  # kill -9: nothing cleaned up by the process itself
    assert datadir.clean_scratch() == 1 and not folder.exists()


def test_stored_papers_are_written_owner_only(settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path / "media")
    name = storage.save("ho-so/2026/giay-to.pdf", ContentFile(b"%PDF-1.4 test"))
    path = Path(storage.path(name))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
