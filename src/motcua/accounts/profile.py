"""The citizen's profile: what every filing form starts from, and how it is cleaned.

``applicant_initial(user)`` is the one function a filing form calls to pre-fill the applicant;
the ID number and the phone are cleaned by the same rules as a dossier's (motcua/identifiers.py),
so what the profile keeps is what a dossier would accept.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.identifiers import ID_NUMBER, canonical_phone, normalise_id_number


def contact_match(value: str):
    """The condition on accounts that ``value`` names as a contact: its e-mail address (any
    case) or its phone number (any spelling). Empty (matches nothing) for anything else. How a
    typed login names an account besides its username (``operations.throttles.login_account_key``)
    and how an officer names a citizen (:func:`find_citizen`)."""
    from django.db.models import Q

    match = Q(pk__in=[])
    if "@" in value:
        match |= Q(email__iexact=value)
    if phone := canonical_phone(value):
        match |= Q(phone=phone)
    return match


def find_citizen(identifier: str):
    """The active citizen account that ``identifier`` names — what an officer at the counter
    can ask for: the phone number, the e-mail address, the 12-digit ID number or the username.
    ``None`` when none, or more than one, matches (assisted online filing, ``dossiers.intake``)."""
    from django.db.models import Q

    from motcua.accounts.models import Role, User

    value = " ".join(str(identifier or "").split())[:254]
    if not value:
        return None
    match = Q(username=value[:150]) | contact_match(value)
    if ID_NUMBER.fullmatch(id_number := normalise_id_number(value)):
        match |= Q(id_number=id_number)
    found = list(User.objects.filter(match, role=Role.CITIZEN, is_active=True)[:2])
    return found[0] if len(found) == 1 else None


def applicant_initial(user) -> dict:
    """``{full_name, id_number, phone, email, address}`` of a logged-in citizen, for the
    applicant part of a filing form (empty strings for what the profile lacks; an anonymous
    visitor gets all empty)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {"full_name": "", "id_number": "", "phone": "", "email": "", "address": ""}
    return {
        "full_name": user.full_name or user.get_full_name(),
        "id_number": user.id_number,
        "phone": user.phone,
        "email": user.email,
        "address": user.address,
    }


class ProfileForm(forms.Form):
    """``/tai-khoan/``: the citizen's own details. The e-mail address is changed through
    allauth (it must be verified), so it is shown, not edited, here."""

    full_name = forms.CharField(label=_("Họ và tên"), max_length=200, required=False)
    id_number = forms.CharField(label=_("Số định danh cá nhân (căn cước)"), max_length=40, required=False,
                                help_text=_("12 chữ số, in trên thẻ căn cước."))
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_address(self) -> str:
        return " ".join(self.cleaned_data["address"].split())

    def clean_id_number(self) -> str:
        from motcua.accounts.models import User

        value = normalise_id_number(self.cleaned_data["id_number"])
        if not value:
            return ""
        if not ID_NUMBER.fullmatch(value):
            raise forms.ValidationError(_("Số định danh cá nhân (căn cước) phải gồm đúng 12 chữ số."))
        if User.objects.filter(id_number=value).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError(
                _("Số định danh này đã gắn với một tài khoản khác. Vui lòng liên hệ bộ phận một cửa để được hỗ trợ.")
            )
        return value

    def clean_phone(self) -> str:
        """A Vietnamese number, in one spelling. Whether another account has it is never said
        (issue 17 §6): a new number is only taken once a code sent to it is typed back
        (``new_phone``, accounts/views.py ``change_phone``), which a number already used never gets."""
        raw = self.cleaned_data["phone"]
        if not raw.strip():
            return ""
        value = canonical_phone(raw)
        if not value:
            raise forms.ValidationError(_("Số điện thoại không hợp lệ (ví dụ 0912345678)."))
        return value

    def new_phone(self) -> str:
        """The number typed when it is another than the account's (it waits for its code), else ``""``."""
        phone = self.cleaned_data.get("phone", "")
        return phone if phone and phone != self.user.phone else ""

    def save(self) -> None:
        """Everything but a new number (``new_phone``); a number removed is removed at once."""
        user = self.user
        for name in ("full_name", "id_number", "address"):
            setattr(user, name, self.cleaned_data[name])
        if not self.cleaned_data["phone"] and user.phone:
            user.phone, user.phone_verified = "", False
        user.save(update_fields=["full_name", "id_number", "phone", "phone_verified", "address"])
