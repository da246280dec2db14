"""The file links sent to the national portal (``DuongDanTaiTepTin``, ``DuongDanTepTinKetQua``).

The national portal downloads them itself, without an account (shared/domain/national-systems.md
§1.6: "the file server must be reachable from outside"). Each link opens exactly one stored file:
its path carries the file's id and the first bytes of its SHA-256, signed with the installation's
secret key and stamped with the time it was made (``django.core.signing.TimestampSigner``). So a
link cannot be guessed or altered to reach another file, it stops working after
``MOTCUA_DVCQG_FILE_LINK_DAYS`` days (a later sync sends a fresh one), and it needs no table.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing

from motcua.documents.models import DossierFile
from motcua.links import public_reverse

SALT = "motcua.national.dvcqg.file-link"


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def file_token(record: DossierFile) -> str:
    return _signer().sign(f"{record.pk}.{record.sha256[:16]}")


def file_url(record: DossierFile) -> str:
    """The absolute, unguessable, expiring link to ``record`` alone."""
    return public_reverse("national:dvcqg:file", file_token(record))


def file_for_token(token: str) -> DossierFile | None:
    """The one file a valid, unexpired token names; None for anything else."""
    try:
        value = _signer().unsign(token, max_age=dt.timedelta(days=settings.DVCQG_FILE_LINK_DAYS))
    except signing.BadSignature:  # also SignatureExpired
        return None
    pk, _, digest = value.partition(".")
    if not pk.isdigit():
        return None
    record = DossierFile.objects.filter(pk=int(pk)).first()
    if record is None or not record.sha256.startswith(digest) or len(digest) != 16:
        return None
    return record
