"""django-allauth adapters: the citizen's account and the national sign-on (VNeID).

- ``AccountAdapter``: Vietnamese messages, a phone number as a login (one spelling,
  ``identifiers.canonical_phone``), where a login lands.
- ``SocialAccountAdapter``: a first national sign-on creates the citizen's account from the
  claims of ``../shared/domain/integrations.md`` (``SoDinhDanh``, ``HoVaTen``,
  ``SoDienThoai``, ``ThuDienTu``, ``NgayThangNamSinh``) or links it to the account that
  already has that ID number.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from urllib.parse import quote, urlsplit

import requests

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings
from django.core.validators import validate_email
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from motcua.identifiers import ID_NUMBER, canonical_phone, normalise_id_number
from motcua.links import public_url

log = logging.getLogger(__name__)


class VietnamesePhoneField(forms.CharField):
    """A Vietnamese mobile or landline number as people type it; cleaned to ``0912345678``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Số điện thoại"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        phone = canonical_phone(value)
        if not phone:
            raise forms.ValidationError(_("Số điện thoại không hợp lệ (ví dụ 0912345678)."), code="invalid_phone")
        return phone


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("Tài khoản này đang bị khóa."),
        "email_password_mismatch": _("Thư điện tử hoặc mật khẩu không đúng."),
        "phone_password_mismatch": _("Số điện thoại hoặc mật khẩu không đúng."),
        "username_password_mismatch": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "email_taken": _("Thư điện tử này đã được dùng cho một tài khoản khác."),
        "phone_taken": _("Số điện thoại này đã được dùng cho một tài khoản khác."),
        "invalid_login": _("Thông tin đăng nhập không hợp lệ."),
        "invalid_password_reset": _("Đường dẫn đặt lại mật khẩu không hợp lệ hoặc đã hết hạn."),
        "invalid_or_expired_key": _("Đường dẫn không hợp lệ hoặc đã hết hạn."),
        "too_many_login_attempts": _("Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau."),
        "unknown_email": _("Không có tài khoản nào dùng thư điện tử này."),
        "unknown_phone": _("Không có tài khoản nào dùng số điện thoại này."),
        "enter_current_password": _("Vui lòng nhập mật khẩu hiện tại."),
        "incorrect_password": _("Mật khẩu không đúng."),
        "duplicate_email": _("Thư điện tử này đã gắn với tài khoản của bạn."),
        "unverified_primary_email": _("Thư điện tử chính của bạn cần được xác minh."),
    }

    # -------------------------------------------------------------- where logins land
    def get_login_redirect_url(self, request):
        user = request.user
        if getattr(user, "is_officer", False):
            return reverse("office:home")
        return reverse("accounts_profile")

    def get_logout_redirect_url(self, request):
        return reverse("portal:home")

    def get_email_verification_redirect_url(self, email_address):
        return reverse("accounts_profile")

    # -------------------------------------------------------------- links in e-mails
    # MOTCUA_PUBLIC_URL when set (behind a proxy the request's own address may be internal).
    def get_email_confirmation_url(self, request, emailconfirmation):
        return public_url(reverse("account_confirm_email", args=[emailconfirmation.key]), request)

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return public_url(path.replace("UID-KEY", quote(key)), self.request)

    # -------------------------------------------------------------- the user's own fields
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        full_name = " ".join((form.cleaned_data.get("full_name") or "").split())
        if full_name:
            user.full_name = full_name
        if commit:
            user.save()
        return user

    # -------------------------------------------------------------- the phone as a login
    def phone_form_field(self, **kwargs):
        return VietnamesePhoneField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        return canonical_phone(phone) or phone

    def set_phone(self, user, phone: str, verified: bool) -> None:
        user.phone, user.phone_verified = canonical_phone(phone), verified
        if user.pk:
            user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user):
        return (user.phone, user.phone_verified) if user.phone else None

    def set_phone_verified(self, user, phone: str) -> None:
        if user.phone == canonical_phone(phone):
            user.phone_verified = True
            user.save(update_fields=["phone_verified"])

    def get_user_by_phone(self, phone: str):
        from motcua.accounts.models import User

        phone = canonical_phone(phone)
        return User.objects.filter(phone=phone).first() if phone else None

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        # ACCOUNT_PHONE_VERIFICATION_ENABLED is off (docs/operators/sign-on.md): no SMS codes.
        raise NotImplementedError("phone verification by SMS is not enabled")


# ------------------------------------------------------------------ national sign-on

def claims_of(sociallogin) -> dict:
    """The identity's claims: the userinfo answer, else the ID token's."""
    extra = sociallogin.account.extra_data or {}
    return extra.get("userinfo") or extra.get("id_token") or extra


def _birth_date(value) -> dt.date | None:
    text = str(value or "").strip()
    for fmt in ("%Y%m%d", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def profile_from_claims(claims: dict) -> dict:
    """The profile fields a national identity gives (names as VNeID sends them, with the
    standard OpenID claims as a fallback); what does not pass the dossiers' rules is left out."""
    id_number = normalise_id_number(str(claims.get("SoDinhDanh") or ""))
    email = str(claims.get("ThuDienTu") or claims.get("email") or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        email = ""
    return {
        "id_number": id_number if ID_NUMBER.fullmatch(id_number) else "",
        "full_name": " ".join(str(claims.get("HoVaTen") or claims.get("name") or "").split())[:200],
        "phone": canonical_phone(str(claims.get("SoDienThoai") or claims.get("phone_number") or "")),
        "email": email,
        "birth_date": _birth_date(claims.get("NgayThangNamSinh") or claims.get("birthdate")),
    }


class ConfiguredDiscovery(requests.adapters.BaseAdapter):
    """Answers allauth's discovery request from the settings, for a sign-on that publishes no
    discovery document (``MOTCUA_OIDC_DISCOVERY=false``): the issuer and the endpoints of
    ``MOTCUA_OIDC_*``, in process, no network."""

    def send(self, request, **kwargs):
        endpoints = settings.OIDC_ENDPOINTS
        issuer = settings.OIDC_ISSUER
        if not issuer:  # the issuer is the ID token's `iss`: the authorization server's origin
            parts = urlsplit(endpoints["authorization_endpoint"])
            issuer = f"{parts.scheme}://{parts.netloc}"
        response = requests.Response()
        response.status_code = 200
        response.headers["Content-Type"] = "application/json"
        response._content = json.dumps({"issuer": issuer, **endpoints}).encode()
        response.url, response.request, response.encoding = request.url, request, "utf-8"
        return response

    def close(self):
        pass


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_requests_session(self):
        session = super().get_requests_session()
        session.mount(settings.OIDC_CONFIGURED_DISCOVERY.split("//")[0] + "//", ConfiguredDiscovery())
        return session

    def is_auto_signup_allowed(self, request, sociallogin) -> bool:
        return True

    def pre_social_login(self, request, sociallogin):
        """An identity seen for the first time joins the account that already has its ID
        number (a citizen who signed up with a password, or was made at the counter)."""
        from motcua.accounts.models import User

        profile = profile_from_claims(claims_of(sociallogin))
        if sociallogin.is_existing:
            fill_profile(sociallogin.user, profile)
            return
        if profile["id_number"]:
            user = User.objects.filter(id_number=profile["id_number"]).first()
            if user is not None:
                sociallogin.connect(request, user)
                fill_profile(user, profile)

    def populate_user(self, request, sociallogin, data):
        from motcua.accounts.models import User

        user = super().populate_user(request, sociallogin, data)
        profile = profile_from_claims(claims_of(sociallogin))
        user.full_name = profile["full_name"]
        user.id_number = profile["id_number"]
        user.birth_date = profile["birth_date"]
        # Another account's phone or e-mail is not taken over: the ID number is what links.
        if profile["phone"] and not User.objects.filter(phone=profile["phone"]).exists():
            user.phone = profile["phone"]
        email = profile["email"]
        user.email = email if email and not User.objects.filter(email__iexact=email).exists() else ""
        if user.id_number:
            user.username = ""  # allauth makes one; never the ID number (it would show in lists)
        return user


def fill_profile(user, profile: dict) -> None:
    """Complete an existing account from the claims: only fields it lacks; never another
    account's phone or ID number."""
    from motcua.accounts.models import User

    changed = []
    for name in ("full_name", "birth_date"):
        if profile[name] and not getattr(user, name):
            setattr(user, name, profile[name])
            changed.append(name)
    if profile["id_number"] and not user.id_number and not User.objects.filter(id_number=profile["id_number"]).exists():
        user.id_number = profile["id_number"]
        changed.append("id_number")
    if profile["phone"] and not user.phone and not User.objects.filter(phone=profile["phone"]).exists():
        user.phone = profile["phone"]
        changed.append("phone")
    if changed:
        user.save(update_fields=changed)
