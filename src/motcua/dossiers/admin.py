"""Read-only admin for dossiers and their audit trail.

Every change to a dossier goes through the workflow (``services.apply_action``) so that it
is checked and recorded; the admin only looks. Events can never be added, edited or
deleted here (nor anywhere: see ``DossierEvent`` and migrations 0002–0003).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.dossiers import workflow
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


class ActionFilter(admin.SimpleListFilter):
    """The events' action by its label ("Tiếp nhận hồ sơ"), not its code (``accept``)."""

    title = _("thao tác")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [(action.value, workflow.action_label(action)) for action in workflow.Action]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(action=self.value())
        return queryset


class ActionLabel:
    """``action`` shown by its label in lists and read-only forms."""

    @admin.display(description=_("thao tác"), ordering="action")
    def action_text(self, obj: DossierEvent) -> str:
        return workflow.action_label(obj.action)


class EventInline(ActionLabel, admin.TabularInline):
    model = DossierEvent
    extra = 0
    can_delete = False
    ordering = ["seq"]
    fields = ["seq", "at", "action_text", "from_status", "to_status", "actor_name", "actor_role", "unit", "note"]  # the raw ``changes``: on the event's page
    readonly_fields = fields  # type: ignore[assignment]  # every field shown is read-only
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
class DossierEventAdmin(ActionLabel, ReadOnlyAdmin):
    list_display = ["dossier", "seq", "at", "action_text", "from_status", "to_status", "actor_name", "unit"]
    list_filter = [ActionFilter, "to_status"]
    fields = ["dossier", "seq", "at", "action_text", "from_status", "to_status", "actor", "actor_name", "actor_role",
              "unit", "note", "changes"]
    readonly_fields = fields  # type: ignore[assignment]  # every field shown is read-only
    search_fields = ["dossier__code"]
    list_select_related = ["dossier", "unit"]


@admin.register(DossierSequence)
class DossierSequenceAdmin(ReadOnlyAdmin):
    list_display = ["unit", "day", "last"]
    list_filter = ["unit"]
