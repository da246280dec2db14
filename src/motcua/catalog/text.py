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
