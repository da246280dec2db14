"""Admin: the counter kiosks (an administrator binds each tablet to its unit) and the surveys (read only)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from motcua.feedback.models import Kiosk, Survey
from motcua.links import public_url


@admin.register(Kiosk)
class KioskAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "active", "created_at")
    list_filter = ("active",)
    autocomplete_fields = ("unit",)
    readonly_fields = ("activation_link",)
    fields = ("unit", "name", "active", "activation_link")

    @admin.display(description=_("đường dẫn kích hoạt"))
    def activation_link(self, obj):
        if not obj or not obj.pk:
            return _("Lưu để có đường dẫn kích hoạt.")
        url = public_url(reverse("kiosk:activate") + "?" + urlencode({"ma": obj.token}))
        return format_html('<a href="{}">{}</a><br><span class="help">{}</span>', url, url,
                           _("Mở đường dẫn này một lần trên máy tính bảng đặt ở quầy; tắt “đang dùng” để thu hồi."))


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("dossier", "access", "procedure", "officers", "result", "feedback", "created_at")
    list_select_related = ("dossier",)
    search_fields = ("dossier__code",)
    readonly_fields = ("dossier", "access", "procedure", "officers", "result", "feedback", "comment", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
