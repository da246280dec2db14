"""Fixtures for documents, payments, ratings and notifications: dossiers in known states,
file storage in a temporary folder, and small real files of each type."""

from __future__ import annotations

import pytest

APPLICANT = {
    "full_name": "Nguyễn Văn An",
    "id_number": "015090001234",
    "phone": "0912345678",
    "email": "an.nguyen@example.vn",
    "address": "Tổ 5, thị trấn Yên Thế",
}

# Smallest valid headers of each accepted type, padded with bytes.
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(40)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40) + b"\xff\xd9"


def _real_png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "PNG", dpi=(96, 96))
    return out.getvalue()


# A PNG an image library reads (a result image is made a PDF, which needs its pixels; PNG above is only a header)
REAL_PNG = _real_png()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(60) + b"This program cannot be run in DOS mode."


@pytest.fixture(autouse=True)
def media_dir(settings, tmp_path):
    """Uploaded files go to a fresh folder per test (Django's default storage)."""
    root = tmp_path / "media"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}},
    }
    settings.MEDIA_ROOT = str(root)
    return root


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def online_dossier(demo):
    """An online dossier of ``congdan`` at Thị trấn Yên Thế, accepted (status ``received``)."""
    from motcua.accounts.models import User
    from motcua.dossiers import actions, intake

    def make(procedure: str = "1.001193", unit: str = "YB.LY.YT", accept: bool = True, **applicant):
        citizen = User.objects.get(username="congdan")
        dossier = intake.receive_dossier(
            actor=citizen, procedure_code=procedure, unit_code=unit, channel="online",
            applicant={**APPLICANT, **applicant},
        )
        if accept:
            counter = {"YB.LY.YT": "motcua.yt", "YB.LY.MX": "motcua.mx"}[unit]
            dossier = actions.apply_action(User.objects.get(username=counter), dossier.code, "accept")
        return dossier

    return make


def advance(dossier, *steps):
    """Apply ``(username, action, payload)`` steps to ``dossier``; return it refreshed."""
    from motcua.accounts.models import User
    from motcua.dossiers import actions

    for username, action, payload in steps:
        dossier = actions.apply_action(User.objects.get(username=username), dossier.code, action, payload)
    return dossier


TO_RESULT_RETURNED = (
    ("motcua.yt", "assign", {"assignee": "chuyenvien.yt"}),
    ("chuyenvien.yt", "propose", {}),
    ("lanhdao.yt", "approve", {}),
    ("motcua.yt", "return_result", {}),
)
