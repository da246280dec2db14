"""Numbers and money as Vietnamese readers write them: one home (``motcua.formatting``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from motcua.formatting import group_digits, percent, vnd


@pytest.mark.parametrize("value, text", [
    (0, "0"), (135, "135"), (3846, "3.846"), (1234567, "1.234.567"), (-1000, "-1.000"),
    (2.5, "2,5"), (Decimal("1234.50"), "1.234,5"), ("2000", "2.000"),
    (None, ""), ("", ""), ("abc", ""), (float("nan"), ""), (True, ""),
])
def test_digits_are_grouped_with_dots_and_decimals_follow_a_comma(value, text):
    assert group_digits(value) == text


@pytest.mark.parametrize("amount, long, short", [
    (50000, "50.000 đồng", "50.000\u00a0đ"), (0, "0 đồng", "0\u00a0đ"), (2000, "2.000 đồng", "2.000\u00a0đ"),
    (None, "", ""),
])
def test_money_is_written_in_dong(amount, long, short):
    assert vnd(amount) == long and vnd(amount, short=True) == short


def test_every_surface_writes_money_the_same_way():
    from motcua.printing import text
    from motcua.payments.models import PaymentOrder
    from motcua.portal.templatetags import motcua as filters
    from motcua.reports import export

    assert text.vnd is vnd and PaymentOrder(amount=50000).amount_text == "50.000 đồng"
    assert filters.vnd(50000) == vnd(50000, short=True) and filters.vn_number(3846) == "3.846"
    assert export.group_digits is group_digits


def test_percentages_use_a_decimal_comma():
    assert percent(93.391) == "93,39%" and percent(0) == "0,00%"


def test_file_sizes_read_as_a_citizen_reads_them():
    from motcua.formatting import file_size

    assert file_size(10 * 1024 * 1024) == "10 MB"
    assert file_size(1572864) == "1,5 MB"
    assert file_size(48213) == "47 KB"
    assert file_size(1536) == "2 KB"  # half a kilobyte up, as static/motcua/filesize.js rounds
    assert file_size(1024) == "1 KB"
    assert file_size(1000) == "1.000 byte"
