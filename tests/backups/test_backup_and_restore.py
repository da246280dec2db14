"""`motcua backup PATH` and `motcua restore PATH [--force]` (CONTRACT §1), on the database the
suite runs on (SQLite, or PostgreSQL with DATABASE_URL): every dossier, event, file and account
comes back as it was, in a fresh installation started as its own process."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

SNAPSHOT = """
import hashlib, json, django
django.setup()
from django.core.files.storage import default_storage
from motcua.backups.archive import stored_files, table_counts
from motcua.accounts.models import User
from motcua.dossiers.models import Dossier, DossierEvent
print(json.dumps({
    "tables": table_counts(),
    "files": {n: hashlib.sha256(default_storage.open(n, "rb").read()).hexdigest() for n in stored_files()},
    "dossiers": sorted(Dossier.objects.order_by("code").values_list("code", "status", "applicant_id_number")),
    "events": DossierEvent.objects.count(),
    "users": sorted(User.objects.values_list("username", "password", "role")),
}, default=str))
"""


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}}}
    settings.MEDIA_ROOT = str(root)
    return root


def snapshot_here() -> dict:
    from django.core.files.storage import default_storage

    from motcua.accounts.models import User
    from motcua.backups.archive import stored_files, table_counts
    from motcua.dossiers.models import Dossier, DossierEvent

    return json.loads(json.dumps({
        "tables": table_counts(),
        "files": {n: hashlib.sha256(default_storage.open(n, "rb").read()).hexdigest() for n in stored_files()},
        "dossiers": sorted(Dossier.objects.order_by("code").values_list("code", "status", "applicant_id_number")),
        "events": DossierEvent.objects.count(),
        "users": sorted(User.objects.values_list("username", "password", "role")),
    }, default=str))


@pytest.fixture
def fresh_installation(tmp_path):
    """The environment of an empty installation of the same kind: a new data folder, and on
    PostgreSQL a new, empty database (dropped afterwards)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["MOTCUA_DATA_DIR"] = str(tmp_path / "restored")
    env["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
    database = None
    if connection.vendor == "postgresql":
        database = f"motcua_restore_{uuid.uuid4().hex[:8]}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{database}"')
        s = connection.settings_dict
        env["DATABASE_URL"] = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{database}"
    else:
        env.pop("DATABASE_URL", None)
    yield env
    if database:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def motcua(env, *args):
    return subprocess.run([sys.executable, "-m", "motcua", *args], env=env, capture_output=True, text=True, timeout=300)


def test_backup_then_restore_into_an_empty_installation(demo, media, api_as, tmp_path, fresh_installation):
    counter = api_as("motcua.yt")
    created = counter.post("/dossiers", {
        "procedure": "1.004873", "unit": "YB.LY.YT", "channel": "direct",
        "applicant": {"full_name": "Lò Văn Sao", "id_number": "012345678901", "phone": "0987654321"},
    })
    assert created.status_code == 201, created.content
    code = created.json()["code"]
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from motcua.accounts.models import User

    upload = Client()
    upload.force_login(User.objects.get(username="motcua.yt"))
    paper = SimpleUploadedFile("to-khai.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + os.urandom(64),
                               content_type="application/pdf")
    from motcua.catalog.models import RequiredDocument

    kind = RequiredDocument.objects.filter(procedure__code="1.004873").first().name
    r = upload.post(f"/api/v1/dossiers/{code}/documents", {"file": paper, "kind": kind})
    assert r.status_code == 201, r.content
    before = snapshot_here()
    assert before["files"] and before["events"] >= 1

    archive = tmp_path / "sao-luu.tar"
    call_command("backup", str(archive))
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["vendor"] == connection.vendor and manifest["files"] == len(before["files"])
    assert manifest["tables"] == before["tables"]
    assert any(n.startswith("files/") for n in names)

    done = motcua(fresh_installation, "restore", str(archive))
    assert done.returncode == 0, done.stderr
    after = subprocess.run([sys.executable, "-c", SNAPSHOT], env=fresh_installation, capture_output=True, text=True, timeout=120)
    assert after.returncode == 0, after.stderr
    restored = json.loads(after.stdout)
    assert restored["dossiers"] == before["dossiers"] and code in {d[0] for d in restored["dossiers"]}
    assert restored["events"] == before["events"] and restored["users"] == before["users"]
    assert restored["files"] == before["files"]
    assert restored["tables"] == before["tables"]

    again = motcua(fresh_installation, "restore", str(archive))
    assert again.returncode == 1 and "--force" in again.stderr and "Traceback" not in again.stderr
    forced = motcua(fresh_installation, "restore", str(archive), "--force")
    assert forced.returncode == 0, forced.stderr


def test_restore_refuses_what_is_not_a_backup(tmp_path, db):
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar file")
    with pytest.raises(CommandError, match="cannot read the archive"):
        call_command("restore", str(junk))
    empty = tmp_path / "empty.tar"
    with tarfile.open(empty, "w"):
        pass
    with pytest.raises(CommandError, match="not a Motcua backup"):
        call_command("restore", str(empty))
