"""How Motcua writes numbers and money for Vietnamese readers: the one home of both.

A dot groups thousands and a comma starts the decimals (``1.234.567``, ``2,5``); money is
whole đồng (``50.000 đồng``, or ``50.000 đ`` where space is short). Pages (the ``vnd`` and
``vn_number`` template filters), printed forms, reports and payments all call these.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def group_digits(value) -> str:
    """``1234567`` → ``"1.234.567"``; ``2.5`` → ``"2,5"``; ``-3846`` → ``"-3.846"``.

    Returns ``""`` for anything that is not a number (``None``, ``""``, ``"abc"``), so a
    template or a printed cell never breaks on a missing value.
    """
    if value is None or value == "" or isinstance(value, bool):
        return ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    if not number.is_finite():
        return ""
    negative = number < 0
    number = abs(number)
    whole = int(number)
    fraction = number - whole
    grouped = f"{whole:,}".replace(",", ".")
    if fraction:
        grouped += "," + f"{fraction.normalize():f}".split(".")[1]
    return ("-" if negative else "") + grouped


def file_size(size: int) -> str:
    """A size as a citizen reads it: ``10485760`` → ``"10 MB"``, ``1572864`` → ``"1,5 MB"``,
    ``48213`` → ``"47 KB"`` (whole kilobytes, at least 1), ``1000`` → ``"1.000 byte"`` (under 1 KB).
    static/motcua/filesize.js writes the same in the browser."""
    mb = Decimal(size) / (1024 * 1024)
    if mb >= 1:
        return f"{group_digits(mb.quantize(Decimal('0.1')).normalize())} MB"
    if size >= 1024:
        return f"{group_digits(max(1, int(Decimal(size) / 1024 + Decimal('0.5'))))} KB"
    return f"{group_digits(size)} byte"


def vnd(amount, *, short: bool = False) -> str:
    """``50000`` → ``"50.000 đồng"``; with ``short``, ``"50.000 đ"`` (a no-break space).

    ``""`` when ``amount`` is not a number.
    """
    digits = group_digits(amount)
    if not digits:
        return ""
    return f"{digits}\u00a0đ" if short else f"{digits} đồng"


def percent(value: float) -> str:
    """``93.39`` → ``"93,39%"``: two decimals, a decimal comma."""
    return f"{value:.2f}".replace(".", ",") + "%"


# ------------------------------------------------------------------ amounts in words
_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_SCALES = ["", "nghìn", "triệu"]


def _three(n: int, full: bool) -> str:
    """Words of ``0 < n < 1000``; ``full``: a group after a higher one ("không trăm linh năm")."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(_DIGITS[units])
        return " ".join(words)
    words += ["mười"] if tens == 1 else [_DIGITS[tens], "mươi"]
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 4 and tens > 1:
        words.append("tư")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return " ".join(words)


def _below_billion(n: int, full: bool) -> str:
    groups = []
    scale = 0
    while n:
        groups.append((n % 1000, scale))
        n //= 1000
        scale += 1
    words = []
    for i, (group, scale) in enumerate(reversed(groups)):
        if group:
            words.append((_three(group, full or i > 0) + " " + _SCALES[scale]).strip())
    return " ".join(words)


def number_words(n: int) -> str:
    """``50000`` → ``"năm mươi nghìn"``; ``1005000`` → ``"một triệu không trăm linh năm nghìn"``.

    Vietnamese as receipts write amounts: "linh" for a missing ten, "mốt", "tư", "lăm" after
    a ten, "không trăm" inside a larger number, "tỷ" for 10⁹ (then "nghìn tỷ" …).
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise ValueError(f"not a non-negative integer: {n!r}")
    if n == 0:
        return "không"

    def words(n: int, full: bool) -> str:
        billions, rest = divmod(n, 1_000_000_000)
        parts = []
        if billions:
            parts += [words(billions, full), "tỷ"]
        if rest:
            parts.append(_below_billion(rest, full or bool(billions)))
        return " ".join(parts)

    return words(n, False)


def vnd_words(amount: int) -> str:
    """``50000`` → ``"Năm mươi nghìn đồng"``: the total in words on a receipt."""
    text = number_words(amount) + " đồng"
    return text[0].upper() + text[1:]
