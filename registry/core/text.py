"""Vietnamese text keys: diacritic-free search keys and alphabet-order sort keys."""
from __future__ import annotations

import functools
import unicodedata

# Vietnamese alphabet order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y;
# letters outside it (f, j, w, z, digits) sort after their nearest neighbours.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_CODE = {ch: f"{i + 10:02d}" for i, ch in enumerate(_ALPHABET)}
# Tone marks (combining) in dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
# Marks that make a distinct letter (ă â ê ô ơ ư) rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def clean_spaces(text: str) -> str:
    """NFC, every run of whitespace (NBSP, line breaks) to one space, trimmed."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


def _fold_table() -> dict[int, str | None]:
    """Each precomposed Latin letter to its base letter; combining marks removed; đ to d."""
    table: dict[int, str | None] = {cp: None for cp in range(0x300, 0x370)}
    for cp in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        base = unicodedata.normalize("NFD", chr(cp))[0]
        if base != chr(cp) and base.isascii():
            table[cp] = base
    table[ord("đ")], table[ord("Đ")] = "d", "d"
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower case, no diacritics, đ→d: the key a search typed without accents matches."""
    return clean_spaces(text).casefold().translate(_FOLD)


def casefold_nfc(text: str) -> str:
    return clean_spaces(text).casefold()


def split_name(full_name: str) -> tuple[str, str]:
    """Return (họ đệm, tên): the given name is the last word."""
    parts = clean_spaces(full_name).split(" ")
    return " ".join(parts[:-1]), parts[-1]


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


def sort_key(full_name: str) -> str:
    """Digits-only key ordering by tên, then họ đệm, in Vietnamese alphabet order.

    Digits sort the same under every database collation, so SQLite and PostgreSQL agree.
    """
    family, given = split_name(full_name)
    words = [given] + family.split(" ")
    return "9".join(_word_key(w) for w in words if w)
