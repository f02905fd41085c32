"""Amounts in Vietnamese words: linh for a zero tens digit, mốt, lăm, bốn, nghìn, tỷ."""
import pytest

from registry.payments.amount_words import amount_in_words, number_words


@pytest.mark.parametrize("n,words", [
    (0, "không"), (1, "một"), (4, "bốn"), (5, "năm"), (10, "mười"), (11, "mười một"),
    (14, "mười bốn"), (15, "mười lăm"), (20, "hai mươi"), (21, "hai mươi mốt"),
    (24, "hai mươi bốn"), (25, "hai mươi lăm"), (55, "năm mươi lăm"), (90, "chín mươi"),
    (100, "một trăm"), (101, "một trăm linh một"), (105, "một trăm linh năm"),
    (110, "một trăm mười"), (111, "một trăm mười một"), (115, "một trăm mười lăm"),
    (121, "một trăm hai mươi mốt"), (1000, "một nghìn"), (1001, "một nghìn không trăm linh một"),
    (1010, "một nghìn không trăm mười"), (1015, "một nghìn không trăm mười lăm"),
    (15000, "mười lăm nghìn"), (21000, "hai mươi mốt nghìn"), (105000, "một trăm linh năm nghìn"),
    (1000005, "một triệu không trăm linh năm"),
    (1005000, "một triệu không trăm linh năm nghìn"),
    (1000000000, "một tỷ"), (1000050000, "một tỷ không trăm năm mươi nghìn"),
    (2500000000, "hai tỷ năm trăm triệu"), (10000000005, "mười tỷ không trăm linh năm"),
    (1000000000000, "một nghìn tỷ"), (1000500000000, "một nghìn tỷ năm trăm triệu"),
])
def test_number_words(n, words):
    assert number_words(n) == words


def test_amount_in_words_capitalised_with_dong():
    assert amount_in_words(1_200_000) == "Một triệu hai trăm nghìn đồng"
    assert amount_in_words(0) == "Không đồng"
    assert amount_in_words(300_000) == "Ba trăm nghìn đồng"


def test_up_to_999_billion():
    assert amount_in_words(999_999_999_999) == (
        "Chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu chín trăm chín mươi chín "
        "nghìn chín trăm chín mươi chín đồng")


@pytest.mark.parametrize("bad", [-1, 1.5, "12", True, None])
def test_refuses_what_is_not_a_whole_amount(bad):
    with pytest.raises(ValueError):
        number_words(bad)


def test_every_number_reads_back_uniquely():
    """Distinct numbers never share a reading (a cheap guard against dropped groups)."""
    samples = list(range(0, 2100)) + [10**6 + k for k in range(0, 2100, 7)] + \
        [10**9 + k * 1001 for k in range(300)]
    readings = [number_words(n) for n in samples]
    assert len(set(readings)) == len(samples)
