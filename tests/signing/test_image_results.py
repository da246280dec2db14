"""A result uploaded as a JPEG or PNG image is stored as a one-page PDF of it (at the image's
resolution, never OCR'd), keeps the image as it came, and is signed like any PDF result: the
citizen downloads a PDF that verifies as signed and issued by Motcua (issue 19)."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.signing import demo_pki
from tests.files.conftest import advance

pytestmark = pytest.mark.django_db


def a_png(size=(1240, 1754), dpi=150, alpha=False) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA" if alpha else "RGB", size, (255, 255, 255, 200) if alpha else "white")
    ImageDraw.Draw(image).text((100, 100), "GIAY CHUNG NHAN", fill="black")
    out = io.BytesIO()
    image.save(out, "PNG", **({"dpi": (dpi, dpi)} if dpi else {}))
    return out.getvalue()


def upload_result(online_dossier, committed, data: bytes, name: str, content_type: str):
    from motcua.accounts.models import User
    from motcua.documents import services as documents

    dossier = online_dossier()
    dossier = advance(dossier, ("motcua.yt", "assign", {"assignee": "chuyenvien.yt"}))
    with committed():
        record = documents.upload_document(User.objects.get(username="chuyenvien.yt"), dossier.code,
                                           SimpleUploadedFile(name, data, content_type), kind="result")
    return advance(dossier, ("chuyenvien.yt", "propose", {})), record


def page_sizes(data: bytes) -> list[tuple[float, float]]:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [(float(p.mediabox[2]) - float(p.mediabox[0]), float(p.mediabox[3]) - float(p.mediabox[1]))
                for p in pdf.pages]


def test_a_png_result_is_a_signed_pdf_the_citizen_downloads_and_anyone_verifies(pki, online_dossier, committed, run_worker,
                                                                                 client, tmp_path, media_dir):
    from motcua.accounts.models import User
    from motcua.documents.models import DossierFile
    from motcua.signing.models import SigningJob
    from motcua.signing.verify import verify_pdf

    png = a_png()
    dossier, record = upload_result(online_dossier, committed, png, "giay-chung-nhan.png", "image/png")
    assert (record.content_type, record.name) == ("application/pdf", "giay-chung-nhan.pdf")
    assert record.original_content_type == "image/png"
    with record.original.open("rb") as f:
        assert f.read() == png  # the image as it came, kept
    with record.file.open("rb") as f:
        made = f.read()
    assert made.startswith(b"%PDF-")
    # one page, at the image's resolution: 1240 × 1754 px at 150 dpi is A4 (595 × 842 pt)
    assert [(round(w), round(h)) for w, h in page_sizes(made)] == [(595, 842)]
    assert not hasattr(record, "digitisation") or record.digitisation is None  # a result is never OCR'd
    upload = dossier.events.get(action="upload_document").changes["document"]
    assert upload["from_image"] == "image/png" and upload["sha256"] == record.sha256

    with committed():
        dossier = advance(dossier, ("lanhdao.yt", "approve", {}), ("motcua.yt", "return_result", {}))
    assert list(SigningJob.objects.filter(file=record).values_list("role", flat=True)) == ["agency"]
    run_worker()

    client.force_login(User.objects.get(username="congdan"))
    response = client.get(f"/api/v1/dossiers/{dossier.code}/documents/{record.pk}")
    assert response.status_code == 200
    downloaded = b"".join(response.streaming_content) if response.streaming else response.content
    assert downloaded == DossierFile.objects.get(pk=record.pk).file.open("rb").read()
    result = verify_pdf(downloaded)
    assert result.signed and result.all_good
    assert [s.signer for s in result.signatures] == [demo_pki.SIGNERS["agency"]]
    assert result.issued is not None and result.issued.code == dossier.code
    if shutil.which("pdfsig"):
        path = tmp_path / "ket-qua.pdf"
        path.write_bytes(downloaded)
        out = subprocess.run(["pdfsig", "-nocert", str(path)], capture_output=True, text=True, timeout=60).stdout
        assert "Signature is Valid" in out and demo_pki.SIGNERS["agency"] in out


def test_an_image_without_a_credible_resolution_is_an_a4_page_and_transparency_is_kept(pki, online_dossier, committed, media_dir):
    _dossier, record = upload_result(online_dossier, committed, a_png(size=(1000, 1414), dpi=None, alpha=True),
                                     "ket-qua.png", "image/png")
    with record.file.open("rb") as f:
        (w, h), = page_sizes(f.read())
    assert abs(h - 842) < 2 and abs(w - 595) < 2


def test_a_jpeg_result_is_stored_as_a_pdf_too(pki, online_dossier, committed, media_dir):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (600, 400), "white").save(out, "JPEG", dpi=(100, 100))
    _dossier, record = upload_result(online_dossier, committed, out.getvalue(), "anh.jpg", "image/jpeg")
    assert (record.content_type, record.original_content_type, record.name) == ("application/pdf", "image/jpeg", "anh.pdf")
    with record.file.open("rb") as f:
        assert [(round(w), round(h)) for w, h in page_sizes(f.read())] == [(432, 288)]


def test_a_damaged_image_result_is_refused_and_nothing_is_stored(pki, online_dossier, committed, media_dir):
    from motcua.documents.models import DossierFile
    from motcua.errors import InvalidInput

    png = a_png()
    with pytest.raises(InvalidInput):
        upload_result(online_dossier, committed, png[: len(png) // 3], "hong.png", "image/png")
    assert not DossierFile.objects.filter(is_result=True).exists()
    assert not [p for p in media_dir.rglob("*") if p.is_file() and "documents" in p.parts]


def test_the_same_result_twice_is_signed_both_times(pki, online_dossier, committed, run_worker, media_dir):
    """A result is its own original: never linked to an earlier copy (which would stay unsigned)."""
    from motcua.documents.models import DossierFile
    from tests.signing.test_who_signs import signatures

    png = a_png()
    first, _ = upload_result(online_dossier, committed, png, "kq.png", "image/png")
    second, _ = upload_result(online_dossier, committed, png, "kq.png", "image/png")
    assert not DossierFile.objects.filter(is_result=True, reused_from__isnull=False).exists()
    for dossier in (first, second):
        with committed():
            advance(dossier, ("lanhdao.yt", "approve", {}), ("motcua.yt", "return_result", {}))
    run_worker()
    results = DossierFile.objects.filter(is_result=True)
    assert len(results) == 2 and all(signatures(r) == [demo_pki.SIGNERS["agency"]] for r in results)
