"""Digitised papers of a dossier (số hóa hồ sơ): the applicant's documents and the result.

Decision 766/QĐ-TTg counts digitised dossiers (indicator 4.2: files on the components and
on the result), dossiers that reuse digitised data (4.3) and papers taken from the
citizen's store (4.4): ``is_result``, ``reused_from`` and ``from_store`` record exactly
that; the component state each makes is decided in :mod:`motcua.documents.components`.

A paper kept in the citizen's store (kho) carries the metadata a deployed system keeps for
a digitised document (shared/domain/national-systems.md §3.5, ``GiayToSoHoa``): its number
and symbol, the owner's ID number, the issuing body, the date of issue and its validity;
who digitised it and when is its :class:`Digitisation` (the counter's scan run through
OCR into PDF/A, TT 01/2023/TT-VPCP).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

RESULT_KIND = "result"


class DossierFile(models.Model):
    """One uploaded file of a dossier; the bytes live in Django's default storage.

    Several rows may point at the same stored file: a citizen's paper digitised once is
    linked again (``reused_from``) when the same bytes come back for another dossier.
    """

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="files", verbose_name=_("hồ sơ")
    )
    kind = models.CharField(
        _("loại giấy tờ"), max_length=400, blank=True,
        help_text=_("Tên thành phần hồ sơ theo thủ tục, hoặc “result” cho kết quả giải quyết."),
    )
    name = models.CharField(_("tên tệp gốc"), max_length=255)
    file = models.FileField(_("tệp lưu trữ"), max_length=300)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    content_type = models.CharField(_("kiểu nội dung"), max_length=100)
    is_result = models.BooleanField(_("là kết quả giải quyết"), default=False)
    reused_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reuses",
        verbose_name=_("dùng lại bản số hóa"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("người tải lên"),
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)
    # A result uploaded as a JPEG or PNG image is stored as a PDF made of it (one page, at the
    # image's resolution), so it is signed like any PDF result; the image as it came is kept here.
    original = models.FileField(_("ảnh gốc của kết quả"), max_length=300, blank=True)
    original_content_type = models.CharField(_("kiểu nội dung ảnh gốc"), max_length=100, blank=True)
    from_store = models.BooleanField(
        _("lấy từ kho giấy tờ"), default=False,
        help_text=_("Giấy tờ được lấy từ kho dữ liệu của công dân thay vì nộp lại."),
    )
    # The paper's metadata (GiayToSoHoa): what the paper says of itself, typed in by the
    # officer who digitised it (or the one who issued the result).
    paper_code = models.CharField(_("số, ký hiệu giấy tờ"), max_length=100, blank=True)
    owner_id_number = models.CharField(_("số định danh chủ giấy tờ"), max_length=20, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    valid_until = models.DateField(_("có hiệu lực đến"), null=True, blank=True)
    valid_forever = models.BooleanField(_("có hiệu lực vĩnh viễn"), default=False)

    class Meta:
        ordering = ["dossier", "uploaded_at", "id"]
        verbose_name = _("tệp hồ sơ")
        verbose_name_plural = pgettext_lazy("số nhiều", "tệp hồ sơ")
        indexes = [models.Index(fields=["dossier", "is_result"], name="dossierfile_dossier")]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.name}"

    @property
    def reused(self) -> bool:
        return self.reused_from_id is not None


class DigitisationStatus(models.TextChoices):
    """docs/api.md ``digitised``: the listing shows one of these (or null: not asked)."""

    PENDING = "pending", _("đang số hóa")
    DONE = "done", _("đã số hóa")
    FAILED = "failed", _("số hóa không thành công")


class Digitisation(models.Model):
    """The counter's scan of a paper made a PDF/A with a text layer (OCRmyPDF, Tesseract
    ``vie``) in the background: its progress, the recognised text, and the scan as it came.

    ``recognised`` is false when the machine had no Tesseract: the scan is kept as it is,
    flagged "chưa nhận dạng chữ". ``original`` keeps the uploaded bytes whatever happens, so
    a failed or unrecognised digitisation loses nothing.
    """

    file = models.OneToOneField(
        DossierFile, on_delete=models.PROTECT, related_name="digitisation", verbose_name=_("tệp hồ sơ"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=DigitisationStatus.choices, default=DigitisationStatus.PENDING,
    )
    recognised = models.BooleanField(_("đã nhận dạng chữ"), default=False)
    pages = models.PositiveIntegerField(_("số trang"), default=0)
    pages_done = models.PositiveIntegerField(_("số trang đã xử lý"), default=0)
    step = models.CharField(_("bước đang làm"), max_length=100, blank=True)
    scripts_removed = models.BooleanField(
        _("đã gỡ mã JavaScript"), default=False,
        help_text=_("Tệp PDF gửi lên có mã JavaScript hoặc lệnh tự chạy; bản số hóa không còn."),
    )
    image_dpi = models.PositiveSmallIntegerField(
        _("độ phân giải giả định"), null=True, blank=True,
        help_text=_("Ảnh không ghi độ phân giải: đọc như một trang A4 chụp trọn."),
    )
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    error_code = models.CharField(_("mã lỗi"), max_length=50, blank=True)
    error = models.CharField(_("lý do"), max_length=500, blank=True)
    original = models.FileField(_("bản quét gốc"), max_length=300)
    original_sha256 = models.CharField(_("mã băm bản quét gốc"), max_length=64, db_index=True)
    original_content_type = models.CharField(_("kiểu nội dung bản quét gốc"), max_length=100)
    text = models.TextField(_("nội dung nhận dạng"), blank=True)
    search_text = models.TextField(_("nội dung để tìm kiếm"), blank=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người số hóa"),
    )
    requested_at = models.DateTimeField(_("thời điểm yêu cầu"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu xử lý"), null=True, blank=True)
    finished_at = models.DateTimeField(_("thời điểm số hóa"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần số hóa")
        verbose_name_plural = pgettext_lazy("số nhiều", "lần số hóa")

    def __str__(self) -> str:
        return f"{self.file_id}: {self.status}"

    @property
    def progress(self) -> int:
        """Percent of the pages done (0–100); 100 once finished."""
        if self.status != DigitisationStatus.PENDING:
            return 100
        if not self.pages:
            return 0
        return min(99, self.pages_done * 100 // self.pages)
