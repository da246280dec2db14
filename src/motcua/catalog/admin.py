"""Admin for the public catalog: units, fields (lĩnh vực), procedures with their levels,
papers and fee lines, and the units' shorter committed times.

The whole catalog moves in and out as one JSON file (format ``motcua-catalog/1``, see
:mod:`motcua.catalog.importexport`): "Xuất danh mục (JSON)" downloads it, "Nhập danh mục
(JSON)" validates an uploaded file and writes nothing unless every entry is valid.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.adminkit import LabelledTabularInline
from motcua.catalog import blankforms
from motcua.formatting import file_size
from motcua.catalog.importexport import export_catalog, import_catalog, validate_catalog
from motcua.catalog.models import (
    FeeLine,
    Field,
    Level,
    Procedure,
    ProcedureCommitment,
    ProcedureLevel,
    RequiredDocument,
    StepShare,
    Unit,
    UnitChange,
)
from motcua.catalog import reorganise
from motcua.catalog.services import time_label
from motcua.catalog.text import fold
from motcua.errors import InvalidInput
from motcua.uploads import BLANK_FORM_TYPES, inspect_upload

MAX_IMPORT_BYTES = 20 * 1024 * 1024


def catalog_json_response(data: dict, filename: str) -> HttpResponse:
    """``data`` as a downloadable UTF-8 JSON file."""
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_filename() -> str:
    return f"danh-muc-thu-tuc-{timezone.localdate():%Y%m%d}.json"


class ReorganiseForm(forms.Form):
    """The admin's merge / move form: the successor or the new parent, the date, the decision."""

    target = forms.ModelChoiceField(Unit.objects.order_by("path"), required=False, label=_("Đơn vị kế thừa / đơn vị cấp trên mới"))
    new_code = forms.CharField(required=False, max_length=40, label=_("Hoặc mã đơn vị mới"))
    new_name = forms.CharField(required=False, max_length=200, label=_("Tên đơn vị mới"))
    new_parent = forms.ModelChoiceField(Unit.objects.order_by("path"), required=False, label=_("Cấp trên của đơn vị mới"))
    effective_on = forms.DateField(label=_("Ngày hiệu lực"), widget=forms.DateInput(attrs={"type": "date"}))
    decision = forms.CharField(required=False, max_length=300, label=_("Nghị quyết, quyết định"))


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "national_id", "valid_from", "valid_to", "successor"]
    list_filter = ["level"]
    search_fields = ["code", "name", "national_id"]
    autocomplete_fields = ["parent", "successor"]
    readonly_fields = ["path"]
    actions = ["merge_units", "move_units"]
    fieldsets = [
        (None, {"fields": ["code", "name", "level", "parent", "national_id"]}),
        (_("Liên hệ"), {"fields": ["address", "phone", "email"]}),
        (_("Lịch làm việc và hiệu lực"), {"fields": ["calendar", "valid_from", "valid_to", "successor", "path"]}),
    ]

    @admin.action(description=_("Sáp nhập các đơn vị đã chọn…"), permissions=["change"])
    def merge_units(self, request, queryset):
        return self._reorganise(request, queryset, UnitChange.Kind.MERGE)

    @admin.action(description=_("Chuyển đơn vị đã chọn sang đơn vị cấp trên khác…"), permissions=["change"])
    def move_units(self, request, queryset):
        return self._reorganise(request, queryset, UnitChange.Kind.MOVE)

    def _plans(self, kind, units, data) -> list[reorganise.Plan]:
        on, decision = data["effective_on"], data["decision"] or ""
        if kind == UnitChange.Kind.MOVE:
            if data["target"] is None:
                raise InvalidInput(str(_("Chọn đơn vị cấp trên mới.")), fields={"target": [str(_("Bắt buộc."))]})
            return [reorganise.plan_move(unit, data["target"], on, decision) for unit in units]
        if data["new_code"]:
            into = reorganise.NewUnit(code=data["new_code"].strip(), name=(data["new_name"] or "").strip(),
                                      level=units[0].level, parent=data["new_parent"])
        elif data["target"] is not None:
            into = data["target"]
        else:
            raise InvalidInput(str(_("Chọn đơn vị kế thừa, hoặc nhập mã và tên đơn vị mới.")),
                               fields={"target": [str(_("Bắt buộc."))]})
        return [reorganise.plan_merge(units, into, on, decision)]

    def _reorganise(self, request, queryset, kind):
        units = list(queryset.order_by("path"))
        form = ReorganiseForm(request.POST if "effective_on" in request.POST else None)
        plans, problems = [], []
        if form.is_bound and form.is_valid():
            try:
                plans = self._plans(kind, units, form.cleaned_data)
            except InvalidInput as exc:
                problems = [exc.message, *(m for msgs in exc.fields.values() for m in msgs)]
            if plans and not problems and request.POST.get("confirm") == "1":
                for plan in plans:
                    reorganise.apply(plan, by=request.user)
                self.message_user(request, _("Đã ghi thay đổi đơn vị hành chính."), messages.SUCCESS)
                return None
        title = _("Sáp nhập đơn vị") if kind == UnitChange.Kind.MERGE else _("Chuyển đơn vị")
        return TemplateResponse(request, "admin/catalog/unit/reorganise.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": title, "kind": kind,
            "units": units, "form": form, "lines": [line for plan in plans for line in plan.lines],
            "problems": problems, "action": request.POST.get("action"),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        })


@admin.register(UnitChange)
class UnitChangeAdmin(admin.ModelAdmin):
    """The record of merges and moves: written by ``catalog.reorganise`` only, read here."""

    list_display = ["effective_on", "kind", "unit", "from_parent", "to_parent", "successor", "decision", "created_by"]
    list_filter = ["kind"]
    search_fields = ["unit__code", "unit__name", "decision"]
    list_select_related = ["unit", "from_parent", "to_parent", "successor", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "sector", "procedure_count"]
    search_fields = ["code", "name", "sector"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(procedure_total=Count("procedures"))

    @admin.display(description=_("số thủ tục"), ordering="procedure_total")
    def procedure_count(self, obj):
        return obj.procedure_total


class ProcedureLevelInline(LabelledTabularInline):
    model = ProcedureLevel
    extra = 0
    min_num = 1
    verbose_name = _("cấp thực hiện")
    verbose_name_plural = pgettext_lazy("số nhiều", "cấp thực hiện")


class RequiredDocumentForm(forms.ModelForm):
    """A paper, and the blank form (mẫu) Motcua keeps for it: the file is checked by the one upload
    check (type by content, size) here, and kept by ``catalog.blankforms`` once the row is saved."""

    template_upload = forms.FileField(
        label=_("tải lên tệp mẫu"), required=False,
        help_text=_("PDF, DOC, DOCX hoặc ODT; công dân tải về từ trang thủ tục."))
    template_remove = forms.BooleanField(label=_("bỏ tệp mẫu đã tải lên"), required=False)

    class Meta:
        model = RequiredDocument
        fields = "__all__"

    def clean_template_upload(self):
        from motcua.errors import DomainError

        upload = self.cleaned_data.get("template_upload")
        if upload:
            try:
                inspect_upload(upload, types=BLANK_FORM_TYPES)
            except DomainError as exc:
                raise forms.ValidationError(exc.message) from None
        return upload


class RequiredDocumentInline(LabelledTabularInline):
    model = RequiredDocument
    form = RequiredDocumentForm
    extra = 0
    fields = ["order", "name", "copy_type", "count", "mandatory", "condition", "template_name", "template_url",
              "template_current", "template_upload", "template_remove", "template_blank"]
    readonly_fields = ["template_current"]
    verbose_name_plural = pgettext_lazy("số nhiều", "thành phần hồ sơ")

    @admin.display(description=_("mẫu công dân tải về"))
    def template_current(self, obj):
        blank = blankforms.offered(obj) if obj and obj.pk else None
        if blank is None:
            return "—"
        what = _("mẫu trống do hệ thống tạo") if blank.generated else blank.filename
        size = f" · {file_size(blank.size)}" if blank.size else ""
        return format_html('<a href="{}">{}</a> ({}{})', blank.url, what, blank.label, size)


class FeeLineInline(LabelledTabularInline):
    model = FeeLine
    extra = 0
    fields = ["order", "name", "amount", "per", "note"]
    verbose_name_plural = pgettext_lazy("số nhiều", "phí, lệ phí")


class ProcedureCommitmentInline(LabelledTabularInline):
    model = ProcedureCommitment
    extra = 0
    fields = ["unit", "time_value", "time_unit", "cutoff_time", "decision", "valid_from", "valid_to"]
    autocomplete_fields = ["unit"]
    verbose_name_plural = _("thời hạn cắt giảm của đơn vị")


class StepShareInline(LabelledTabularInline):
    model = StepShare
    extra = 0
    fields = ["step", "level", "share"]


class LevelFilter(admin.SimpleListFilter):
    """Procedures performed at a level (a procedure may run at several)."""

    title = _("cấp thực hiện")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return Level.choices

    def queryset(self, request, queryset):
        if self.value() in Level.values:
            return queryset.filter(levels__level=self.value())
        return queryset


class ImportCatalogForm(forms.Form):
    file = forms.FileField(label=_("Tệp danh mục (JSON, định dạng motcua-catalog/1)"))
    dry_run = forms.BooleanField(label=_("Chỉ kiểm tra, không ghi"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 20 MB)."))
        try:
            data = json.loads(upload.read().decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise forms.ValidationError(_("Tệp không phải JSON hợp lệ (UTF-8): %(error)s") % {"error": exc})
        return data


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    change_list_template = "admin/catalog/procedure/change_list.html"
    list_display = ["code", "name", "field", "levels_display", "online_level", "time_display", "fee_amount", "interlinked"]
    list_filter = ["field", "online_level", LevelFilter, "interlinked", "processing_time_unit"]
    search_fields = ["code", "national_code", "name"]
    list_select_related = ["field"]
    autocomplete_fields = ["replaced_by"]
    readonly_fields = ["updated_at"]
    inlines = [ProcedureLevelInline, RequiredDocumentInline, FeeLineInline, ProcedureCommitmentInline, StepShareInline]
    actions = ["export_selected"]
    fieldsets = [
        (None, {"fields": ["code", "national_code", "name", "field", "description", "applicants"]}),
        (_("Thời hạn"), {"fields": ["processing_time_value", "processing_time_unit", "processing_time_note", "cutoff_time"]}),
        (_("Phí, lệ phí"), {"fields": ["fee_amount", "fee_note"]}),
        (_("Trình tự, kết quả, căn cứ"), {"fields": ["steps", "result", "legal_basis"]}),
        (_("Trực tuyến và liên thông"), {"fields": ["online_level", "interlinked", "interlinked_levels", "transfer_across_provinces", "result_by_post", "result_electronic"]}),
        (_("Biểu mẫu nộp trực tuyến"), {"fields": ["form"]}),
        (_("Hiệu lực"), {"fields": ["valid_from", "valid_to", "replaced_by", "source", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("levels")

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is not RequiredDocument:
            return
        for row in formset.forms:  # the blank forms uploaded (checked in the row's clean) or removed
            data = getattr(row, "cleaned_data", None) or {}
            if row in formset.deleted_forms or not row.instance.pk:
                continue
            if data.get("template_upload"):
                blankforms.attach_upload(row.instance, data["template_upload"])
            elif data.get("template_remove"):
                blankforms.remove_upload(row.instance)

    def get_search_results(self, request, queryset, search_term):
        """Also match the folded name and text, so "dang ky khai sinh" finds "Đăng ký khai sinh"."""
        filtered = queryset
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        words = fold(search_term).split()
        if words:
            folded = Q()
            for word in words:
                folded &= Q(search_name__contains=word) | Q(search_text__contains=word)
            queryset = queryset | filtered.filter(folded)
        return queryset, may_have_duplicates

    @admin.display(description=_("cấp"))
    def levels_display(self, obj):
        labels = dict(Level.choices)
        return ", ".join(str(labels[lv]) for lv in obj.level_list)

    @admin.display(description=_("thời hạn"))
    def time_display(self, obj):
        return time_label(obj.processing_time_value, obj.processing_time_unit)

    # -- whole-catalog export and import -----------------------------------------------------

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path("export/", self.admin_site.admin_view(self.export_view), name="%s_%s_export" % info),
            path("import/", self.admin_site.admin_view(self.import_view), name="%s_%s_import" % info),
        ] + super().get_urls()

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return catalog_json_response(export_catalog(), export_filename())

    @admin.action(description=_("Xuất các thủ tục đã chọn (JSON)"), permissions=["view"])
    def export_selected(self, request, queryset):
        data = export_catalog()
        chosen = set(queryset.values_list("code", flat=True))
        data["procedures"] = [p for p in data["procedures"] if p["code"] in chosen]
        data["commitments"] = [c for c in data["commitments"] if c["procedure"] in chosen]
        used_fields = {p["field"] for p in data["procedures"]}
        data["fields"] = [f for f in data["fields"] if f["code"] in used_fields]
        for p in data["procedures"]:
            if p["replaced_by"] not in chosen:
                p["replaced_by"] = None
        return catalog_json_response(data, export_filename())

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        problems: dict[str, list[str]] = {}
        if request.method == "POST":
            form = ImportCatalogForm(request.POST, request.FILES)
            if form.is_valid():
                data = form.cleaned_data["file"]
                if form.cleaned_data["dry_run"]:
                    problems = validate_catalog(data)
                    if not problems:
                        self.message_user(
                            request,
                            _("Tệp hợp lệ: %(n)d thủ tục. Chưa ghi gì vào hệ thống.")
                            % {"n": len(data.get("procedures") or [])},
                            messages.INFO,
                        )
                else:
                    try:
                        counts = import_catalog(data)
                    except InvalidInput as exc:
                        problems = exc.fields
                    else:
                        self.message_user(
                            request,
                            _("Đã nạp %(fields)d lĩnh vực, %(procedures)d thủ tục, %(commitments)d cam kết.") % counts,
                            messages.SUCCESS,
                        )
                        return HttpResponseRedirect(reverse("admin:catalog_procedure_changelist"))
                if problems:
                    self.message_user(
                        request, _("Danh mục chưa hợp lệ: không ghi gì. Sửa các lỗi bên dưới rồi nạp lại."), messages.ERROR
                    )
        else:
            form = ImportCatalogForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Nhập danh mục thủ tục (JSON)"),
            "form": form,
            "problems": sorted(problems.items()),
            "problem_count": sum(len(v) for v in problems.values()),
        }
        return TemplateResponse(request, "admin/catalog/procedure/import.html", context)


@admin.register(ProcedureCommitment)
class ProcedureCommitmentAdmin(admin.ModelAdmin):
    list_display = ["procedure", "unit", "committed_time", "law_time", "decision", "valid_from", "valid_to"]
    list_filter = ["unit", "procedure__field"]
    search_fields = ["procedure__code", "procedure__name", "unit__code", "unit__name", "decision"]
    autocomplete_fields = ["unit", "procedure"]
    list_select_related = ["unit", "procedure"]

    @admin.display(description=_("thời hạn cam kết"))
    def committed_time(self, obj):
        return time_label(obj.time_value, obj.time_unit)

    @admin.display(description=_("thời hạn theo quy định"))
    def law_time(self, obj):
        return time_label(obj.procedure.processing_time_value, obj.procedure.processing_time_unit)
