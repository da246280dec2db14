"""The written forms of a person's identifiers: the 12-digit ID number and the Vietnamese phone
(issue 22 §3, §4). One home on the lowest floor, since the accounts, the catalog's form fields,
the dossiers' applicant check (dossiers/validation.py) and the searches all read them."""

from __future__ import annotations

import re
import unicodedata

ID_NUMBER = re.compile(r"[0-9]{12}")
# What people type between the digit groups of an ID number: spaces (also no-break), dots,
# hyphens and dashes, slashes, underscores ("015 200 001 111", "015.200.001.111").
_ID_SEPARATORS = re.compile(r"[\s.\-_/\u2010-\u2015\u2212]")
PHONE = re.compile(r"^(0|\+84)(3|5|7|8|9|2)\d{8}$")


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


def international(phone: str) -> str:
    """``0912345678`` → ``84912345678``: the form the SMS gateways and Zalo take."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("0"):
        return "84" + digits[1:]
    return digits
