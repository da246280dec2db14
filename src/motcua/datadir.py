"""The data directory (``MOTCUA_DATA_DIR``) kept private (issue 17 §6): what it holds — the
SQLite database and its WAL, stored papers, the secret key, work files — is the citizens'
data, readable by the server's own account only.

- ``private_dir(path)``: a directory made (or found) owner-only, 0700.
- ``secure_sqlite(path)``: the SQLite database, its ``-wal`` and ``-shm`` owner-only, 0600
  (SQLite creates a new WAL with the database file's mode, so it stays so); every new
  connection calls it (``OperationsConfig``).
- ``scratch_dir()``: ``MOTCUA_DATA_DIR/tmp``, where work files (an import's staging) live
  instead of ``/tmp``; ``staging_dir(prefix)`` names each with the process id, and
  ``clean_scratch()`` — at ``motcua serve``, ``motcua worker`` and ``import-dossiers`` start —
  removes those whose process is gone (an import killed with ``kill -9``).
- Stored files are written 0600 in 0700 folders (``FILE_UPLOAD_PERMISSIONS``).
``check --deploy`` warns when the directory or the database is readable by others (W017).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

SCRATCH = "tmp"
_OWNED = re.compile(r"^motcua-[a-z]+-(\d+)-")


def private_dir(path: Path) -> Path:
    path = Path(path)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, 0o700)
    return path


def secure_sqlite(path) -> None:
    for name in (str(path), f"{path}-wal", f"{path}-shm"):
        try:
            if stat.S_IMODE(os.stat(name).st_mode) & 0o077:
                os.chmod(name, 0o600)
        except FileNotFoundError:
            continue
        except PermissionError:  # not ours (a copy opened read-only): leave it
            continue


def on_connection(sender, connection, **kwargs) -> None:
    """``connection_created``: a SQLite database file made by this connection is owner-only."""
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict.get("NAME") or "")
        if name and name != ":memory:" and not name.startswith("file:"):
            secure_sqlite(name)


def scratch_dir() -> Path:
    return private_dir(Path(settings.DATA_DIR) / SCRATCH)


def staging_dir(prefix: str) -> tempfile.TemporaryDirectory:
    """A private work directory under the data directory, named with this process's id
    (``motcua-import-<pid>-…``) so a later start can tell it was left behind."""
    return tempfile.TemporaryDirectory(prefix=f"motcua-{prefix}-{os.getpid()}-", dir=scratch_dir())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_scratch() -> int:
    """Remove the work directories whose process is gone; how many were removed."""
    root = Path(settings.DATA_DIR) / SCRATCH
    if not root.is_dir():
        return 0
    removed = 0
    for entry in root.iterdir():
        match = _OWNED.match(entry.name)
        if match is None or _alive(int(match.group(1))):
            continue
        shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink(missing_ok=True)
        removed += 1
    if removed:
        log.info("removed %s work directories left by stopped processes", removed)
    return removed
