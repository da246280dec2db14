"""``motcua backup PATH`` / ``motcua restore PATH [--force]`` (docs/commands.md): one archive with
the whole database and every stored file, consistent while the server runs.

The archive is a tar file:

``manifest.json``
    format, time, database vendor, the applied migrations, and the number of rows of every
    table and the number and size of the files, so a restore can be checked against it.
``database.sqlite3`` or ``database.pgdump``
    SQLite: a snapshot through SQLite's online backup API (readers and writers go on).
    PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot: every table and sequence).
``files/…``
    every file of Django's default storage (local disk, or S3-compatible object storage),
    read through the storage API after the database snapshot.

A restore goes into an empty installation; one with any dossier, account or file needs
``--force`` (and is then replaced).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection, connections

FORMAT = "motcua-backup/1"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is one line for the operator."""


@dataclass(frozen=True)
class Summary:
    tables: dict[str, int]
    files: int
    bytes: int


def model_tables() -> list[str]:
    return sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)
                   if not m._meta.proxy and m._meta.managed})


def table_counts(cursor=None) -> dict[str, int]:
    """Rows of every table of every installed model (what a restore is compared against)."""
    counts = {}
    own = cursor is None
    cursor = cursor or connection.cursor()
    try:
        existing = set(connection.introspection.table_names())
        for table in model_tables():
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                counts[table] = cursor.fetchone()[0]
    finally:
        if own:
            cursor.close()
    return counts


def stored_files(storage=default_storage, prefix: str = ""):
    """Every file name in ``storage`` (recursively, through the storage API)."""
    try:
        dirs, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{prefix}{name}"
    for d in sorted(dirs):
        yield from stored_files(storage, f"{prefix}{d}/")


def _pg_env(settings_dict: dict) -> dict:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    return env


def _dump_database(target: Path) -> tuple[str, dict[str, int]]:
    """Snapshot the database into ``target``; the row counts come from the same snapshot."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        source = sqlite3.connect(str(settings_dict["NAME"]))
        try:
            copy = sqlite3.connect(str(target))
            with copy:
                source.backup(copy)
            present = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            counts = {t: copy.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in model_tables() if t in present}
            copy.close()
        finally:
            source.close()
        return "database.sqlite3", counts
    if connection.vendor == "postgresql":
        import psycopg

        # One exported snapshot for the counts and pg_dump: both see the same database state.
        params = {k: v for k, v in connection.get_connection_params().items() if k not in ("cursor_factory", "context")}
        with psycopg.connect(**params, autocommit=True) as pg:
            pg.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            snapshot = pg.execute("SELECT pg_export_snapshot()").fetchone()[0]
            present = {r[0] for r in pg.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
            counts = {t: pg.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in model_tables() if t in present}
            done = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                                   "--file", str(target), settings_dict["NAME"]],
                                  env=_pg_env(settings_dict), capture_output=True, text=True)
            pg.execute("COMMIT")
        if done.returncode:
            last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else str(done.returncode)
            raise BackupError(f"pg_dump thất bại / failed: {last}")
        return "database.pgdump", counts
    raise BackupError(f"Chưa hỗ trợ cơ sở dữ liệu {connection.vendor} / unsupported database")


def backup(path: str | Path) -> Summary:
    """Write the archive to ``path`` (through a temporary file, renamed when complete)."""
    path = Path(path)
    if path.is_dir():
        path = path / f"motcua-{dt.datetime.now():%Y%m%d-%H%M%S}.tar"
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent) as work:
        work = Path(work)
        member, counts = _dump_database(work / "database")
        partial = work / "archive.tar"
        n_files = n_bytes = 0
        with tarfile.open(partial, "w") as tar:
            tar.add(work / "database", arcname=member)
            for name in stored_files():
                with default_storage.open(name, "rb") as fh:
                    data = fh.read()
                info = tarfile.TarInfo(f"files/{name}")
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
                n_files += 1
                n_bytes += len(data)
            manifest = {
                "format": FORMAT, "created_at": dt.datetime.now(dt.timezone.utc).isoformat(), "vendor": connection.vendor,
                "database": member, "tables": counts, "files": n_files, "bytes": n_bytes,
            }
            raw = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
        os.replace(partial, path)
    return Summary(counts, n_files, n_bytes)


def installation_is_empty() -> bool:
    """No dossier, no account and no stored file (a fresh ``migrate`` is empty)."""
    from motcua.accounts.models import User
    from motcua.dossiers.models import Dossier

    existing = set(connection.introspection.table_names())
    for model in (User, Dossier):
        if model._meta.db_table in existing and model._base_manager.exists():
            return False
    return next(iter(stored_files()), None) is None


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile("manifest.json"))
    except (KeyError, ValueError, AttributeError):
        raise BackupError("Tệp không phải bản sao lưu Motcua (thiếu manifest.json) / not a Motcua backup") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Định dạng sao lưu không hỗ trợ: {manifest.get('format')!r} / unsupported backup format")
    return manifest


def restore(path: str | Path, *, force: bool = False) -> Summary:
    """Put an archive back: the database, then every file; then check the counts against the manifest."""
    path = Path(path)
    try:
        tar = tarfile.open(path, "r")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"Không đọc được {path}: {exc} / cannot read the archive") from None
    with tar:
        manifest = read_manifest(tar)
        if manifest["vendor"] != connection.vendor:
            raise BackupError(f"Bản sao lưu của {manifest['vendor']}, cài đặt này dùng {connection.vendor} "
                              f"/ backup of {manifest['vendor']}, this installation runs {connection.vendor}")
        if not force and not installation_is_empty():
            raise BackupError("Cài đặt này đã có dữ liệu; dùng --force để thay thế / not empty: use --force to replace it")
        with tempfile.TemporaryDirectory() as work:
            database = Path(work) / "database"
            with tar.extractfile(manifest["database"]) as src, open(database, "wb") as dst:
                shutil.copyfileobj(src, dst)
            _load_database(database)
            for name in list(stored_files()):
                default_storage.delete(name)
            for member in tar.getmembers():
                if member.isfile() and member.name.startswith("files/"):
                    name = member.name[len("files/"):]
                    if ".." in Path(name).parts or name.startswith("/"):
                        raise BackupError(f"Tên tệp không hợp lệ trong bản sao lưu: {name!r} / unsafe name")
                    saved = default_storage.save(name, File(tar.extractfile(member), name=name))
                    if saved != name:
                        raise BackupError(f"Không khôi phục được tệp {name} / could not restore a file")
    counts = table_counts()
    files = list(stored_files())
    differences = [t for t, n in manifest["tables"].items() if counts.get(t) != n]
    if differences or len(files) != manifest["files"]:
        raise BackupError(f"Khôi phục chưa khớp bản sao lưu: {', '.join(differences) or 'files'} / restore does not match")
    return Summary(counts, len(files), manifest["bytes"])


def _load_database(database: Path) -> None:
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        for conn in connections.all():
            conn.close()
        source = sqlite3.connect(str(database))
        target = sqlite3.connect(str(settings_dict["NAME"]))
        try:
            with target:
                source.backup(target)
        finally:
            source.close()
            target.close()
        return
    connection.close()
    done = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                           "--dbname", settings_dict["NAME"], str(database)],
                          env=_pg_env(settings_dict), capture_output=True, text=True)
    if done.returncode:
        last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else str(done.returncode)
        raise BackupError(f"pg_restore thất bại / failed: {last}")
