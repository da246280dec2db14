"""What a scan sent for digitisation is, read from its bytes before any work is queued:
a PDF's pages (refused when it is damaged, password-protected, digitally signed, or
longer than ``settings.DIGITISE_MAX_PAGES``), whether it carries JavaScript (the PDF/A
copy never does), or one JPEG/PNG image and the resolution to read it at.

Also the page work the background task needs: a few pages of a PDF copied into a file of
their own without any script or action, the recognised parts joined into one PDF/A, and
the text layer read back.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pikepdf
from django.conf import settings
from PIL import Image, UnidentifiedImageError

from motcua.errors import DomainError, InvalidInput

A4_LONG_SIDE_INCHES = 11.69
MIN_DPI, MAX_DPI = 70, 600


class TooManyPages(DomainError):
    """413: more pages (or pixels) than one digitisation takes."""

    status = 413
    code = "too_many_pages"


@dataclass(frozen=True)
class ScanFacts:
    is_pdf: bool
    pages: int
    scripts: bool = False  # the PDF carried JavaScript or actions (removed in the digitised copy)
    image_dpi: int | None = None  # an image's resolution when its own is missing or not credible


def _unreadable(what: str) -> InvalidInput:
    return InvalidInput(f"Không đọc được {what}: tệp bị hỏng hoặc không đầy đủ. Hãy quét lại.",
                        code="scan_unreadable", fields={"file": [f"{what[0].upper()}{what[1:]} bị hỏng."]})


def examine(uploaded, content_type: str) -> ScanFacts:
    """The facts of an uploaded scan (PDF, JPEG or PNG, already recognised by content), or a
    clear 4xx error: damaged (422 ``scan_unreadable``), password-protected (422
    ``pdf_encrypted``), signed (422 ``pdf_signed``), too long (413 ``too_many_pages``)."""
    uploaded.seek(0)
    try:
        if content_type == "application/pdf":
            return _examine_pdf(uploaded)
        return _examine_image(uploaded)
    finally:
        uploaded.seek(0)


def _examine_pdf(stream) -> ScanFacts:
    try:
        pdf = pikepdf.open(stream)
    except pikepdf.PasswordError:
        raise InvalidInput(
            "Tệp PDF được bảo vệ bằng mật khẩu: không số hóa được. Hãy gỡ mật khẩu hoặc quét lại bản giấy.",
            code="pdf_encrypted", fields={"file": ["Tệp PDF có mật khẩu."]},
        ) from None
    except (pikepdf.PdfError, ValueError, OSError):
        raise _unreadable("tệp PDF") from None
    with pdf:
        try:
            pages = len(pdf.pages)
            signed = _is_signed(pdf)
            scripts = has_scripts(pdf)
        except (pikepdf.PdfError, ValueError, KeyError, TypeError):
            raise _unreadable("tệp PDF") from None
    if pages == 0:
        raise _unreadable("tệp PDF")
    limit = settings.DIGITISE_MAX_PAGES
    if pages > limit:
        raise TooManyPages(
            f"Bản quét có {pages} trang, vượt giới hạn {limit} trang một lần số hóa. Hãy chia thành nhiều tệp.",
            fields={"file": [f"Tối đa {limit} trang."]},
        )
    if signed:
        raise InvalidInput(
            "Tệp PDF đã được ký số: giữ nguyên bản gốc (số hóa sẽ làm mất hiệu lực chữ ký). Hãy tải lên không chọn số hóa.",
            code="pdf_signed", fields={"digitise": ["Tệp đã ký số không cần số hóa."]},
        )
    return ScanFacts(is_pdf=True, pages=pages, scripts=scripts)


def _is_signed(pdf: pikepdf.Pdf) -> bool:
    form = pdf.Root.get("/AcroForm")
    if form is None:
        return False
    for field in form.get("/Fields", []):
        if field.get("/FT") == pikepdf.Name.Sig and field.get("/V") is not None:
            return True
    return False


_SCRIPT_KEYS = ("/JS", "/JavaScript")


def has_scripts(pdf: pikepdf.Pdf) -> bool:
    """The PDF carries JavaScript (document-level names, open action, page, annotation or
    field actions, or any object with ``/S /JavaScript``)."""
    names = pdf.Root.get("/Names")
    if names is not None and "/JavaScript" in names:
        return True
    return any(_scripted(obj, 0) for obj in pdf.objects)


_SCRIPTED = ("/JavaScript", "/Launch")


def _scripted(obj, depth: int) -> bool:
    """``obj`` or a dictionary written directly inside it (not by reference: those are
    objects of their own) is a script or an action that runs one — an ``/OpenAction`` written
    inline in the catalogue too."""
    if depth > 8:
        return False
    if isinstance(obj, pikepdf.Dictionary):
        if any(key in obj for key in _SCRIPT_KEYS) or str(obj.get("/S", "")) in _SCRIPTED:
            return True
        children = (obj.get(key) for key in obj.keys())
    elif isinstance(obj, pikepdf.Array):
        children = iter(obj)
    else:
        return False
    return any(not child.is_indirect and _scripted(child, depth + 1)
               for child in children if isinstance(child, (pikepdf.Dictionary, pikepdf.Array)))


def assumed_dpi(width: int, height: int) -> int:
    """The resolution of a page photographed or scanned whole, taking it for A4."""
    return max(MIN_DPI, min(MAX_DPI, round(max(width, height) / A4_LONG_SIDE_INCHES)))


MAX_IMAGE_PIXELS = 60_000_000  # an A4 page at 600 dpi is 35 million


def _examine_image(stream) -> ScanFacts:
    try:
        with Image.open(stream) as image:
            width, height = image.size
            dpi = image.info.get("dpi")
            if width * height > MAX_IMAGE_PIXELS:
                raise TooManyPages(
                    f"Ảnh quét quá lớn ({width} × {height} điểm ảnh): hãy quét ở độ phân giải 200–300 dpi.",
                    code="image_too_large", fields={"file": [f"Tối đa {MAX_IMAGE_PIXELS} điểm ảnh."]},
                )
            image.load()  # every pixel decoded: a truncated or damaged image fails here, not in the worker
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise _unreadable("ảnh quét") from None
    if not width or not height:
        raise _unreadable("ảnh quét")
    try:
        own = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        own = 0.0
    credible = MIN_DPI <= own <= MAX_DPI
    return ScanFacts(is_pdf=False, pages=1, image_dpi=None if credible else assumed_dpi(width, height))


# ------------------------------------------------------------------ page work of the background task

def copy_pages(source: Path, start: int, stop: int, target: Path) -> None:
    """Pages ``start`` ≤ i < ``stop`` of the PDF ``source`` into ``target``, without any
    script or action: document-level ones are left behind, page and annotation ones removed."""
    with pikepdf.open(source) as pdf, pikepdf.new() as part:
        part.pages.extend(pdf.pages[start:stop])
        for page in part.pages:
            _drop(page.obj, "/AA")
            for annotation in page.obj.get("/Annots", []):
                _drop(annotation, "/AA")
                action = annotation.get("/A")
                if action is not None and action.get("/S") != pikepdf.Name.URI:
                    _drop(annotation, "/A")
        part.save(target)


def _drop(obj, key: str) -> None:
    if key in obj:
        del obj[key]


def join(parts: list[Path], target: Path) -> int:
    """The PDF/A parts, in order, as one PDF/A (the first part's metadata and output intent,
    every part's pages); returns the number of pages."""
    with pikepdf.open(parts[0]) as whole:
        others = [pikepdf.open(p) for p in parts[1:]]
        try:
            for other in others:
                whole.pages.extend(other.pages)
            whole.save(target)
            return len(whole.pages)
        finally:
            for other in others:
                other.close()


def pdfa_part(path: Path) -> str:
    """The PDF/A conformance the file declares (``2B``), or "" when it declares none."""
    with pikepdf.open(path) as pdf:
        return pdf.open_metadata().pdfa_status or ""


def text_of(path: Path) -> str:
    """The text layer of a PDF, page after page (pdfminer.six, as a reader's copy would give)."""
    from pdfminer.high_level import extract_text

    return extract_text(str(path)).replace("\x0c", "\n").strip()


# ------------------------------------------------------------------ a result uploaded as an image

def image_as_pdf(uploaded) -> bytes:
    """The PDF of a result uploaded as one JPEG or PNG image (already recognised by content):
    one page, the image embedded as it is (img2pdf, which comes with OCRmyPDF: a JPEG is not
    re-encoded, a PNG is kept lossless) at the image's own resolution, or, when it records none
    that is credible, as an A4 page photographed whole (``assumed_dpi``). Transparency is kept
    (a soft mask). Never OCR'd: a result is born digital. A damaged or too large image: the same 4xx errors as :func:`examine`."""
    import img2pdf

    facts = examine(uploaded, "image")
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    layout = {"layout_fun": img2pdf.get_fixed_dpi_layout_fun((facts.image_dpi, facts.image_dpi))} if facts.image_dpi else {}
    try:
        return img2pdf.convert(data, **layout, rotation=img2pdf.Rotation.ifvalid)
    except (img2pdf.ImageOpenError, img2pdf.JpegColorspaceError, img2pdf.UnsupportedColorspaceError,
            img2pdf.ExifOrientationError, img2pdf.NegativeDimensionError, img2pdf.PdfTooLargeError, ValueError, OSError):
        raise _unreadable("ảnh kết quả") from None
