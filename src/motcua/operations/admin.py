"""django-axes' lists (failed logins per account and address) with Vietnamese column names:
the columns its admin computes have no translatable name of their own."""

from __future__ import annotations

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)

    @admin.register(AccessAttempt)
    class LockoutAttemptAdmin(AccessAttemptAdmin):
        @admin.display(description=_("tình trạng"))
        def status(self, obj):
            return super().status(obj)

        @admin.display(description=_("hết hạn lúc"))
        def expiration(self, obj):
            return super().expiration(obj)
