"""The sign-up form: a phone number or an e-mail address (at least one), and a password."""

from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
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
