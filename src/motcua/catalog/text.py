"""Search normalisation: case- and diacritics-insensitive Vietnamese text."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[^0-9a-z]+")


def fold(text: str | None) -> str:
    """Lower-case ``text``, strip Vietnamese diacritics (đ → d) and collapse punctuation.

    >>> fold("Đăng ký KHAI SINH")
    'dang ky khai sinh'
    """
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip()


def tokens(text: str | None) -> list[str]:
    return [t for t in fold(text).split(" ") if t]


# Provenance markers of the seed catalog (``[S]`` sourced, ``[U]`` unverified, see the domain
# notes) and the instructions to administrators that follow a ``[U]`` ("Điền mức thu …"):
# for the people who maintain the data file, never for citizens.
_ADMIN_INSTRUCTION = re.compile(r"\s*\[U\]\s*Điền[^.]*\.?")
_MARKER = re.compile(r"\s*\[[SU]\]")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:)])")


def public_text(text: str | None) -> str:
    """``text`` without provenance markers and administrators' instructions.

    >>> public_text("Không thu lệ phí [U].")
    'Không thu lệ phí.'
    >>> public_text("Theo nghị quyết của tỉnh. [U] Điền mức thu của tỉnh.")
    'Theo nghị quyết của tỉnh.'
    """
    if not text:
        return ""
    text = _MARKER.sub("", _ADMIN_INSTRUCTION.sub("", text))
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text).strip()
    return text[:1].upper() + text[1:]
