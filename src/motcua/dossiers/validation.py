"""Checks of applicant data: Vietnamese messages, one list of problems per field. The written
forms of an ID number and a phone are motcua/identifiers.py's, shared with the accounts and the
catalog's form fields, which sit below the dossiers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from motcua.errors import InvalidInput
from motcua.identifiers import ID_NUMBER, PHONE, canonical_phone, normalise_id_number, normalise_phone

LIMITS = {"full_name": 200, "address": 300, "email": 254}


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
