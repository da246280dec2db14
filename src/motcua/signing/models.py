"""Signing: who signs with which key, the signing jobs of results, and the register of issued files.

* :class:`Signer` — a unit's own certificate (the agency signature for the unit and the units
  below it, and whether its printed forms are signed) or a leader's own certificate, set by an
  administrator. Passwords and PINs are kept encrypted (``signing/secrets.py``).
* :class:`SigningJob` — one signature to add to one result file (the leader's at approval, the
  agency's at return), worked in the background with progress, retried, and its failure told.
* :class:`IssuedDocument` — the register of what Motcua issued: one row per result file, with
  the opaque ``token`` of its QR link (/xac-thuc/{token}/); :class:`IssuedVersion` the SHA-256
  of each version of it Motcua produced (the file as returned, each signed version), which is
  how verification answers "Motcua issued this exact file".
* :class:`FormSignature` — each signing of a printed form (receipt, supplement request, refusal,
  apology) by the agency, where the unit turns it on: the SHA-256 of the signed form (so that
  verification answers "Motcua issued this exact file" for it too), or why it was not signed.
"""

from __future__ import annotations

import secrets as pysecrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.signing import secrets
from motcua.signing.base import KeySpec


def new_token() -> str:
    return pysecrets.token_urlsafe(18)


class Signer(models.Model):
    unit = models.OneToOneField("catalog.Unit", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="signer", verbose_name=_("đơn vị"))
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="signer", verbose_name=_("lãnh đạo"))
    backend = models.CharField(
        _("nơi lưu khóa"), max_length=20, blank=True,
        help_text=_("Để trống (đơn vị): dùng chứng thư của cơ quan cấu hình cho cả hệ thống."),
    )
    p12_file = models.FileField(_("tệp PKCS#12"), upload_to="signing/keys/", blank=True, max_length=300)
    password_sealed = models.TextField(_("mật khẩu / mã PIN (đã mã hóa)"), blank=True, editable=False)
    pkcs11_module = models.CharField(_("thư viện PKCS#11"), max_length=300, blank=True)
    pkcs11_token = models.CharField(_("nhãn token"), max_length=100, blank=True)
    key_label = models.CharField(_("nhãn khóa"), max_length=100, blank=True)
    signer_image = models.ImageField(_("ảnh chữ ký (PNG trong suốt)"), upload_to="signing/images/", blank=True)
    seal_image = models.ImageField(_("ảnh con dấu (PNG trong suốt)"), upload_to="signing/images/", blank=True)
    sign_printed_forms = models.BooleanField(
        _("ký số các mẫu in"), default=False,
        help_text=_("Đơn vị: phiếu tiếp nhận, từ chối, xin lỗi, yêu cầu bổ sung được ký số bằng chứng thư của cơ quan."),
    )
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("chứng thư ký số")
        verbose_name_plural = pgettext_lazy("số nhiều", "chứng thư ký số")
        constraints = [models.CheckConstraint(
            condition=(Q(unit__isnull=False) & Q(user__isnull=True)) | (Q(unit__isnull=True) & Q(user__isnull=False)),
            name="signer_unit_xor_user")]

    def __str__(self) -> str:
        return str(self.unit or self.user)

    def set_secret(self, value: str) -> None:
        self.password_sealed = secrets.seal(value)

    def spec(self) -> KeySpec:
        secret = secrets.unseal(self.password_sealed)
        label = f"unit:{self.unit_id}" if self.unit_id else f"user:{self.user_id}"
        if self.backend == "pkcs12":
            data = b""
            if self.p12_file:
                with self.p12_file.open("rb") as f:
                    data = f.read()
            return KeySpec("pkcs12", {"data": data, "password": secret}, label=label)
        if self.backend == "pkcs11":
            return KeySpec("pkcs11", {"module": self.pkcs11_module, "token": self.pkcs11_token, "pin": secret,
                                      "key": self.key_label}, label=label)
        return KeySpec(self.backend, {"key": self.key_label}, label=label)


class IssuedDocument(models.Model):
    token = models.CharField(_("mã xác thực"), max_length=40, unique=True, default=new_token)
    file = models.OneToOneField("documents.DossierFile", on_delete=models.PROTECT, related_name="issued",
                                verbose_name=_("tệp kết quả"))
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+", verbose_name=_("hồ sơ"))
    unit = models.ForeignKey("catalog.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị cấp"))
    title = models.CharField(_("tên giấy tờ"), max_length=500)
    issued_at = models.DateTimeField(_("ngày cấp"), null=True, blank=True)
    created_at = models.DateTimeField(_("thời điểm ghi sổ"), auto_now_add=True)

    class Meta:
        verbose_name = _("kết quả đã cấp")
        verbose_name_plural = pgettext_lazy("số nhiều", "kết quả đã cấp")

    def __str__(self) -> str:
        return self.title


class IssuedVersion(models.Model):
    document = models.ForeignKey(IssuedDocument, on_delete=models.CASCADE, related_name="versions",
                                 verbose_name=_("kết quả đã cấp"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, db_index=True)
    signed_by = models.CharField(_("ký bởi"), max_length=20, blank=True)  # "", leader, agency
    created_at = models.DateTimeField(_("thời điểm ghi sổ"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản đã cấp")
        verbose_name_plural = pgettext_lazy("số nhiều", "phiên bản đã cấp")
        constraints = [models.UniqueConstraint(fields=["document", "sha256"], name="issuedversion_unique")]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.sha256[:12]}"


class JobRole(models.TextChoices):
    LEADER = "leader", _("lãnh đạo ký")
    AGENCY = "agency", _("cơ quan ký")


class JobStatus(models.TextChoices):
    PENDING = "pending", _("đang chờ ký")
    DONE = "done", _("đã ký số")
    FAILED = "failed", _("ký số không thành công")


class SigningJob(models.Model):
    file = models.ForeignKey("documents.DossierFile", on_delete=models.PROTECT, related_name="signing_jobs",
                             verbose_name=_("tệp kết quả"))
    role = models.CharField(_("chữ ký"), max_length=10, choices=JobRole.choices)
    signer_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("người ký"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("người yêu cầu"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    step = models.CharField(_("bước đang làm"), max_length=100, blank=True)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"), null=True, blank=True)
    error_code = models.CharField(_("mã lỗi"), max_length=50, blank=True)
    error = models.CharField(_("lý do"), max_length=500, blank=True)
    unsigned_name = models.CharField(_("tệp trước khi ký"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("thời điểm yêu cầu"), auto_now_add=True)
    finished_at = models.DateTimeField(_("thời điểm ký"), null=True, blank=True)

    class Meta:
        ordering = ["file", "created_at", "id"]
        verbose_name = _("lượt ký số")
        verbose_name_plural = pgettext_lazy("số nhiều", "lượt ký số")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="signingjob_due")]

    def __str__(self) -> str:
        return f"{self.file_id}: {self.role} {self.status}"


class PaperCheck(models.Model):
    """The verification of a signed paper a citizen (or an officer) uploaded — a certified copy
    issued by another agency, say — made in the background after the upload, shown to the
    officer beside the paper. ``verdict``: the signatures as :mod:`motcua.signing.verify` judged
    them (signer, time, intact, trusted, revoked, timestamped, the problem in words)."""

    file = models.OneToOneField("documents.DossierFile", on_delete=models.CASCADE, related_name="signature_check",
                                verbose_name=_("giấy tờ"))
    done = models.BooleanField(_("đã kiểm tra"), default=False)
    signed = models.BooleanField(_("có chữ ký số"), default=False)
    valid = models.BooleanField(_("chữ ký hợp lệ"), default=False)
    verdict = models.JSONField(_("kết quả kiểm tra"), default=list, blank=True)
    error = models.CharField(_("lý do"), max_length=500, blank=True)
    checked_at = models.DateTimeField(_("thời điểm kiểm tra"), null=True, blank=True)

    class Meta:
        verbose_name = _("kiểm tra chữ ký giấy tờ")
        verbose_name_plural = pgettext_lazy("số nhiều", "kiểm tra chữ ký giấy tờ")

    def __str__(self) -> str:
        return f"{self.file_id}: {'valid' if self.valid else 'not valid'}"


class FormSignature(models.Model):
    """One signing of a printed form (Mẫu 01–04) by the agency, done when someone downloads it
    (``signing.services.sign_printed_form``): signed, with the SHA-256 of the signed bytes, or
    not signed and why (the user got the unsigned form)."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+", verbose_name=_("hồ sơ"))
    unit = models.ForeignKey("catalog.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị cấp"))
    form = models.CharField(_("mẫu"), max_length=30)
    title = models.CharField(_("tên giấy tờ"), max_length=500)
    signed = models.BooleanField(_("đã ký số"), default=False)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, blank=True, db_index=True)
    signer = models.CharField(_("người ký"), max_length=300, blank=True)
    error_code = models.CharField(_("mã lỗi"), max_length=50, blank=True)
    error = models.CharField(_("lý do"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("thời điểm ký"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lượt ký mẫu in")
        verbose_name_plural = pgettext_lazy("số nhiều", "lượt ký mẫu in")

    def __str__(self) -> str:
        return f"{self.form} {self.dossier_id}: {'signed' if self.signed else self.error_code}"
