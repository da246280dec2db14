"""Digitised papers of a dossier (số hóa hồ sơ): the applicant's documents and the result.

Decision 766/QĐ-TTg counts digitised dossiers (indicator 4.2: files on the components and
on the result) and dossiers that reuse digitised data (4.3): ``is_result`` and
``reused_from`` record exactly that.
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
