"""Checks of applicant data: Vietnamese messages, one list of problems per field."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from motcua.errors import InvalidInput

ID_NUMBER = re.compile(r"[0-9]{12}")
# What people type between the digit groups of an ID number: spaces (also no-break), dots,
# hyphens and dashes, slashes, underscores ("015 200 001 111", "015.200.001.111").
_ID_SEPARATORS = re.compile(r"[\s.\-_/\u2010-\u2015\u2212]")
PHONE = re.compile(r"^(0|\+84)(3|5|7|8|9|2)\d{8}$")

LIMITS = {"full_name": 200, "address": 300, "email": 254}


def normalise_phone(phone: str) -> str:
    """The phone as typed without the separators people put in it (spaces, dots, hyphens,
    brackets); ``+84`` kept. Checked against ``PHONE``; stored as :func:`canonical_phone`."""
    return re.sub(r"[\s.\-()]", "", phone or "")


def canonical_phone(value: str) -> str:
    """``"+84 912 345 678"`` / ``"0912.345.678"`` → ``"0912345678"``: THE one spelling of a
    Vietnamese phone number, the one every table stores (dossiers, accounts, questions) and every
    search compares with, so a number is one login, one account and one search hit however it
    was typed (issue 22 §3). ``""`` for something that is not a Vietnamese phone (``PHONE``)."""
    phone = normalise_phone(value or "")
    if not PHONE.match(phone):
        return ""
    return "0" + phone[3:] if phone.startswith("+84") else phone


def normalise_id_number(value: str) -> str:
    """``"015 200 001 111"`` → ``"015200001111"``: the digits as typed, without separators.

    Full-width digits (an Asian keyboard) become ASCII (NFKC); anything else is kept, so the
    check below rejects letters rather than silently dropping them.
    """
    return _ID_SEPARATORS.sub("", unicodedata.normalize("NFKC", value or ""))


def check_applicant(applicant: dict, prefix: str = "applicant", *, phone_required: bool = True) -> dict:
    """Return the cleaned applicant or raise :class:`InvalidInput` listing every problem.

    The one check of an applicant, used by the API, the counter's intake page and the
    importer: the ID number and the phone are cleaned of the separators people type, the phone
    kept in its one spelling (:func:`canonical_phone`).
    ``phone_required`` false: a dossier forwarded by the national portal, whose applicant may
    have given none there (a phone given is still checked).
    """
    problems: dict[str, list[str]] = {}
    cleaned = {
        "full_name": " ".join(str(applicant.get("full_name") or "").split()),
        "id_number": normalise_id_number(str(applicant.get("id_number") or "")),
        "phone": normalise_phone(str(applicant.get("phone") or "")),
        "email": str(applicant.get("email") or "").strip(),
        "address": " ".join(str(applicant.get("address") or "").split()),
    }

    def add(field: str, message: str) -> None:
        problems.setdefault(f"{prefix}.{field}", []).append(message)

    if not cleaned["full_name"]:
        add("full_name", "Vui lòng nhập họ và tên.")
    for field, limit in LIMITS.items():
        if len(cleaned[field]) > limit:
            add(field, f"Dài quá {limit} ký tự.")
    if not ID_NUMBER.fullmatch(cleaned["id_number"]):
        add("id_number", "Số định danh cá nhân (căn cước) phải gồm đúng 12 chữ số.")
    if not cleaned["phone"]:
        if phone_required:
            add("phone", "Vui lòng nhập số điện thoại.")
    elif not PHONE.match(cleaned["phone"]):
        add("phone", "Số điện thoại không hợp lệ (ví dụ 0912345678).")
    else:
        cleaned["phone"] = canonical_phone(cleaned["phone"])
    if cleaned["email"]:
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            add("email", "Địa chỉ thư điện tử không hợp lệ.")
    if problems:
        raise InvalidInput("Thông tin người nộp hồ sơ chưa hợp lệ.", code="invalid_applicant", fields=problems)
    return cleaned
