"""Admin: the questions and feedback (read; the unit's pages answer them)."""

from __future__ import annotations

from django.contrib import admin

from motcua.voices.models import Question


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "state", "procedure", "unit", "asked_at", "due_at", "answered_at", "publish", "hidden")
    list_filter = ("kind", "state", "publish", "hidden", "source")
    list_select_related = ("procedure", "unit")
    search_fields = ("procedure__code", "search_text")
    raw_id_fields = ("procedure", "dossier", "unit", "asker", "assignee", "drafted_by", "answered_by", "marked_by")
    readonly_fields = ("search_text",)
