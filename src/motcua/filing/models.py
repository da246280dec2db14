"""Drafts of online filings: what a citizen typed and uploaded before submitting.

A draft belongs to one user and one procedure (one draft each), and expires
``settings.DRAFT_DAYS`` after its last change. Its papers are stored files already
checked by ``documents.services.inspect_upload``; on submit they become the dossier's
papers through ``documents.services.upload_document`` / ``reuse_document``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Draft(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts",
                             verbose_name=_("tài khoản"))
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=pgettext_lazy("trường dữ liệu", "thủ tục"))
    unit = models.ForeignKey("catalog.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("đơn vị tiếp nhận"))
    applicant = models.JSONField(_("người nộp"), default=dict, blank=True)
    data = models.JSONField(_("nội dung tờ khai"), default=dict, blank=True)
    delivery = models.CharField(_("hình thức nhận kết quả"), max_length=12, blank=True)
    delivery_address = models.CharField(_("địa chỉ nhận kết quả qua bưu chính"), max_length=300, blank=True)
    step = models.CharField(_("bước đang làm"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))

    class Meta:
        unique_together = [("user", "procedure")]
        verbose_name = _("bản nháp hồ sơ")
        verbose_name_plural = pgettext_lazy("số nhiều", "bản nháp hồ sơ")

    def __str__(self) -> str:
        return f"{self.procedure_id} ({self.user_id})"


class DraftPaper(models.Model):
    """One paper of a draft: an uploaded file, or one of the citizen's stored papers to reuse."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="papers", verbose_name=_("bản nháp hồ sơ"))
    kind = models.CharField(_("loại giấy tờ"), max_length=400)
    name = models.CharField(_("tên tệp gốc"), max_length=255)
    file = models.FileField(_("tệp lưu trữ"), max_length=300, blank=True)
    reuse = models.ForeignKey("documents.DossierFile", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+", verbose_name=_("dùng lại giấy tờ trong kho"))
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    content_type = models.CharField(_("kiểu nội dung"), max_length=100)

    class Meta:
        unique_together = [("draft", "kind")]
        verbose_name = _("giấy tờ của bản nháp")
        verbose_name_plural = pgettext_lazy("số nhiều", "giấy tờ của bản nháp")

    def __str__(self) -> str:
        return self.name
