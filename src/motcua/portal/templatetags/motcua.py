"""Template filters for Vietnamese readers: numbers with dot separators, money in đồng,
processing times as the catalog publishes them, and times in Asia/Ho_Chi_Minh.

``{% load motcua %}`` then ``{{ 2000|vnd }}`` → ``2.000 đ``; ``{{ 135|vn_number }}`` → ``135``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext as _

from motcua.catalog.models import TimeUnit

register = template.Library()


def format_number(value) -> str:
    """``1234567`` → ``"1.234.567"``; ``2.5`` → ``"2,5"`` (Vietnamese: dot groups, comma decimals).

    Returns ``""`` for anything that is not a number, so a template never breaks.
    """
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    negative = number < 0
    number = abs(number)
    whole = int(number)
    fraction = number - whole
    grouped = f"{whole:,}".replace(",", ".")
    if fraction:
        decimals = f"{fraction.normalize():f}".split(".")[1]
        grouped = f"{grouped},{decimals}"
    return ("-" if negative else "") + grouped


@register.filter
def vn_number(value) -> str:
    """A number with Vietnamese separators: ``2000`` → ``2.000``."""
    return format_number(value)


@register.filter
def vnd(value) -> str:
    """An amount of money in đồng: ``2000`` → ``2.000 đ`` (with a no-break space)."""
    text = format_number(value)
    return f"{text}\u00a0đ" if text else ""


@register.filter
def duration(value, unit: str) -> str:
    """A processing time as published: ``03 ngày làm việc``, ``Trong ngày``, ``4 giờ làm việc``.

    Day counts below ten are written with a leading zero, as provincial decisions do.
    """
    if unit == TimeUnit.SAME_DAY:
        return _("Trong ngày")
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    text = format_number(number)
    if number == int(number) and unit == TimeUnit.WORKING_DAYS:
        text = f"{int(number):02d}"
    try:
        label = TimeUnit(unit).label
    except ValueError:
        label = unit
    return f"{text} {label}"


@register.filter
def lookup(mapping, key):
    """``{{ labels|lookup:code }}``: a dictionary value from a template."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""
