"""The text module: NFC, invisible characters, whitespace, case and diacritic folding, and the
keys a person's name is searched and sorted by. Shared by the import library and the registry;
pure (no Flask, no database). The fold and sort keys are stored and indexed: a change to what
they return needs a migration that recomputes them."""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

# C0 controls but tab, line feed and carriage return (whitespace: collapse_spaces() makes them
# spaces), and the noncharacters U+FFFE/U+FFFF. A hostile or damaged file carries them; PostgreSQL
# cannot store NUL in text, an xlsx cannot hold any of them, and no one means them as data.
_CONTROLS = "".join(map(chr, [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])) + "\ufffe\uffff"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"    # and the soft hyphen
_DROP_CONTROLS = dict.fromkeys(map(ord, _CONTROLS), None)
_HAS_CONTROL = re.compile(f"[{re.escape(_CONTROLS)}]").search
_INVISIBLE = dict.fromkeys(map(ord, _CONTROLS + _ZERO_WIDTH), None)
_HAS_INVISIBLE = re.compile(f"[{re.escape(_CONTROLS + _ZERO_WIDTH)}]").search
_HEADER_PUNCT = str.maketrans({c: " " for c in ",.:;()/-*\\"})
_is_nfc = unicodedata.is_normalized
_normalize = unicodedata.normalize

# Vietnamese alphabet order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y;
# letters outside it (f, j, w, z, digits) sort after their nearest neighbours.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_CODE = {ch: f"{i + 10:02d}" for i, ch in enumerate(_ALPHABET)}
# Tone marks (combining) in dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
# Marks that make a distinct letter (ă â ê ô ơ ư) rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def nfc(text: str) -> str:
    return text if _is_nfc("NFC", text) else _normalize("NFC", text)


def drop_controls(text: str) -> str:
    """text without control characters (see _CONTROLS); nothing else changes."""
    if text.isprintable() or not _HAS_CONTROL(text):  # the cheap test first: most text is printable
        return text
    return text.translate(_DROP_CONTROLS)


def collapse_spaces(text: str) -> str:
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


def fold_case(text: str) -> str:
    """collapse_spaces() then case folding, diacritics kept: the key for case-insensitive
    comparisons ("Đắk" and "ĐẮK" match, "Dak" does not)."""
    return collapse_spaces(text).casefold()


def _diacritics_table() -> dict[int, str | None]:
    """Each precomposed Latin letter to its base letter; combining marks removed; đ to d."""
    table: dict[int, str | None] = {cp: None for cp in range(0x300, 0x370)}
    for cp in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        base = unicodedata.normalize("NFD", chr(cp))[0]
        if base != chr(cp) and base.isascii():
            table[cp] = base
    table[ord("đ")], table[ord("Đ")] = "d", "d"
    return table


_NO_DIACRITICS = _diacritics_table()


def fold_case_and_diacritics(text: str) -> str:
    """fold_case() then no diacritics, đ→d: the key a search typed without accents matches
    ("Đắk", "ĐẮK" and "dak" all give "dak")."""
    return without_diacritics(fold_case(text))


def without_diacritics(folded: str) -> str:
    """The diacritics of an already folded text removed, đ→d (fold_case_and_diacritics' last
    step, for a caller that holds the folded text already)."""
    return folded.translate(_NO_DIACRITICS)


def header_key(text: str) -> str:
    """Header comparison form: NFC, case folding, whitespace collapsed, `, . : ; ( ) / - *`
    dropped."""
    return " ".join(nfc(text).casefold().translate(_HEADER_PUNCT).split())


def cell_text(value: object) -> str:
    """Any cell value as display text ('' for empty), numbers without a useless '.0'."""
    if value is None:
        return ""
    if isinstance(value, str):
        return collapse_spaces(value)
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
    return type(value) is str and (not value.strip() or not collapse_spaces(value))


def _letters_and_tones(word: str) -> tuple[str, str]:
    letters, tones = [], []
    for ch in unicodedata.normalize("NFC", word.casefold()):
        base, tone = _split_letter(ch)
        if base is None:
            continue
        letters.append(_LETTER_CODE.get(base, "99" if base.isalpha() else "0" + base[:1]))
        tones.append(tone)
    return "".join(letters), "".join(tones)


def _split_letter(ch: str) -> tuple[str | None, str]:
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if not (base.isalnum()):
        return None, "0"
    tone = "0"
    kept = []
    for m in marks:
        if m in _TONES:
            tone = _TONES[m]
        elif m in _LETTER_MARKS:
            kept.append(m)
    letter = unicodedata.normalize("NFC", base + "".join(kept))
    if base.isdigit():
        return base, "0"
    return letter, tone


@functools.lru_cache(maxsize=65536)  # names share few words: Nguyễn, Văn, Thị, Y, A…
def _word_key(text: str) -> str:
    letters, tones = _letters_and_tones(text)
    # "00" closes the letters so that a prefix ("An") sorts before a longer name ("Anh").
    return letters + "00" + tones


def name_sort_key(full_name: str) -> str:
    """Digits-only key ordering names by tên, then họ đệm, in Vietnamese alphabet order.

    Digits sort the same under every database collation, so SQLite and PostgreSQL agree.
    """
    *family, given = collapse_spaces(full_name).split(" ")  # tên is the last word
    return "9".join([_word_key(given), *map(_word_key, family)] if given else [])
