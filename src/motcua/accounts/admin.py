"""Admin for people, their units and their API tokens (tokens: read-only, revocable)."""

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.adminkit import LabelledTabularInline
from motcua.accounts.models import ApiToken, Membership, User


DEFAULT_PERMISSIONS = {
    "add": _("Thêm %(model)s"),
    "change": _("Sửa %(model)s"),
    "delete": _("Xóa %(model)s"),
    "view": _("Xem %(model)s"),
}


def permission_label(permission: Permission) -> str:
    """A permission in the reader's language: "Hồ sơ | hồ sơ | Xem hồ sơ".

    Django stores a permission's name once, in English ("Can view dossier"), when the
    model is first migrated; the default ones are therefore named here from the model's
    current (translated) name, and only permissions of our own keep their stored name.
    """
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    meta = model._meta
    action, _sep, model_name = permission.codename.partition("_")
    if action in DEFAULT_PERMISSIONS and model_name == meta.model_name:
        name = DEFAULT_PERMISSIONS[action] % {"model": meta.verbose_name}
    else:
        name = permission.name
    return f"{meta.app_config.verbose_name} | {meta.verbose_name} | {name}"


class PermissionLabels:
    """Permission pickers labelled with ``permission_label``."""

    permission_fields = ("permissions", "user_permissions")

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        if db_field.name in self.permission_fields and field is not None:
            field.label_from_instance = permission_label
        return field


class MembershipInline(LabelledTabularInline):
    model = Membership
    extra = 0
    verbose_name = _("đơn vị")
    verbose_name_plural = _("đơn vị công tác")


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(PermissionLabels, DjangoGroupAdmin):
    pass


@admin.register(User)
class UserAdmin(PermissionLabels, DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "memberships__unit"]
    search_fields = ["username", "full_name", "email", "phone", "id_number"]
    fieldsets = DjangoUserAdmin.fieldsets + (  # type: ignore[operator]  # Django's UserAdmin sets a tuple
        (_("Một cửa"), {"fields": ["role", "full_name"]}),
        (_("Hồ sơ công dân"), {"fields": ["id_number", "phone", "phone_verified", "address", "birth_date"]}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + ((_("Một cửa"), {"fields": ["role", "full_name"]}),)
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


# allauth's own tables are not edited by hand: e-mail addresses change through the citizen's
# pages (verified), the national sign-on is configured by environment (docs/operators/sign-on.md)
# and its links are made by the first login. Their admin pages (in English) are left out.
def _unregister_allauth() -> None:
    import allauth.account.admin  # noqa: F401  (registers first, or it would register after us)
    import allauth.socialaccount.admin  # noqa: F401
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken

    for model in (EmailAddress, SocialAccount, SocialApp, SocialToken):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_unregister_allauth()
