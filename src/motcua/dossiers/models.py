"""Dossiers (hồ sơ), their append-only event trail, and the per-unit daily code sequence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.accounts.models import Role


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Mới đăng ký")
    REFUSED = "refused", _("Không được tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("Chờ bổ sung hồ sơ")
    AWAITING_APPROVAL = "awaiting_approval", _("Chờ lãnh đạo phê duyệt")
    APPROVED = "approved", _("Đã giải quyết xong")
    REJECTED = "rejected", _("Không giải quyết (từ chối)")
    RESULT_RETURNED = "result_returned", _("Đã trả kết quả")
    WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")


RESOLVED_STATUSES = {Status.APPROVED, Status.REJECTED, Status.RESULT_RETURNED}
OPEN_STATUSES = {Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING, Status.AWAITING_SUPPLEMENT, Status.AWAITING_APPROVAL}


class Channel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    DIRECT = "direct", _("Trực tiếp")
    POSTAL = "postal", _("Bưu chính công ích")


class Source(models.TextChoices):
    PORTAL = "portal", _("Cổng dịch vụ công của tỉnh")
    NATIONAL_PORTAL = "national_portal", _("Cổng Dịch vụ công quốc gia")
    VNEID = "vneid", _("Ứng dụng VNeID")
    COUNTER = "counter", _("Bộ phận Một cửa")
    POST = "post", _("Bưu chính công ích")
    IMPORT = "import", _("Nhập từ hệ thống cũ")


class Delivery(models.TextChoices):
    COUNTER = "counter", _("Tại Bộ phận Một cửa")
    POST = "post", _("Qua bưu chính công ích")
    ELECTRONIC = "electronic", _("Bản điện tử")


#: The ``seq`` of a dossier's first event (the one it is inserted with).
FIRST_EVENT_SEQ = 1


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=80, unique=True)
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.PROTECT, related_name="dossiers", verbose_name=pgettext_lazy("trường dữ liệu", "thủ tục")
    )
    # No index of their own where one of Meta.indexes starts with the column (each index is
    # written on every intake and every imported line): unit → dossier_unit_status and
    # dossier_unit_received, current_unit → dossier_queue, owner → dossier_owner.
    unit = models.ForeignKey(
        "catalog.Unit", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("đơn vị tiếp nhận"),
        db_index=False,
    )
    current_unit = models.ForeignKey(
        "catalog.Unit", on_delete=models.PROTECT, related_name="handling_dossiers", verbose_name=_("đơn vị đang xử lý"),
        db_index=False,
    )
    channel = models.CharField(_("kênh nộp"), max_length=10, choices=Channel.choices)
    source = models.CharField(_("nguồn"), max_length=20, choices=Source.choices)
    status = models.CharField(_("trạng thái"), max_length=24, choices=Status.choices, db_index=True)

    applicant_name = models.CharField(_("họ và tên"), max_length=200)
    applicant_id_number = models.CharField(_("số định danh cá nhân"), max_length=12)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=15)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    data = models.JSONField(_("nội dung yêu cầu"), default=dict, blank=True)

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="owned_dossiers",
        verbose_name=_("tài khoản chủ hồ sơ"), db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_dossiers",
        verbose_name=_("cán bộ được phân công"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("người tạo"),
    )

    submitted_at = models.DateTimeField(_("thời điểm nộp"))
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), db_index=True)
    due_at = models.DateTimeField(_("hẹn trả kết quả"))
    original_due_at = models.DateTimeField(_("hẹn trả ban đầu"))
    resolved_at = models.DateTimeField(_("thời điểm giải quyết xong"), null=True, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("thời điểm rút"), null=True, blank=True)
    refused_at = models.DateTimeField(_("thời điểm từ chối tiếp nhận"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng từ"), null=True, blank=True)
    pause_resume_status = models.CharField(
        _("trạng thái khi tiếp tục xử lý"), max_length=24, choices=Status.choices, blank=True
    )
    supplement_requests = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung"), default=0)
    reschedules = models.PositiveSmallIntegerField(_("số lần hẹn lại"), default=0)
    delivery = models.CharField(_("hình thức nhận kết quả"), max_length=12, choices=Delivery.choices, default=Delivery.COUNTER)
    delivery_address = models.CharField(_("địa chỉ nhận kết quả qua bưu chính"), max_length=300, blank=True)
    # The ``seq`` of the dossier's last event: the audit writer (``dossiers.audit``) raises it
    # with each event it appends, and only there. A dossier is inserted with its first event
    # (intake, import), so it starts at FIRST_EVENT_SEQ.
    last_event_seq = models.PositiveIntegerField(_("số thứ tự sự kiện cuối"), default=FIRST_EVENT_SEQ)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = pgettext_lazy("số nhiều", "hồ sơ")
        indexes = [
            models.Index(fields=["current_unit", "status", "due_at"], name="dossier_queue"),
            models.Index(fields=["due_at", "code"], name="dossier_due"),  # lists in due order over all a user sees
            models.Index(fields=["unit", "status"], name="dossier_unit_status"),  # results to hand back, by receiving unit
            # Partial: most dossiers have no assignee, and a full index's statistics would tell
            # SQLite's planner that an assignee matches half the table.
            models.Index(fields=["assignee", "status", "due_at"], name="dossier_mine", condition=Q(assignee__isnull=False)),
            models.Index(fields=["unit", "received_at"], name="dossier_unit_received"),
            models.Index(fields=["owner", "received_at"], name="dossier_owner"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_resolved(self) -> bool:
        return self.status in RESOLVED_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def supplement_flagged(self) -> bool:
        """The 766 scoring view: more than one request for supplementation counts the
        dossier as overdue (one written guidance only; ``shared/domain/deadlines-and-calendar.md``)."""
        return self.supplement_requests > 1


class DossierUnit(models.Model):
    """A unit that took part in the dossier (intake, transfers): its officers may see it."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="participants", verbose_name=_("hồ sơ"))
    unit = models.ForeignKey("catalog.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"),
                             db_index=False)  # the unique (unit, dossier) index starts with it

    class Meta:
        unique_together = [("unit", "dossier")]
        verbose_name = _("đơn vị tham gia xử lý")
        verbose_name_plural = pgettext_lazy("số nhiều", "đơn vị tham gia xử lý")

    def __str__(self) -> str:
        return str(self.unit)


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("dossier events are append-only")

    def delete(self):
        raise PermissionError("dossier events are append-only")


class DossierEvent(models.Model):
    """One entry of the audit trail. Append-only: never updated, never deleted."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events", verbose_name=_("hồ sơ"),
                                db_index=False)  # the unique (dossier, seq) index starts with it
    seq = models.PositiveIntegerField(_("số thứ tự"))
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("tài khoản người thực hiện"),
    )
    actor_name = models.CharField(_("người thực hiện"), max_length=200, blank=True)
    actor_role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, blank=True)
    action = models.CharField(_("thao tác"), max_length=30)
    from_status = models.CharField(_("trạng thái trước"), max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(_("trạng thái sau"), max_length=24, choices=Status.choices)
    unit = models.ForeignKey(
        "catalog.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    note = models.TextField(_("ghi chú"), blank=True)
    changes = models.JSONField(_("nội dung thay đổi"), default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["dossier", "seq"]
        unique_together = [("dossier", "seq")]
        verbose_name = _("sự kiện xử lý hồ sơ")
        verbose_name_plural = pgettext_lazy("số nhiều", "sự kiện xử lý hồ sơ")

    def __str__(self) -> str:
        return _("Sự kiện số %(seq)d") % {"seq": self.seq}

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("dossier events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("dossier events are append-only")


class DossierSequence(models.Model):
    """The last dossier number of a unit on a day (TT 01/2018 Art. 19: XXXX resets daily)."""

    unit = models.ForeignKey("catalog.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("đơn vị"))
    day = models.DateField(_("ngày"))
    last = models.PositiveIntegerField(_("số hồ sơ cuối cùng"), default=0)

    class Meta:
        unique_together = [("unit", "day")]
        verbose_name = _("số thứ tự hồ sơ trong ngày")
        verbose_name_plural = pgettext_lazy("số nhiều", "số thứ tự hồ sơ trong ngày")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}: {self.last}"


#: The one home of the satisfaction scale: the answers of a rating (``Rating.score``) and of each
#: criterion of the survey (``feedback.Survey``), 3 very satisfied, 2 satisfied, 1 not satisfied.
#: The texts are Vietnamese, as the API gives them; pages show them in the reader's language
#: (``SATISFACTION_SCALE``, ``Rating.label``).
SATISFACTION: dict[int, str] = {
    3: gettext_noop("Rất hài lòng"),
    2: gettext_noop("Hài lòng"),
    1: gettext_noop("Không hài lòng"),
}
#: ``(score, label)`` best first, the labels translated when shown (the forms' and kiosk's choices).
SATISFACTION_SCALE = tuple((score, _(label)) for score, label in SATISFACTION.items())


class Rating(models.Model):
    """The applicant's satisfaction with a returned dossier, on the scale of ``SATISFACTION``."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="rating", verbose_name=_("hồ sơ"))
    score = models.PositiveSmallIntegerField(_("mức độ hài lòng"))
    comment = models.TextField(_("góp ý"), blank=True)
    created_at = models.DateTimeField(_("thời điểm đánh giá"), auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá của người dân")
        verbose_name_plural = pgettext_lazy("số nhiều", "đánh giá của người dân")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.score}"

    @property
    def label(self) -> str:
        """The score's words in the active language."""
        return gettext(SATISFACTION[self.score])


class NationalRecord(models.Model):
    """The dossier as the national public-service portal (DVCQG) knows it: its code there,
    whether it came from there, and what the portal last acknowledged. Written by the national
    sync (``motcua.national``); read by ``GET /dossiers/{code}/national`` and by the QĐ 766
    scorecard's indicator 1.4 (dossiers synced), so both count the same records."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="national", verbose_name=_("hồ sơ"))
    national_code = models.CharField(_("mã hồ sơ trên Cổng DVCQG"), max_length=80, unique=True)
    inbound = models.BooleanField(_("nhận từ Cổng DVCQG"), default=False)
    synced_at = models.DateTimeField(_("đồng bộ lần cuối"), null=True, blank=True, db_index=True)
    synced_version = models.PositiveIntegerField(_("phiên bản đã đồng bộ"), default=0)
    status_sent = models.PositiveSmallIntegerField(_("mã trạng thái đã gửi (TrangThaiHoSo)"), null=True, blank=True)
    steps_sent = models.PositiveIntegerField(_("số bước tiến độ đã gửi"), default=0)
    last_answer = models.CharField(_("trả lời gần nhất"), max_length=500, blank=True)
    problems = models.JSONField(_("vấn đề khi nhận"), default=list, blank=True)
    databases = models.JSONField(_("cơ sở dữ liệu quốc gia đã khai thác"), default=list, blank=True,
                                 help_text=_("Mã CSDL (MaCSDL) của từng cơ sở dữ liệu quốc gia hồ sơ đã dùng."))

    class Meta:
        verbose_name = _("đồng bộ Cổng DVCQG")
        verbose_name_plural = pgettext_lazy("số nhiều", "đồng bộ Cổng DVCQG")

    def __str__(self) -> str:
        return self.national_code
