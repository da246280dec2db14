"""Admin for people, their units and their API tokens (tokens: read-only, revocable)."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import ApiToken, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    verbose_name = _("đơn vị")
    verbose_name_plural = _("đơn vị công tác")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "memberships__unit"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Motcua"), {"fields": ["role", "full_name"]}),)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + ((_("Motcua"), {"fields": ["role", "full_name"]}),)
    inlines = [MembershipInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Only the hash is stored, so nothing secret shows; tokens are issued by the API or
    ``create-user --print-token`` and can be revoked here."""

    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "prefix"]
    readonly_fields = ["user", "name", "prefix", "key_hash", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Thu hồi các mã đã chọn"))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, _("Đã thu hồi %(n)d mã truy cập.") % {"n": count}, messages.SUCCESS)
