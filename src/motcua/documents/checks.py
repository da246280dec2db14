"""``motcua check --deploy``: digitisation without OCR on this machine.

Without Tesseract and its Vietnamese model a scan sent for digitisation is
kept as it is, flagged "chưa nhận dạng chữ": nothing is lost, but nothing can be searched.
"""

from __future__ import annotations

from django.core.checks import Tags, Warning, register

from motcua.documents import ocr


@register(Tags.compatibility, deploy=True)
def ocr_installed(app_configs=None, **kwargs):
    lacking = ocr.missing()
    if not lacking:
        return []
    packages = " ".join(lacking)
    return [Warning(
        f"Máy chủ thiếu {packages}: bản quét gửi số hóa được giữ nguyên, chưa nhận dạng chữ (không tìm kiếm được). "
        f"/ This machine lacks {packages}: scans sent for digitisation are kept as they are, without OCR (not searchable).",
        hint=f"apt-get install {packages} (docs/operators/digitisation.md)", id="motcua.documents.W001",
    )]
