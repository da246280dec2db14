"""The simulator's memory: sessions, the dossiers and steps it was sent, other pushes, the
dossiers "filed on the national portal" waiting to be forwarded, and injected faults."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SandboxSession(models.Model):
    token = models.CharField(_("mã phiên"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))

    class Meta:
        verbose_name = _("phiên mô phỏng")
        verbose_name_plural = pgettext_lazy("số nhiều", "phiên mô phỏng")

    def __str__(self) -> str:
        return f"{self.token[:6]}…"


class SandboxDossier(models.Model):
    """A dossier as the simulated portal holds it: the last ``DongBoHoSoMC`` object, and what
    downloading its file links gave (``files``: ``[{url, status, sha256, size}]``)."""

    ma_ho_so = models.CharField(_("mã hồ sơ"), max_length=80, unique=True)
    data = models.JSONField(_("dữ liệu"), default=dict)
    updates = models.PositiveIntegerField(_("số lần cập nhật"), default=0)
    files = models.JSONField(_("tệp đã tải"), default=list)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ trên cổng mô phỏng")
        verbose_name_plural = pgettext_lazy("số nhiều", "hồ sơ trên cổng mô phỏng")

    def __str__(self) -> str:
        return self.ma_ho_so


class SandboxStep(models.Model):
    """One progress item of ``CapNhatTienDoHoSoMC``, as received (duplicates are kept: a test
    counts them)."""

    ma_ho_so = models.CharField(_("mã hồ sơ"), max_length=80, db_index=True)
    data = models.JSONField(_("dữ liệu"), default=dict)
    received_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tiến độ trên cổng mô phỏng")
        verbose_name_plural = pgettext_lazy("số nhiều", "tiến độ trên cổng mô phỏng")

    def __str__(self) -> str:
        return f"{self.ma_ho_so}: {self.data.get('TrangThai', '')}"


class SandboxPush(models.Model):
    """Any other push (``DongBoDanhGia``, ``DongBoHoiDap`` …): one row per data item."""

    service = models.CharField(_("dịch vụ"), max_length=60, db_index=True)
    data = models.JSONField(_("dữ liệu"), default=dict)
    received_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("dữ liệu gửi cổng mô phỏng")
        verbose_name_plural = pgettext_lazy("số nhiều", "dữ liệu gửi cổng mô phỏng")

    def __str__(self) -> str:
        return self.service


class SandboxFiling(models.Model):
    """A dossier a citizen "filed on the national portal", to forward to the province: pushed to
    ``POST /api/v1/national/dossiers`` or handed out by the pull endpoint."""

    ma_ho_so = models.CharField(_("mã hồ sơ"), max_length=80, unique=True)
    body = models.JSONField(_("nội dung"), default=dict)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("chuyển lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ nộp trên cổng mô phỏng")
        verbose_name_plural = pgettext_lazy("số nhiều", "hồ sơ nộp trên cổng mô phỏng")

    def __str__(self) -> str:
        return self.ma_ho_so


class SandboxFault(models.Model):
    """A fault to inject: for ``service`` (empty: any data call), ``remaining`` times.

    ``mode``: ``error`` (answer ``error_code`` with ``message``), ``slow`` (wait ``delay``
    seconds first), ``http`` (answer HTTP ``error_code``, e.g. 503), ``expire_session`` (every
    session ends now, the call is refused as with an expired session)."""

    service = models.CharField(_("dịch vụ"), max_length=60, blank=True)
    mode = models.CharField(_("kiểu lỗi"), max_length=20, default="error")
    error_code = models.IntegerField(_("mã lỗi"), default=-1)
    message = models.CharField(_("thông báo"), max_length=300, blank=True)
    delay = models.FloatField(_("độ trễ (giây)"), default=0)
    remaining = models.PositiveIntegerField(_("số lần còn lại"), default=1)

    class Meta:
        verbose_name = _("lỗi giả lập")
        verbose_name_plural = pgettext_lazy("số nhiều", "lỗi giả lập")

    def __str__(self) -> str:
        return f"{self.service or '*'} {self.mode} ×{self.remaining}"


class SandboxCatalog(models.Model):
    """Which edition of its procedure database the simulator serves (one row; none = edition 1):
    1 = the demo catalog as published, 2 = the same after a change (a time and a fee changed, a
    paper added, a procedure withdrawn, one new)."""

    edition = models.PositiveSmallIntegerField(_("phiên bản danh mục"), default=1)

    class Meta:
        verbose_name = _("danh mục TTHC mô phỏng")
        verbose_name_plural = pgettext_lazy("số nhiều", "danh mục TTHC mô phỏng")

    def __str__(self) -> str:
        return f"edition {self.edition}"


class SandboxQuestion(models.Model):
    """A question a citizen asked on the simulated national portal, for a unit of the province:
    handed out by ``LayDanhSachHoiDapGuiTuDVCQG`` (``row``: ``HOIDAPID, MALINHVUC, MATTHCDP,
    MADONVI, TENDONVI, NOIDUNG, HOVATEN, DIACHI, THUDIENTU, SODIENTHOAI, TRANGTHAI, TRALOIID,
    NOIDUNGTRALOI``), answered by ``DongBoKetQuaHoiDapGuiTuDVCQG`` (``answer``: the item received)."""

    hoi_dap_id = models.CharField(_("mã hỏi đáp"), max_length=60, unique=True)
    row = models.JSONField(_("câu hỏi"), default=dict)
    answer = models.JSONField(_("câu trả lời"), default=dict, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("câu hỏi trên cổng mô phỏng")
        verbose_name_plural = pgettext_lazy("số nhiều", "câu hỏi trên cổng mô phỏng")

    def __str__(self) -> str:
        return self.hoi_dap_id
