"""The national outbox (what is waiting to reach the national portal, and what it answered),
the progress steps the national portal acknowledged, and the log of inbound dossiers.

Nothing here holds personal data: the national portal's answers are its ``error_code`` and
``message``; the inbound log keeps codes, outcome and the field at fault.
The dossier's own national record (its code at the national portal, when it was last
acknowledged, the status sent) is ``dossiers.NationalRecord``: the QĐ 766 scorecard reads it too.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.national.constants import OPEN_STATES, InboundOutcome, OutboxKind, OutboxState


class OutboxItem(models.Model):
    """Something to send to the national portal: a dossier's state and its new progress steps
    (``dossier``), or a month's ratings. Written in the transaction of the change; a later
    change of the same dossier joins the item still open (one open item per dossier)."""

    kind = models.CharField(_("loại"), max_length=12, choices=OutboxKind.choices, default=OutboxKind.DOSSIER)
    dossier = models.ForeignKey("dossiers.Dossier", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="national_outbox", verbose_name=_("hồ sơ"))
    key = models.CharField(_("khoá"), max_length=40, blank=True, help_text=_("Tháng của số liệu đánh giá (MM-YYYY)."))
    state = models.CharField(_("tình trạng"), max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING)
    version = models.PositiveIntegerField(_("phiên bản hồ sơ"), default=0)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    claimed_until = models.DateTimeField(_("đang gửi đến"), null=True, blank=True)
    claimed_by = models.CharField(_("tiến trình gửi"), max_length=80, blank=True)
    in_doubt = models.BooleanField(
        _("có thể cổng đã nhận thêm"), default=False,
        help_text=_("Đã gửi tiến độ mà chưa ghi nhận được trả lời (mất kết nối, tiến trình dừng): lần gửi sau tra cứu "
                    "Cổng DVCQG trước để không gửi trùng."))
    error = models.CharField(_("lỗi"), max_length=100, blank=True)
    answer = models.TextField(_("trả lời của Cổng DVCQG"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    sent_at = models.DateTimeField(_("gửi xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mục chờ đồng bộ Cổng DVCQG")
        verbose_name_plural = pgettext_lazy("số nhiều", "mục chờ đồng bộ Cổng DVCQG")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="national_outbox_due")]
        constraints = [
            models.UniqueConstraint(fields=["kind", "dossier", "key"], condition=Q(state__in=OPEN_STATES),
                                    name="national_one_open_item"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.dossier_id or self.key} ({self.state})"


class SyncStep(models.Model):
    """A progress step (``CapNhatTienDoHoSoMC``) the national portal acknowledged: the dossier's
    event ``seq``. Unique: a step is recorded once, so it is sent once."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="national_steps",
                                verbose_name=_("hồ sơ"), db_index=False)
    seq = models.PositiveIntegerField(_("sự kiện số"))
    status_code = models.PositiveSmallIntegerField(_("mã trạng thái (TrangThaiHoSo)"))
    sent_at = models.DateTimeField(_("gửi lúc"))

    class Meta:
        verbose_name = _("bước tiến độ đã đồng bộ")
        verbose_name_plural = pgettext_lazy("số nhiều", "bước tiến độ đã đồng bộ")
        ordering = ["dossier_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="national_one_step_per_event")]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq}: {self.status_code}"


class InboundLog(models.Model):
    """One dossier the national portal forwarded (pushed or pulled): codes and outcome only."""

    received_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True, db_index=True)
    channel = models.CharField(_("cách nhận"), max_length=10, default="push")  # push | pull
    national_code = models.CharField(_("mã hồ sơ quốc gia"), max_length=80, blank=True)
    procedure_code = models.CharField(_("mã thủ tục"), max_length=60, blank=True)
    unit_code = models.CharField(_("mã đơn vị"), max_length=60, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=10, choices=InboundOutcome.choices)
    dossier = models.ForeignKey("dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("hồ sơ"))
    problem = models.TextField(_("vấn đề"), blank=True)
    papers_failed = models.PositiveSmallIntegerField(_("giấy tờ không tải được"), default=0)
    seconds = models.FloatField(_("thời gian xử lý (giây)"), default=0)

    class Meta:
        verbose_name = _("hồ sơ nhận từ Cổng DVCQG")
        verbose_name_plural = pgettext_lazy("số nhiều", "hồ sơ nhận từ Cổng DVCQG")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.national_code} {self.outcome}"


class InboundPaper(models.Model):
    """A paper of a forwarded dossier given by URL: fetched in the background (the request that
    brought the dossier never waits for it), checked like an upload, or its problem recorded."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ tải")
        FETCHED = "fetched", _("Đã tải")
        FAILED = "failed", _("Không tải được")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="national_papers",
                                verbose_name=_("hồ sơ"))
    name = models.CharField(_("tên tệp"), max_length=255)
    kind = models.CharField(_("thành phần hồ sơ"), max_length=400, blank=True)
    url = models.TextField(_("đường dẫn"))
    state = models.CharField(_("tình trạng"), max_length=10, choices=State.choices, default=State.PENDING)
    problem = models.CharField(_("vấn đề"), max_length=300, blank=True)
    file = models.ForeignKey("documents.DossierFile", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("tệp đã lưu"))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    fetched_at = models.DateTimeField(_("tải lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("giấy tờ cần tải từ Cổng DVCQG")
        verbose_name_plural = pgettext_lazy("số nhiều", "giấy tờ cần tải từ Cổng DVCQG")
        ordering = ["dossier_id", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.name} ({self.state})"


class PullState(models.Model):
    """Where the pull mode got to (one row per pulled address)."""

    url = models.CharField(_("địa chỉ"), max_length=500, unique=True)
    last_pulled_at = models.DateTimeField(_("lần lấy gần nhất"), null=True, blank=True)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=300, blank=True)
    cursor = models.CharField(_("đã đọc đến"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("trạng thái lấy hồ sơ")
        verbose_name_plural = pgettext_lazy("số nhiều", "trạng thái lấy hồ sơ")

    def __str__(self) -> str:
        return self.url


class CatalogPull(models.Model):
    """One ``motcua national catalog pull``: when, whether it was applied, and what it found (the
    diff: new, changed with each field before and after, withdrawn) or what was wrong."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Đang chạy")
        DRY_RUN = "dry_run", _("Chạy thử, chưa áp dụng")
        APPLIED = "applied", _("Đã áp dụng")
        FAILED = "failed", _("Không thành công, không thay đổi gì")

    started_at = models.DateTimeField(_("bắt đầu lúc"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    dry_run = models.BooleanField(_("chạy thử"), default=False)
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    new = models.PositiveIntegerField(_("thủ tục mới"), default=0)
    changed = models.PositiveIntegerField(_("thủ tục thay đổi"), default=0)
    withdrawn = models.PositiveIntegerField(_("thủ tục bãi bỏ"), default=0)
    diff = models.JSONField(_("khác biệt"), default=dict, blank=True)
    problem = models.TextField(_("vấn đề"), blank=True)

    class Meta:
        verbose_name = _("lần lấy danh mục TTHC quốc gia")
        verbose_name_plural = pgettext_lazy("số nhiều", "lần lấy danh mục TTHC quốc gia")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.outcome}"


class PostalArea(models.Model):
    """A province or district as VNPost codes it (importable data: ``data/vnpost-areas.json`` or
    the province's own file, ``motcua national vnpost-areas FILE``)."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Tỉnh, thành phố")
        DISTRICT = "district", _("Quận, huyện")

    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    code = models.CharField(_("mã VNPost"), max_length=20)
    name = models.CharField(_("tên"), max_length=200)
    province_code = models.CharField(_("mã tỉnh"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("địa bàn bưu chính (VNPost)")
        verbose_name_plural = pgettext_lazy("số nhiều", "địa bàn bưu chính (VNPost)")
        ordering = ["kind", "province_code", "code"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="national_postal_area_code")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class PostalOrder(models.Model):
    """An order at VNPost for a dossier: its result delivered to the applicant (``result``), or
    its papers collected from the applicant (``collect``). The applicant's name, address and phone
    are read from the dossier when the order is sent, never stored or logged here."""

    class Direction(models.TextChoices):
        RESULT = "result", _("Chuyển phát kết quả")
        COLLECT = "collect", _("Thu gom hồ sơ")

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ gửi VNPost")
        FAILED = "failed", _("Chưa gửi được, sẽ gửi lại")
        REFUSED = "refused", _("VNPost không nhận đơn")
        SENT = "sent", _("VNPost đã nhận đơn")
        DELIVERED = "delivered", _("Đã phát thành công")
        CANCELLED = "cancelled", _("Đã hủy")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="postal_orders",
                                verbose_name=_("hồ sơ"))
    direction = models.CharField(_("loại đơn"), max_length=10, choices=Direction.choices, default=Direction.RESULT)
    order_number = models.CharField(_("số đơn"), max_length=100, unique=True)
    state = models.CharField(_("tình trạng"), max_length=10, choices=State.choices, default=State.PENDING)
    cod_amount = models.PositiveIntegerField(_("tiền thu hộ (đồng)"), default=0)
    province_code = models.CharField(_("mã tỉnh người dân"), max_length=20, blank=True)
    district_code = models.CharField(_("mã huyện người dân"), max_length=20, blank=True)
    status_code = models.CharField(_("mã trạng thái VNPost"), max_length=20, blank=True)
    status_text = models.CharField(_("trạng thái chuyển phát"), max_length=300, blank=True)
    answer = models.CharField(_("trả lời của VNPost"), max_length=600, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("lúc VNPost nhận đơn"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("phát thành công lúc"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đơn bưu chính (VNPost)")
        verbose_name_plural = pgettext_lazy("số nhiều", "đơn bưu chính (VNPost)")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "direction"], name="national_one_live_postal_order",
                                    condition=Q(state__in=["pending", "failed", "sent"])),
        ]

    def __str__(self) -> str:
        return f"{self.order_number} ({self.state})"


class PostalTrackingEvent(models.Model):
    """One tracking record VNPost gave for an order (``_id.$oid`` unique: written once)."""

    order = models.ForeignKey(PostalOrder, on_delete=models.CASCADE, related_name="events", verbose_name=_("đơn"))
    event_id = models.CharField(_("mã sự kiện VNPost"), max_length=100, unique=True)
    status_code = models.CharField(_("mã trạng thái"), max_length=20, blank=True)
    text = models.CharField(_("nội dung"), max_length=400, blank=True)
    at = models.DateTimeField(_("lúc"))

    class Meta:
        verbose_name = _("hành trình bưu gửi")
        verbose_name_plural = pgettext_lazy("số nhiều", "hành trình bưu gửi")
        ordering = ["order_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.status_code}"
