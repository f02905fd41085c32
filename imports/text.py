"""Small text helpers shared by every stage (NFC, whitespace, case folding)."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

# C0 controls but tab, line feed and carriage return (whitespace: collapse() makes them spaces),
# and the noncharacters U+FFFE/U+FFFF. A hostile or damaged file carries them; PostgreSQL cannot
# store NUL in text, an xlsx cannot hold any of them, and no one means them as data.
_CONTROLS = "".join(map(chr, [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])) + "\ufffe\uffff"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"    # and the soft hyphen
_DROP_CONTROLS = dict.fromkeys(map(ord, _CONTROLS), None)
_HAS_CONTROL = re.compile(f"[{re.escape(_CONTROLS)}]").search
_INVISIBLE = dict.fromkeys(map(ord, _CONTROLS + _ZERO_WIDTH), None)
_HAS_INVISIBLE = re.compile(f"[{re.escape(_CONTROLS + _ZERO_WIDTH)}]").search
_HEADER_PUNCT = str.maketrans({c: " " for c in ",.:;()/-*\\"})
_is_nfc = unicodedata.is_normalized
_normalize = unicodedata.normalize


def nfc(text: str) -> str:
    return text if _is_nfc("NFC", text) else _normalize("NFC", text)


def drop_controls(text: str) -> str:
    """text without control characters (see _CONTROLS); nothing else changes."""
    if text.isprintable() or not _HAS_CONTROL(text):  # the cheap test first: most text is printable
        return text
    return text.translate(_DROP_CONTROLS)


def collapse(text: str) -> str:
    """NFC, drop control and zero-width characters and soft hyphens, turn any run of whitespace
    (NBSP, line breaks) into one space, trim.  Legacy (TCVN3) text must be decoded before this is
    applied (its ư is stored as a soft hyphen)."""
    if not text.isascii():
        text = nfc(text)
    # Controls go before the split: Python counts \x1c-\x1f as whitespace, and they are not spaces.
    if not text.isprintable() and _HAS_INVISIBLE(text):
        text = text.translate(_INVISIBLE)
    joined = " ".join(text.split())
    return text if joined == text else joined


def casefold_key(text: str) -> str:
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
