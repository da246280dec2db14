"""The sign-up form: a phone number or an e-mail address (at least one), and a password."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
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

    def _clean_phone(self) -> None:
        """A phone number that already has an account is refused in words. allauth would hide
        it (enumeration prevention) by sending that phone an SMS; with no SMS codes the citizen
        would wait for a message that never comes. (allauth says the same of an e-mail address
        already used while e-mail verification is optional.)"""
        adapter = get_adapter()
        phone = self.cleaned_data.get("phone")
        if phone and adapter.get_user_by_phone(phone):
            self.add_error("phone", adapter.error_messages["phone_taken"])
