"""Read-only admin for dossiers and their audit trail.

Every change to a dossier goes through the workflow (``services.apply_action``) so that it
is checked and recorded; the admin only looks. Events can never be added, edited or
deleted here (nor anywhere: see ``DossierEvent`` and migrations 0002–0003).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier, DossierEvent, DossierSequence


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and shows; never adds, changes or deletes."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}


class EventInline(admin.TabularInline):
    model = DossierEvent
    extra = 0
    can_delete = False
    ordering = ["seq"]
    fields = ["seq", "at", "action", "from_status", "to_status", "actor_name", "actor_role", "unit", "note", "changes"]
    readonly_fields = fields
    verbose_name = _("sự kiện")
    verbose_name_plural = _("nhật ký xử lý")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ["code", "procedure", "unit", "current_unit", "status", "channel", "received_at", "due_at"]
    list_filter = ["status", "channel", "unit"]
    search_fields = ["code"]  # never by ID number or phone
    date_hierarchy = "received_at"
    list_select_related = ["procedure", "unit", "current_unit"]
    inlines = [EventInline]


@admin.register(DossierEvent)
class DossierEventAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "seq", "at", "action", "from_status", "to_status", "actor_name", "unit"]
    list_filter = ["action", "to_status"]
    search_fields = ["dossier__code"]
    list_select_related = ["dossier", "unit"]


@admin.register(DossierSequence)
class DossierSequenceAdmin(ReadOnlyAdmin):
    list_display = ["unit", "day", "last"]
    list_filter = ["unit"]
