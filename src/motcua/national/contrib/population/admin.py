"""The audit table, read-only for administrators (nobody adds, changes or deletes a lookup)."""

from django.contrib import admin

from motcua.national.contrib.population.models import PopulationLookup


@admin.register(PopulationLookup)
class PopulationLookupAdmin(admin.ModelAdmin):
    list_display = ("at", "officer", "unit", "dossier", "purpose", "outcome", "duration_ms")
    list_filter = ("outcome", "unit")
    search_fields = ("request_id", "subject", "dossier__code", "officer__username")
    readonly_fields = [f.name for f in PopulationLookup._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
