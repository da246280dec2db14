"""Recognising a scan's text: OCRmyPDF with Tesseract's Vietnamese model (``vie``), into a
PDF/A-2b whose pages carry an invisible text layer over the scanned image.

The PDF/A is made by OCRmyPDF's internal backend (pikepdf adds the declarations and checks
the result with its PDF/A validator; JPEG images pass unchanged), not by Ghostscript:
Debian 12's Ghostscript 10.0.0 is one OCRmyPDF refuses for pages that already carry text,
and pages are rasterised for Tesseract by pypdfium2.

:func:`missing` says what this machine lacks for it (Tesseract, its Vietnamese model);
without them a scan is kept as it is, flagged "chưa nhận dạng chữ", and
``motcua check --deploy`` warns (``documents/checks.py``). :func:`recognise` runs one
OCRmyPDF job on a few pages; the background task (``documents/digitisation.py``) calls it
step by step so that a long scan shows its progress and never holds the worker for long.
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

LANGUAGE = "vie"
TESSERACT_TIMEOUT = 300  # seconds a page may take before Tesseract gives up on it


class OcrUnavailable(Exception):
    """The machine lacks Tesseract or its Vietnamese model."""


class OcrFailed(Exception):
    """OCRmyPDF could not make the PDF/A. ``permanent``: the input itself is the problem
    (retrying will not help); otherwise a later attempt may succeed."""

    def __init__(self, code: str, message: str, permanent: bool):
        super().__init__(code)
        self.code, self.message, self.permanent = code, message, permanent


@functools.cache
def missing() -> tuple[str, ...]:
    """The Debian packages this machine lacks for OCR (none: OCR works), read once a process."""
    lacking = []
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        lacking += ["tesseract-ocr", "tesseract-ocr-vie"]
    else:
        try:
            listed = subprocess.run([tesseract, "--list-langs"], check=False, capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            listed = ""
        if LANGUAGE not in listed.split():
            lacking.append("tesseract-ocr-vie")
    return tuple(lacking)


def available() -> bool:
    return not missing()


def forget() -> None:
    """Look for the programs again (after installing them; the tests)."""
    missing.cache_clear()


def recognise(source: Path, target: Path, *, image_dpi: int | None = None) -> None:
    """OCR ``source`` (a PDF, or one JPEG/PNG image) into the PDF/A ``target``.

    Pages that already carry text (a PDF made by a program, not a scanner) keep it and are
    not recognised again; the output is PDF/A all the same. ``image_dpi`` gives an image
    without a credible resolution one (see ``scans.assumed_dpi``).
    """
    if not available():
        raise OcrUnavailable(", ".join(missing()))
    import ocrmypdf
    from ocrmypdf import exceptions as ocr_errors

    try:
        ocrmypdf.ocr(
            source, target, language=[LANGUAGE], output_type="pdfa", pdfa_backend="internal", mode="skip",
            jobs=max(1, settings.OCR_JOBS),
            progress_bar=False, image_dpi=image_dpi, tesseract_timeout=TESSERACT_TIMEOUT, optimize=1,
        )
    except ocr_errors.MissingDependencyError as error:
        forget()
        raise OcrUnavailable(type(error).__name__) from None
    except ocr_errors.EncryptedPdfError:
        raise OcrFailed("pdf_encrypted", "Tệp PDF được bảo vệ bằng mật khẩu: không số hóa được.", True) from None
    except (ocr_errors.TaggedPDFError, ocr_errors.PriorOcrFoundError):
        raise OcrFailed("not_a_scan", "Tệp là văn bản điện tử, không phải bản quét: không cần số hóa.", True) from None
    except (ocr_errors.InputFileError, ocr_errors.UnsupportedImageFormatError, ocr_errors.DpiError,
            ocr_errors.DigitalSignatureError) as error:
        raise OcrFailed("scan_unreadable", f"Không đọc được bản quét ({type(error).__name__}).", True) from None
    except ocr_errors.ExitCodeException as error:
        log.warning("OCR failed: %s", type(error).__name__)
        raise OcrFailed("ocr_failed", "Nhận dạng chữ không thành công, sẽ thử lại.", False) from None
    except (OSError, subprocess.SubprocessError) as error:
        log.warning("OCR failed: %s", type(error).__name__)
        raise OcrFailed("ocr_failed", "Nhận dạng chữ không thành công, sẽ thử lại.", False) from None
