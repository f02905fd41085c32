"""Amounts in Vietnamese words, as a payment sheet writes them: 1200000 → "Một triệu hai trăm
nghìn đồng".

Conventions (one choice each, used consistently): "linh" for a zero tens digit (105 = một trăm
linh năm), "mốt" for a final 1 after twenty and above (21 = hai mươi mốt), "lăm" for a final 5
after a tens word (15 = mười lăm, 25 = hai mươi lăm), "bốn" (never "tư"), "nghìn" and "tỷ".
Inside a number every group after the first reads its hundreds, "không trăm" included
(1.005.000 = một triệu không trăm linh năm nghìn); groups that are all zero are left out.
Above 999 tỷ the count of tỷ is read again (1.000.000.000.000 = một nghìn tỷ).
"""
from __future__ import annotations

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
GROUPS = ["", "nghìn", "triệu"]
BILLION = 1_000_000_000


def _tens_and_units(tens: int, units: int, after_hundreds: bool) -> list[str]:
    if tens == 0:
        if units == 0:
            return []
        return (["linh"] if after_hundreds else []) + [DIGITS[units]]
    words = ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _triple(n: int, full: bool) -> list[str]:
    """Words for 0 < n < 1000; `full` reads "không trăm" when the hundreds digit is zero."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    return words + _tens_and_units(tens, units, after_hundreds=bool(words))


def _below_billion(n: int, full: bool) -> list[str]:
    words: list[str] = []
    groups = [(n // 1000 ** i) % 1000 for i in (2, 1, 0)]
    for index, value in zip((2, 1, 0), groups, strict=True):
        if value == 0:
            continue
        words += _triple(value, full=full or bool(words))
        if GROUPS[index]:
            words.append(GROUPS[index])
    return words


def _words(n: int, full: bool = False) -> list[str]:
    billions, rest = divmod(n, BILLION)
    words: list[str] = []
    if billions:
        words += _words(billions, full) + ["tỷ"]
    if rest:
        words += _below_billion(rest, full=full or bool(words))
    return words


def number_words(n: int) -> str:
    """A non-negative integer in Vietnamese words, lower case ("một trăm linh năm")."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"Không đọc được số {n!r}: chỉ đọc số nguyên không âm.")
    return "không" if n == 0 else " ".join(_words(n))


def amount_in_words(n: int) -> str:
    """An amount in words, capitalised, ending in "đồng": "Một triệu hai trăm nghìn đồng"."""
    text = f"{number_words(n)} đồng"
    return text[0].upper() + text[1:]
