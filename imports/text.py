"""Small text helpers shared by every stage (NFC, whitespace, case folding)."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_HAS_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]").search
_HEADER_PUNCT = str.maketrans({c: " " for c in ",.:;()/-*\\"})
_is_nfc = unicodedata.is_normalized
_normalize = unicodedata.normalize


def nfc(text: str) -> str:
    return text if _is_nfc("NFC", text) else _normalize("NFC", text)


def collapse(text: str) -> str:
    """NFC, drop zero-width characters and soft hyphens, turn any run of whitespace (NBSP, line
    breaks) into one space, trim.  Legacy (TCVN3) text must be decoded before this is applied."""
    if not text.isascii():
        text = nfc(text)
        if not text.isprintable() and _HAS_ZERO_WIDTH(text):    # zero-width marks are not printable
            text = text.translate(_ZERO_WIDTH)
    joined = " ".join(text.split())
    return text if joined == text else joined


def fold(text: str) -> str:
    """collapse() then case folding: the key for case-insensitive comparisons."""
    return collapse(text).casefold()


def header_key(text: str) -> str:
    """Header comparison form: NFC, case folding, whitespace collapsed, `, . : ; ( ) / - *` dropped."""
    return " ".join(nfc(text).casefold().translate(_HEADER_PUNCT).split())


def cell_text(value: object) -> str:
    """Any cell value as display text ('' for empty), numbers without a useless '.0'."""
    if value is None:
        return ""
    if isinstance(value, str):
        return collapse(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def is_blank(value: object) -> bool:
    """Empty cell: None, '' or only whitespace (NBSP and zero-width characters included)."""
    if value is None or value == "":
        return True
    return type(value) is str and (not value.strip() or not collapse(value))
