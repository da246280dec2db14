"""People and their roles: citizens, counter officers, specialists, leaders, admins, inspectors, and
the national portal's service account."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Công dân, doanh nghiệp")
    COUNTER = "counter", _("Cán bộ một cửa")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    LEADER = "leader", _("Lãnh đạo")
    ADMIN = "admin", _("Quản trị")
    INSPECTOR = "inspector", _("Thanh tra, kiểm tra")
    # The service account the national portal (or the province's gateway) forwards dossiers
    # with (docs/api.md POST /national/dossiers); its unit is the province.
    NATIONAL_PORTAL = "national_portal", _("Cổng Dịch vụ công quốc gia (tài khoản kết nối)")


STAFF_ROLES = {Role.COUNTER, Role.SPECIALIST, Role.LEADER, Role.ADMIN, Role.INSPECTOR}


class User(AbstractUser):
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    # The citizen's profile (accounts/profile.py): what every filing form starts from.
    id_number = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True, default="", db_index=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True, default="", db_index=True)
    phone_verified = models.BooleanField(_("đã xác minh số điện thoại"), default=False)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True, default="")
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    units = models.ManyToManyField(
        "catalog.Unit", through="Membership", related_name="members", blank=True, verbose_name=_("đơn vị công tác")
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("người dùng")  # type: ignore[assignment]  # a lazy string, as Django takes it
        verbose_name_plural = pgettext_lazy("số nhiều", "người dùng")  # type: ignore[assignment]  # the same
        constraints = [
            # One account per person: the national sign-on links by this number.
            models.UniqueConstraint(fields=["id_number"], condition=~models.Q(id_number=""),
                                    name="accounts_user_unique_id_number"),
            # One account per phone: it is a login (allauth's phone method).
            models.UniqueConstraint(fields=["phone"], condition=~models.Q(phone=""),
                                    name="accounts_user_unique_phone"),
        ]

    @property
    def is_officer(self) -> bool:
        return self.role in STAFF_ROLES

    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        # set_password() keeps the new raw password until the save (Django); a hash rewritten
        # on login (a newer hasher) clears it first, so that is not a change.
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            ApiToken.revoke_all(self)


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("người dùng"))
    unit = models.ForeignKey(
        "catalog.Unit", on_delete=models.PROTECT, related_name="memberships", verbose_name=_("đơn vị")
    )
    since = models.DateField(_("từ ngày"), default=timezone.localdate)

    class Meta:
        unique_together = [("user", "unit")]
        verbose_name = _("thành viên đơn vị")
        verbose_name_plural = pgettext_lazy("số nhiều", "thành viên đơn vị")

    def __str__(self) -> str:
        return f"{self.user} – {self.unit}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored; revoking sets ``revoked_at``."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("người dùng"))
    name = models.CharField(_("tên gợi nhớ"), max_length=100, blank=True)
    key_hash = models.CharField(_("mã băm SHA-256"), max_length=64, unique=True)
    prefix = models.CharField(_("ký tự đầu"), max_length=8)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("lần dùng gần nhất"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thời điểm thu hồi"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = pgettext_lazy("số nhiều", "mã truy cập API")

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @classmethod
    def issue(cls, user: User, name: str = "") -> tuple["ApiToken", str]:
        raw = "mc_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=hash_token(raw), prefix=raw[:8])
        return token, raw

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])

    @classmethod
    def revoke_all(cls, user: User) -> int:
        """Every working token of ``user`` stops (a password change: issue 17 §6)."""
        return cls.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())

    @classmethod
    def working(cls):
        """Tokens that still authenticate: not revoked, and younger than MOTCUA_API_TOKEN_DAYS
        (read at each request, so shortening the lifetime takes effect at once)."""
        from django.conf import settings

        tokens = cls.objects.filter(revoked_at__isnull=True)
        if settings.API_TOKEN_DAYS > 0:
            tokens = tokens.filter(created_at__gt=timezone.now() - dt.timedelta(days=settings.API_TOKEN_DAYS))
        return tokens
