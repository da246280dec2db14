"""Where stored files live: the ``STORAGES["default"]`` entry, local disk or an S3-compatible bucket.

Every stored file (a dossier's papers and results, a draft's papers) is written, read, listed and
deleted through Django's default storage only (``documents.services``, ``filing.services``,
``backups.archive``), so this one entry decides where they go. ``settings.py`` calls
:func:`default_storage_setting` with the ``MOTCUA_S3_*`` variables (docs/operators/storage.md).
Printed PDFs (receipts, forms, reports) are made on each request and never stored.
"""

from __future__ import annotations

from pathlib import Path


def default_storage_setting(*, media_root: Path | str, bucket: str = "", endpoint_url: str = "", region: str = "",
                            access_key: str = "", secret_key: str = "", prefix: str = "",
                            addressing_style: str = "path") -> dict:
    """Local disk under ``media_root`` when ``bucket`` is empty, else django-storages' S3 backend."""
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media_root}}
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "region_name": region or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "location": prefix.strip("/"),
        "addressing_style": addressing_style or None,
        "signature_version": "s3v4",
        # As on the local disk: a stored name is never overwritten, and objects stay private
        # (files are only ever served by the application, which checks who may read them).
        "file_overwrite": False,
        "default_acl": None,
    }}
