"""The public catalog: administrative units, fields (lĩnh vực) and procedures (TTHC)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.catalog.text import fold


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class OnlineLevel(models.TextChoices):
    NONE = "none", _("Không trực tuyến")
    PARTIAL = "partial", _("Trực tuyến một phần")
    FULL = "full", _("Trực tuyến toàn trình")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    SAME_DAY = "same_day", _("trong ngày")


def in_force(entry, day: dt.date) -> bool:
    """Whether a row with ``valid_from``/``valid_to`` (open ends allowed) is in force on ``day``;
    the Python twin of ``ValidQuerySet.valid_on`` for a row already loaded."""
    return (entry.valid_from is None or entry.valid_from <= day) and (entry.valid_to is None or entry.valid_to >= day)


class ValidQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date | None = None):
        day = day or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class UnitQuerySet(ValidQuerySet):
    def subtrees(self, roots):
        """The units at or below any of ``roots`` (units, or a queryset of them), at any depth.

        The one home of "below" in the unit tree: a unit's ``path`` is its ancestors' codes
        and its own, each followed by ``/``, so a descendant's path starts with it.
        """
        paths = {root.path for root in roots} if not isinstance(roots, models.QuerySet) else set(
            roots.values_list("path", flat=True))
        cond = Q(pk__in=[])
        for path in paths:
            cond |= Q(path__startswith=path)
        return self.filter(cond)


class Unit(models.Model):
    """An administrative unit (province, district, commune) that runs a one-stop counter.

    The tree's depth is data: before 1/7/2025 province → district → commune, since then
    province → commune. A merged or abolished unit keeps its row, with ``valid_to`` and
    its ``successor``, so its dossiers and reports stay valid.
    """

    code = models.CharField(_("mã đơn vị"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("đơn vị cấp trên")
    )
    national_id = models.CharField(
        _("mã định danh"), max_length=40, blank=True, help_text=_("Mã định danh điện tử của cơ quan (QĐ 20/2020/QĐ-TTg).")
    )
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    calendar = models.ForeignKey(
        "worktime.WorkCalendar", null=True, blank=True, on_delete=models.SET_NULL, related_name="units",
        verbose_name=_("lịch làm việc"),
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="predecessors",
        verbose_name=_("đơn vị kế thừa"),
    )
    path = models.CharField(_("vị trí trong cây đơn vị"), max_length=400, db_index=True, editable=False)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("đơn vị")
        verbose_name_plural = pgettext_lazy("số nhiều", "đơn vị")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        old_path = self.path
        self.path = (self.parent.path if self.parent_id else "/") + self.code + "/"
        if kwargs.get("update_fields") is not None and self.path != old_path:
            kwargs["update_fields"] = {*kwargs["update_fields"], "path"}
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # Everything below follows a moved (or renamed) unit: its path starts with ours.
            for below in Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                Unit.objects.filter(pk=below.pk).update(path=self.path + below.path[len(old_path):])

    @property
    def dossier_prefix(self) -> str:
        """The first part of a dossier code: the national identifier, else our own code."""
        return self.national_id or self.code

    def subtree(self):
        """This unit and every unit below it."""
        return Unit.objects.subtrees([self])

    @property
    def province_code(self) -> str:
        """The code of the unit at the top of this one's tree (its province)."""
        return self.path.strip("/").split("/")[0]

    def ancestors(self) -> list["Unit"]:
        codes = [c for c in self.path.strip("/").split("/")][:-1]
        by_code = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]


class UnitChange(models.Model):
    """One recorded reorganisation step (``catalog.reorganise``): a unit merged into its
    successor, or moved to another parent, on a date and by a decision. The tree of any past
    day is today's tree with the later moves undone."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("sáp nhập")
        MOVE = "move", _("chuyển đơn vị cấp trên")

    kind = models.CharField(_("loại thay đổi"), max_length=10, choices=Kind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="changes", verbose_name=_("đơn vị"))
    from_parent = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("đơn vị cấp trên cũ"))
    to_parent = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("đơn vị cấp trên mới"))
    successor = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("đơn vị kế thừa"))
    effective_on = models.DateField(_("ngày hiệu lực"))
    decision = models.CharField(_("quyết định"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("người ghi"))

    class Meta:
        ordering = ["effective_on", "pk"]
        verbose_name = _("thay đổi đơn vị hành chính")
        verbose_name_plural = pgettext_lazy("số nhiều", "thay đổi đơn vị hành chính")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit.code} {self.effective_on:%d/%m/%Y}"


class Field(models.Model):
    """Lĩnh vực: Hộ tịch, Chứng thực, Đất đai…"""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=200)
    sector = models.CharField(_("ngành"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = pgettext_lazy("số nhiều", "lĩnh vực")

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """A procedure (thủ tục hành chính) as published in the provincial decision."""

    code = models.CharField(_("mã thủ tục"), max_length=60, unique=True)
    national_code = models.CharField(_("mã quốc gia"), max_length=60, blank=True)
    name = models.CharField(_("tên thủ tục"), max_length=400)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("lĩnh vực"))
    description = models.TextField(_("mô tả"), blank=True)
    applicants = models.CharField(_("đối tượng thực hiện"), max_length=300, blank=True)
    online_level = models.CharField(_("mức độ trực tuyến"), max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE)
    processing_time_value = models.DecimalField(_("thời hạn giải quyết"), max_digits=6, decimal_places=1, default=0)
    processing_time_unit = models.CharField(_("đơn vị thời hạn"), max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS)
    processing_time_note = models.CharField(_("ghi chú thời hạn"), max_length=400, blank=True)
    cutoff_time = models.TimeField(
        _("giờ chốt trong ngày"), null=True, blank=True,
        help_text=_("Nhận hồ sơ sau giờ này thì tính là nhận vào ngày làm việc tiếp theo (ví dụ 15:00)."),
    )
    fee_amount = models.PositiveIntegerField(_("phí, lệ phí (đồng)"), default=0)
    fee_note = models.CharField(_("ghi chú phí"), max_length=400, blank=True)
    steps = models.JSONField(_("trình tự thực hiện"), default=list, blank=True)
    result = models.CharField(_("kết quả"), max_length=400, blank=True)
    results = models.JSONField(
        _("kết quả (có mã)"), default=list, blank=True,
        help_text=_("Các kết quả theo Cơ sở dữ liệu quốc gia về TTHC: danh sách {\"code\", \"name\", "
                    "\"template_name\", \"template_url\"}; code là mã kết quả (MAKETQUA, ví dụ KQ.G07.000122)."),
    )
    channel_times = models.JSONField(
        _("thời hạn theo cách thức thực hiện"), default=list, blank=True,
        help_text=_("Theo Cơ sở dữ liệu quốc gia về TTHC: danh sách {\"channel\" (counter, online, post), \"value\", "
                    "\"unit\", \"note\", \"fees\": [{\"code\", \"name\", \"amount\"}]}."),
    )
    legal_basis = models.JSONField(_("căn cứ pháp lý"), default=list, blank=True)
    interlinked = models.BooleanField(_("một cửa liên thông"), default=False)
    interlinked_levels = models.JSONField(_("các cấp tham gia liên thông"), default=list, blank=True)
    transfer_across_provinces = models.BooleanField(
        _("cho phép chuyển liên thông sang tỉnh khác"), default=False,
        help_text=_("Mặc định hồ sơ chỉ được chuyển giữa các đơn vị trong cùng tỉnh."),
    )
    result_by_post = models.BooleanField(_("trả kết quả qua bưu chính"), default=True)
    result_electronic = models.BooleanField(_("trả kết quả điện tử"), default=False)
    form = models.JSONField(
        _("biểu mẫu trực tuyến"), default=list, blank=True,
        help_text=_("Các trường người dân điền khi nộp trực tuyến, ngoài thông tin người nộp: danh sách "
                    "{\"name\", \"label\", \"type\", \"required\", \"choices\", \"help\"}; type là text, textarea, "
                    "date, number, choice, id_number, phone hoặc email."),
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces", verbose_name=_("được thay thế bởi")
    )
    source = models.CharField(_("nguồn"), max_length=400, blank=True)
    national_pulled_at = models.DateTimeField(
        _("cập nhật từ CSDL quốc gia lúc"), null=True, blank=True, editable=False,
        help_text=_("Lần gần nhất nội dung thủ tục được lấy từ Cơ sở dữ liệu quốc gia về TTHC."),
    )
    search_name = models.CharField(_("tên không dấu (để tìm)"), max_length=400, editable=False, db_index=True, default="")
    search_text = models.TextField(_("nội dung không dấu (để tìm)"), editable=False, default="")
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = ValidQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = pgettext_lazy("số nhiều", "thủ tục hành chính")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from motcua.catalog.formfields import definition_problems

        problems = definition_problems(self.form)
        if problems:
            raise ValidationError({"form": [f"{path}: {msg}" for path, msgs in problems.items() for msg in msgs]})

    @property
    def offered_online(self) -> bool:
        """Whether citizens may file this procedure online (partly or fully)."""
        return self.online_level != OnlineLevel.NONE

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        self.search_text = fold(" ".join([self.code, self.national_code, self.description, self.result]))
        super().save(*args, **kwargs)

    def coded_result(self, name: str = "") -> dict:
        """The catalog's result (``results``: ``{code, name, …}``, from the national procedure
        database) that a result file called ``name`` is: the one whose name or template name it
        carries (diacritics and case aside, extension ignored), else the procedure's main result —
        the first one with a code, as the national record's ``MaKetQuaChinh`` is. ``{}`` when the
        catalog holds no coded result."""
        entries = [r for r in (self.results or []) if isinstance(r, dict) and str(r.get("code") or "").strip()]
        if not entries:
            return {}
        stem = fold(name.rsplit(".", 1)[0] if "." in name else name)
        if stem:
            for entry in entries:
                names = (fold(str(entry.get("name") or "")), fold(str(entry.get("template_name") or "").rsplit(".", 1)[0]))
                if stem in {n for n in names if n}:
                    return entry
        return entries[0]

    @property
    def level_list(self) -> list[str]:
        order = {lv: i for i, lv in enumerate(Level.values)}
        return sorted((pl.level for pl in self.levels.all()), key=order.__getitem__)


class ProcedureLevel(models.Model):
    """A government level that performs the procedure (a procedure may run at several)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="levels", verbose_name=pgettext_lazy("trường dữ liệu", "thủ tục"))
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)

    class Meta:
        unique_together = [("procedure", "level")]
        indexes = [models.Index(fields=["level", "procedure"])]
        verbose_name = _("cấp thực hiện")
        verbose_name_plural = pgettext_lazy("số nhiều", "cấp thực hiện")

    def __str__(self) -> str:
        return str(self.get_level_display())


class CopyType(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    CERTIFIED = "certified", _("Bản sao có chứng thực")
    COPY = "copy", _("Bản sao")
    PRESENT = "present", _("Xuất trình bản chính")
    ORIGINAL_OR_CERTIFIED = "original_or_certified", _("Bản chính hoặc bản sao có chứng thực")


class RequiredDocument(models.Model):
    """One of the papers to bring (thành phần hồ sơ)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="documents", verbose_name=pgettext_lazy("trường dữ liệu", "thủ tục"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    code = models.CharField(_("mã giấy tờ"), max_length=60, blank=True,
                            help_text=_("Mã thành phần hồ sơ trong CSDL quốc gia về TTHC (MAGIAYTO)."))
    name = models.CharField(_("tên giấy tờ"), max_length=400)
    copy_type = models.CharField(_("loại bản"), max_length=30, choices=CopyType.choices, default=CopyType.ORIGINAL)
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    mandatory = models.BooleanField(_("bắt buộc"), default=True)
    condition = models.CharField(_("trường hợp áp dụng"), max_length=400, blank=True)
    template_name = models.CharField(_("mẫu đơn, tờ khai"), max_length=200, blank=True)
    template_url = models.CharField(_("đường dẫn mẫu"), max_length=400, blank=True)
    result_substitute = models.CharField(
        _("mã kết quả thay thế"), max_length=60, blank=True,
        help_text=_("Kết quả của thủ tục khác có thể thay giấy tờ này (MA_KQ_THAYTHE)."),
    )

    class Meta:
        ordering = ["procedure", "order", "id"]
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = pgettext_lazy("số nhiều", "thành phần hồ sơ")

    def __str__(self) -> str:
        return self.name


class FeeLine(models.Model):
    """A fee or charge line, in integer VND (some per page, per copy or per case)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fee_lines", verbose_name=pgettext_lazy("trường dữ liệu", "thủ tục"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    code = models.CharField(_("mã phí, lệ phí"), max_length=60, blank=True,
                            help_text=_("Mã trong CSDL quốc gia về TTHC (MAPHILEPHI)."))
    name = models.CharField(_("tên phí, lệ phí"), max_length=300)
    amount = models.PositiveIntegerField(_("mức thu (đồng)"))
    per = models.CharField(_("tính theo"), max_length=100, blank=True, help_text=_("ví dụ: trang, bản, trường hợp"))
    note = models.CharField(_("ghi chú"), max_length=400, blank=True)

    class Meta:
        ordering = ["procedure", "order", "id"]
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = pgettext_lazy("số nhiều", "phí, lệ phí")

    def __str__(self) -> str:
        return self.name


class ProcedureCommitment(models.Model):
    """A shorter time a unit (and every unit below it) committed to: "cắt giảm thời gian".

    The law's time stays on the procedure; the commitment drives due dates inside the unit.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("đơn vị"))
    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="commitments", verbose_name=pgettext_lazy("trường dữ liệu", "thủ tục")
    )
    time_value = models.DecimalField(_("thời hạn cam kết"), max_digits=6, decimal_places=1)
    time_unit = models.CharField(_("đơn vị thời hạn"), max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS)
    cutoff_time = models.TimeField(
        _("giờ chốt trong ngày"), null=True, blank=True,
        help_text=_("Nhận hồ sơ sau giờ này thì tính là nhận vào ngày làm việc tiếp theo. Để trống: theo giờ chốt của thủ tục."),
    )
    decision = models.CharField(_("quyết định"), max_length=300, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    objects = ValidQuerySet.as_manager()

    class Meta:
        verbose_name = _("thời hạn cắt giảm")
        verbose_name_plural = pgettext_lazy("số nhiều", "thời hạn cắt giảm")
        unique_together = [("unit", "procedure", "valid_from")]

    def __str__(self) -> str:
        return f"{self.time_value:g} {self.get_time_unit_display()}"

    def clean(self):
        """A same-day commitment needs a cut-off: its own, or the procedure's it inherits
        (otherwise a dossier arriving at 16:53 would be due at 17:00 the same day)."""
        from django.core.exceptions import ValidationError

        procedure = self.procedure if self.procedure_id else None
        if (self.time_unit == TimeUnit.SAME_DAY and self.cutoff_time is None
                and procedure is not None and procedure.cutoff_time is None):
            raise ValidationError({"cutoff_time": _(
                "Cam kết giải quyết trong ngày cần giờ chốt (ví dụ 15:00): thủ tục này không có giờ chốt để áp dụng theo.")})


class StepKind(models.TextChoices):
    """The steps of handling a dossier, each held by one officer (``dossiers.steps``)."""

    INTAKE = "intake", _("Tiếp nhận")
    ASSIGNMENT = "assignment", _("Phân công")
    PROCESSING = "processing", _("Thẩm định, xử lý")
    APPROVAL = "approval", _("Phê duyệt")
    RETURN = "return", _("Trả kết quả")


class StepShare(models.Model):
    """A step's share of the legal time of a procedure, in percent (the inspector's measure of
    "held past its share"). ``level`` empty: the step at any level; set: the step when it is
    done at a unit of that level — how a liên thông procedure splits its time between the
    commune and the district (or province). Without a row the defaults of ``dossiers.steps``
    apply."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="step_shares",
                                  verbose_name=pgettext_lazy("trường dữ liệu", "thủ tục"))
    level = models.CharField(_("cấp thực hiện bước"), max_length=10, choices=Level.choices, blank=True,
                             help_text=_("Để trống: bước ở mọi cấp. Chọn cấp: phần thời gian của cấp đó khi liên thông."))
    step = models.CharField(_("bước"), max_length=12, choices=StepKind.choices)
    share = models.DecimalField(_("tỷ lệ thời gian (%)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("thời gian từng bước")
        verbose_name_plural = pgettext_lazy("số nhiều", "thời gian từng bước")
        unique_together = [("procedure", "level", "step")]
        constraints = [models.CheckConstraint(condition=Q(share__gt=0) & Q(share__lte=100), name="step_share_percent")]

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {self.share:g} %"
