"""Amounts in Vietnamese words, as receipts write them (formatting.vnd_words)."""

import pytest

from motcua.formatting import number_words, vnd_words

CASES = [
    (0, "Không đồng"),
    (5, "Năm đồng"),
    (10, "Mười đồng"),
    (11, "Mười một đồng"),
    (14, "Mười bốn đồng"),
    (15, "Mười lăm đồng"),
    (20, "Hai mươi đồng"),
    (21, "Hai mươi mốt đồng"),
    (24, "Hai mươi tư đồng"),
    (25, "Hai mươi lăm đồng"),
    (101, "Một trăm linh một đồng"),
    (105, "Một trăm linh năm đồng"),
    (110, "Một trăm mười đồng"),
    (1001, "Một nghìn không trăm linh một đồng"),
    (2000, "Hai nghìn đồng"),
    (8000, "Tám nghìn đồng"),
    (10000, "Mười nghìn đồng"),
    (50000, "Năm mươi nghìn đồng"),
    (215000, "Hai trăm mười lăm nghìn đồng"),
    (1005000, "Một triệu không trăm linh năm nghìn đồng"),
    (1000050, "Một triệu không trăm năm mươi đồng"),
    (1_000_000_000, "Một tỷ đồng"),
    (1_234_567_891, "Một tỷ hai trăm ba mươi tư triệu năm trăm sáu mươi bảy nghìn tám trăm chín mươi mốt đồng"),
    (1_000_000_000_000, "Một nghìn tỷ đồng"),
]


@pytest.mark.parametrize(("amount", "words"), CASES)
def test_vnd_words(amount, words):
    assert vnd_words(amount) == words


@pytest.mark.parametrize("bad", [-1, 1.5, "10", True, None])
def test_number_words_refuses_what_is_not_a_count(bad):
    with pytest.raises(ValueError):
        number_words(bad)
