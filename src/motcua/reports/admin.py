"""Admin for the scorecard figures the system cannot compute (QĐ 766 indicators such as
complaint handling): an administrator enters numerator, denominator and the data's source."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.reports.models import ScorecardEntry
from motcua.reports.scorecard import ENTERABLE


class ScorecardEntryForm(forms.ModelForm):
    indicator = forms.ChoiceField(label=_("chỉ số"), choices=[(k, f"{k}. {i.name}") for k, i in ENTERABLE.items()])

    class Meta:
        model = ScorecardEntry
        fields = ["unit", "indicator", "period_from", "period_to", "numerator", "denominator", "source"]


@admin.register(ScorecardEntry)
class ScorecardEntryAdmin(admin.ModelAdmin):
    form = ScorecardEntryForm
    list_display = ("indicator", "unit", "period_from", "period_to", "numerator", "denominator", "source", "entered_by")
    list_filter = ("indicator", "unit")
    autocomplete_fields = ("unit",)
    readonly_fields = ("entered_by", "entered_at")

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)
