"""What the admin pages of every Motcua app share."""

from __future__ import annotations

from django.contrib import admin
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class LabelledTabularInline(admin.TabularInline):
    """A table of rows whose every input says what it is and for which row: a table cell has
    no ``<label>``, so screen readers (and axe's critical rule "label") find nothing to read.
    Each input gets ``aria-label="<row name> <n>: <field>"`` (``Thành phần hồ sơ 1: tên giấy
    tờ``), the delete box ``… : xóa``; the empty row a script copies says ``mới``."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        row = capfirst(str(self.verbose_name or self.model._meta.verbose_name))

        class Labelled(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                number = index + 1 if index is not None else _("mới")
                for name, field in form.fields.items():
                    if field.widget.is_hidden:
                        continue
                    what = _("xóa") if name == DELETION_FIELD_NAME else field.label
                    field.widget.attrs["aria-label"] = f"{row} {number}: {what}"

        return Labelled
