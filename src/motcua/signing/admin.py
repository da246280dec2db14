"""Signing in the admin: the units' and leaders' own certificates (the password or PIN typed in,
kept encrypted, never shown again), the signing jobs with "sign again", and the register of
issued results and of the printed forms the agency signed, with the failed attempts (read only)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.signing.models import (FormSignature, IssuedDocument, IssuedVersion, JobStatus, PaperCheck, Signer,
                                   SigningJob)
from motcua.signing.registry import register


class SignerForm(forms.ModelForm):
    backend = forms.ChoiceField(label=_("nơi lưu khóa"), required=False)
    secret = forms.CharField(
        label=_("mật khẩu / mã PIN"), required=False, widget=forms.PasswordInput(render_value=False),
        help_text=_("Mật khẩu của tệp PKCS#12 hoặc mã PIN của thiết bị; để trống khi sửa: giữ nguyên."),
    )

    class Meta:
        model = Signer
        fields = ("unit", "user", "backend", "p12_file", "secret", "pkcs11_module", "pkcs11_token", "key_label",
                  "signer_image", "seal_image", "sign_printed_forms", "active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["backend"].choices = [("", _("— chứng thư của cơ quan (cả hệ thống) —"))] + register.choices()

    def clean(self):
        data = super().clean()
        if bool(data.get("unit")) == bool(data.get("user")):
            raise forms.ValidationError(_("Chọn một đơn vị hoặc một lãnh đạo (không chọn cả hai)."))
        if data.get("user") and not data.get("backend"):
            self.add_error("backend", _("Chứng thư của lãnh đạo cần nơi lưu khóa."))
        if data.get("backend") == "pkcs12" and not (data.get("p12_file") or (self.instance and self.instance.p12_file)):
            self.add_error("p12_file", _("Chọn tệp PKCS#12."))
        if data.get("backend") == "pkcs11" and not (data.get("pkcs11_module") and data.get("pkcs11_token") and data.get("key_label")):
            self.add_error("pkcs11_module", _("Thiết bị PKCS#11 cần thư viện, nhãn token và nhãn khóa."))
        return data

    def save(self, commit=True):
        row = super().save(commit=False)
        if self.cleaned_data.get("secret"):
            row.set_secret(self.cleaned_data["secret"])
        if commit:
            row.save()
        return row


@admin.register(Signer)
class SignerAdmin(admin.ModelAdmin):
    form = SignerForm
    list_display = ("__str__", "backend", "key_label", "sign_printed_forms", "active")
    list_filter = ("backend", "active")
    raw_id_fields = ("unit", "user")


@admin.register(SigningJob)
class SigningJobAdmin(admin.ModelAdmin):
    list_display = ("created_at", "file", "role", "status", "attempts", "next_attempt_at", "error_code")
    list_filter = ("status", "role")
    search_fields = ("file__dossier__code",)
    readonly_fields = ("file", "role", "signer_user", "requested_by", "status", "step", "progress", "attempts",
                       "next_attempt_at", "error_code", "error", "unsigned_name", "created_at", "finished_at")
    actions = ["sign_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Ký lại các lượt đã chọn"))
    def sign_again(self, request, queryset):
        from motcua.signing.services import retry

        for job in queryset.filter(status=JobStatus.FAILED):
            retry(request.user, job.pk)


class IssuedVersionInline(admin.TabularInline):
    model = IssuedVersion
    extra = 0
    can_delete = False
    fields = ("sha256", "signed_by", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "unit", "issued_at", "dossier")
    search_fields = ("dossier__code", "token")
    readonly_fields = ("token", "file", "dossier", "unit", "title", "issued_at", "created_at")
    inlines = [IssuedVersionInline]

    def has_add_permission(self, request):
        return False


@admin.register(PaperCheck)
class PaperCheckAdmin(admin.ModelAdmin):
    list_display = ("file", "done", "signed", "valid", "checked_at")
    list_filter = ("signed", "valid")
    readonly_fields = ("file", "done", "signed", "valid", "verdict", "error", "checked_at")

    def has_add_permission(self, request):
        return False


@admin.register(FormSignature)
class FormSignatureAdmin(admin.ModelAdmin):
    list_display = ("created_at", "dossier", "form", "unit", "signed", "error_code")
    list_filter = ("signed", "form", "error_code")
    search_fields = ("dossier__code", "sha256")
    readonly_fields = ("dossier", "unit", "form", "title", "signed", "sha256", "signer", "error_code", "error", "created_at")

    def has_add_permission(self, request):
        return False
