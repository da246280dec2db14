"""Template filters for Vietnamese readers: numbers with dot separators, money in đồng,
processing times as the catalog publishes them, and times in Asia/Ho_Chi_Minh.

``{% load motcua %}`` then ``{{ 2000|vnd }}`` → ``2.000 đ``; ``{{ 135|vn_number }}`` → ``135``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext as _

from motcua.catalog.models import TimeUnit
from motcua.formatting import file_size as size_text
from motcua.formatting import group_digits, percent
from motcua.formatting import vnd as money

register = template.Library()


@register.filter
def vn_number(value) -> str:
    """A number with Vietnamese separators: ``2000`` → ``2.000``."""
    return group_digits(value)


@register.filter
def vn_percent(value) -> str:
    """A rate in per cent as every page writes it (``formatting.percent``): ``87.5`` → ``87,50%``."""
    if value is None or value == "":
        return ""
    return percent(float(value))


@register.filter
def file_size(value) -> str:
    """A file's size as a citizen reads it (``formatting.file_size``): ``48213`` → ``47 KB``."""
    return size_text(value) if isinstance(value, int) else ""


@register.filter
def vnd(value) -> str:
    """An amount of money in đồng: ``2000`` → ``2.000 đ`` (with a no-break space)."""
    return money(value, short=True)


@register.filter
def vnd_long(value) -> str:
    """An amount of money in words' unit: ``15000`` → ``15.000 đồng``."""
    return money(value)


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
    text = group_digits(number)
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
