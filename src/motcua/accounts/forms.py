"""The sign-up form: a phone number or an e-mail address (at least one), and a password."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _


class SignupForm(AllauthSignupForm):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200, required=False)

    field_order = ["full_name", "phone", "email", "password1", "password2"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email") and not self.has_error("phone") \
                and not self.has_error("email"):
            raise forms.ValidationError(
                _("Vui lòng nhập số điện thoại hoặc thư điện tử (ít nhất một trong hai)."), code="phone_or_email"
            )
        return cleaned

    # ---------------------------------------------------------- never saying an account exists
    # (issue 17 §6) A phone or e-mail address that already has an account is not refused in
    # words: the visitor gets the same answer as a new sign-up (the page "Đã nhận đăng ký",
    # `try_save`), and the account's owner is told by message instead, as password reset does.

    def _clean_phone(self) -> None:
        phone = self.cleaned_data.get("phone")
        if phone and get_adapter().get_user_by_phone(phone):
            self.account_already_exists = True

    def validate_unique_email(self, value):
        from motcua.accounts.models import User

        if User.objects.filter(email__iexact=value).exists() or EmailAddress.objects.filter(email__iexact=value).exists():
            self.account_already_exists = True
        return value

    def try_save(self, request):
        """A new account is made (and told to verify its phone or e-mail), or — for a phone or
        address already used — nothing is made and the owner is told; both end on the same page,
        without logging in (a login would tell the two apart)."""
        from allauth.account import signals
        from allauth.account.internal.flows.email_verification import send_verification_email_to_address

        from motcua.accounts import phone_codes, sms

        phone, email = self.cleaned_data.get("phone") or "", self.cleaned_data.get("email") or ""
        if self.account_already_exists:
            user = None
            owner = get_adapter().get_user_by_phone(phone) if phone else None
            if owner is not None:
                sms.send(phone, "account_exists", account_exists_sms(), user=owner)
            if email:
                send_verification_email_to_address(request, EmailAddress(email=email), signup=True)
        else:
            user = self.save(request)
            signals.user_signed_up.send(sender=user.__class__, request=request, user=user)
            address = EmailAddress.objects.filter(user=user, email__iexact=email).first() if email else None
            if address is not None:
                send_verification_email_to_address(request, address, signup=True)
        # allauth's "verification sent" message depends on its per-address rate limit (an address
        # mailed a minute ago gets none): the page says what was sent instead, the same both ways.
        from django.contrib import messages

        storage = messages.get_messages(request)
        for _message in storage:
            pass
        if phone and sms.available():
            # Without an account (the number was taken), no code is sent and none can match.
            phone_codes.start(request, phone_codes.SIGNUP, phone, user)
        request.session[SIGNUP_SESSION_KEY] = {"phone": bool(phone), "email": bool(email)}
        return user, redirect("account_signup_sent")


SIGNUP_SESSION_KEY = "motcua_signed_up"


def account_exists_sms() -> str:
    from django.urls import reverse

    from motcua.links import public_url

    return ("Co nguoi vua dang ky tai khoan dich vu cong bang so dien thoai nay, nhung so nay da co tai khoan. "
            f"Neu ban quen mat khau: {public_url(reverse('account_reset_password_sms'))}")


def phone_claimed_sms() -> str:
    """To the owner of a number another account asked for on its profile (nothing changes for them)."""
    return ("Co nguoi vua muon them so dien thoai nay vao mot tai khoan dich vu cong khac. "
            "So nay van thuoc tai khoan cua ban, khong co gi thay doi; ban khong can lam gi.")


# ------------------------------------------------------------------ one-time codes by SMS (issue 17 §3)

class PhoneForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"] = get_adapter().phone_form_field(required=True)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Mã gồm 6 chữ số"), max_length=12)


class ResetByCodeForm(CodeForm):
    """The code, then a new password checked by the site's password rules."""

    password1 = forms.CharField(label=_("Mật khẩu mới"), max_length=200, strip=False)
    password2 = forms.CharField(label=_("Nhập lại mật khẩu mới"), max_length=200, strip=False)

    def clean(self):
        cleaned = super().clean()
        one, two = cleaned.get("password1"), cleaned.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("Hai mật khẩu không giống nhau."))
        return cleaned

    def check_password_for(self, user) -> bool:
        """The site's password rules for ``user``; errors go on ``password1``."""
        from django.contrib.auth import password_validation

        try:
            password_validation.validate_password(self.cleaned_data["password1"], user)
        except forms.ValidationError as exc:
            self.add_error("password1", exc)
            return False
        return True
