"""Stored files on S3-compatible object storage (issue 11 §5), against a real S3 server on loopback.

The server is moto's server mode (``ThreadedMotoServer``): an HTTP server speaking the S3
protocol on 127.0.0.1, started here; Motcua reaches it through django-storages and boto3 over
TCP exactly as it would reach MinIO or AWS (nothing in the client is replaced). The storage
entry is the one ``settings.py`` builds from ``MOTCUA_S3_*`` (``documents.storage``); the
restore runs as its own process configured by those variables only.
"""

from __future__ import annotations

import hashlib
import json
import os
import tarfile
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.backups.test_backup_and_restore import fresh_installation, motcua  # noqa: F401 (fixture)
from tests.files.conftest import PDF, stored_files

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server", reason="S3 tests need moto[server] (a dev dependency).")

REGION = "us-east-1"
KEYS = {"access_key": "motcua-test-key", "secret_key": "motcua-test-secret"}
PREFIX = "tinh-yen-bai/"


@pytest.fixture(scope="module")
def s3_endpoint():
    """An S3-compatible server on a free loopback port, for this module."""
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def s3_client(endpoint: str):
    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION,
                        aws_access_key_id=KEYS["access_key"], aws_secret_access_key=KEYS["secret_key"])


def objects(endpoint: str, bucket: str) -> dict[str, bytes]:
    """Every object of ``bucket``: key → bytes, read with a client of its own."""
    client = s3_client(endpoint)
    listed = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {o["Key"]: client.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in listed}


def new_bucket(endpoint: str) -> str:
    name = f"motcua-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint).create_bucket(Bucket=name)
    return name


@pytest.fixture
def bucket(s3_endpoint, settings, media_dir):
    """Django's default storage is a fresh bucket on the loopback server, as MOTCUA_S3_* would make it."""
    from motcua.documents.storage import default_storage_setting

    name = new_bucket(s3_endpoint)
    settings.STORAGES = {**settings.STORAGES, "default": default_storage_setting(
        media_root=media_dir, bucket=name, endpoint_url=s3_endpoint, region=REGION, prefix=PREFIX, **KEYS)}
    return name


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def staff_client(username: str) -> Client:
    from motcua.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_settings_choose_the_s3_backend_only_when_a_bucket_is_named(tmp_path):
    from motcua.documents.storage import default_storage_setting

    local = default_storage_setting(media_root=tmp_path)
    assert local == {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}
    s3 = default_storage_setting(media_root=tmp_path, bucket="ho-so", endpoint_url="https://s3.example.gov.vn",
                                 prefix="/motcua/", **KEYS)
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"]["bucket_name"] == "ho-so" and s3["OPTIONS"]["location"] == "motcua"
    assert s3["OPTIONS"]["file_overwrite"] is False and s3["OPTIONS"]["default_acl"] is None


def test_paper_and_result_are_objects_in_the_bucket_and_download_identical(
        bucket, s3_endpoint, api_as, online_dossier, media_dir):
    from motcua.documents.models import DossierFile

    dossier = online_dossier()
    paper = PDF + os.urandom(2048)
    result = PDF + b"%result\n" + os.urandom(4096)
    citizen = api_as("congdan")
    r = citizen.client.post(f"/api/v1/dossiers/{dossier.code}/documents",
                            {"file": SimpleUploadedFile("to-khai.pdf", paper)}, **citizen.headers)
    assert r.status_code == 201, r.content
    assert r.json()["sha256"] == hashlib.sha256(paper).hexdigest()

    officer = staff_client("motcua.yt")  # the result through the workbench page
    page = officer.post(reverse("office:dossier_upload", args=[dossier.code]),
                        {"file": SimpleUploadedFile("ket-qua.pdf", result), "kind": "result"})
    assert page.status_code == 302
    records = {f.is_result: f for f in DossierFile.objects.filter(dossier__code=dossier.code)}
    assert set(records) == {False, True}

    in_bucket = objects(s3_endpoint, bucket)
    assert in_bucket == {PREFIX + records[False].file.name: paper, PREFIX + records[True].file.name: result}
    assert stored_files(media_dir) == []  # nothing on the local disk

    got = citizen.client.get(f"/api/v1/dossiers/{dossier.code}/documents/{records[False].pk}", **citizen.headers)
    assert got.status_code == 200 and body(got) == paper
    got = citizen.client.get(f"/api/v1/dossiers/{dossier.code}/documents/{records[True].pk}", **citizen.headers)
    assert got.status_code == 200 and body(got) == result
    got = officer.get(reverse("office:dossier_file", args=[dossier.code, records[False].pk]))
    assert got.status_code == 200 and body(got) == paper
    listed = citizen.get("/me/documents").json()
    assert {d["sha256"] for d in listed} == {hashlib.sha256(paper).hexdigest(), hashlib.sha256(result).hexdigest()}


def test_a_lost_object_is_a_404_not_a_500(bucket, s3_endpoint, api_as, online_dossier):
    from motcua.documents.models import DossierFile

    dossier = online_dossier()
    citizen = api_as("congdan")
    r = citizen.client.post(f"/api/v1/dossiers/{dossier.code}/documents",
                            {"file": SimpleUploadedFile("to-khai.pdf", PDF)}, **citizen.headers)
    assert r.status_code == 201
    record = DossierFile.objects.get(pk=r.json()["id"])
    s3_client(s3_endpoint).delete_object(Bucket=bucket, Key=PREFIX + record.file.name)
    got = citizen.client.get(f"/api/v1/dossiers/{dossier.code}/documents/{record.pk}", **citizen.headers)
    assert got.status_code == 404 and got.json()["error"]["code"] == "document_missing"


@pytest.mark.django_db(transaction=True)
def test_backup_holds_the_bucket_objects_and_restore_puts_them_into_another_bucket(
        bucket, s3_endpoint, api_as, online_dossier, tmp_path, fresh_installation):  # noqa: F811
    from motcua.documents.models import DossierFile

    dossier = online_dossier()
    paper = PDF + os.urandom(1024)
    citizen = api_as("congdan")
    r = citizen.client.post(f"/api/v1/dossiers/{dossier.code}/documents",
                            {"file": SimpleUploadedFile("to-khai.pdf", paper)}, **citizen.headers)
    assert r.status_code == 201, r.content
    name = DossierFile.objects.get(pk=r.json()["id"]).file.name

    archive = tmp_path / "sao-luu.tar"
    call_command("backup", str(archive))
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        assert tar.extractfile(f"files/{name}").read() == paper
    assert manifest["files"] == 1 and manifest["vendor"] == connection.vendor

    target = new_bucket(s3_endpoint)
    env = {**fresh_installation, "MOTCUA_S3_BUCKET": target, "MOTCUA_S3_ENDPOINT_URL": s3_endpoint,
           "MOTCUA_S3_REGION": REGION, "MOTCUA_S3_ACCESS_KEY_ID": KEYS["access_key"],
           "MOTCUA_S3_SECRET_ACCESS_KEY": KEYS["secret_key"], "MOTCUA_S3_PREFIX": "khoi-phuc"}
    done = motcua(env, "restore", str(archive))
    assert done.returncode == 0, done.stderr
    assert objects(s3_endpoint, target) == {f"khoi-phuc/{name}": paper}
    assert not (tmp_path / "restored" / "media").exists() or not any((tmp_path / "restored" / "media").rglob("*.*"))

    again = motcua(env, "restore", str(archive))  # the bucket is not empty: --force needed
    assert again.returncode == 1 and "--force" in again.stderr
