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
