"""Legacy Vietnamese 8-bit encodings as Excel stores them: TCVN3 (ABC, `.VnTime`) and VNI Windows.

Excel keeps each legacy byte as the Latin-1 code point of that byte, so decoding works on `str`.
Detection is per workbook, from the font names and from character statistics of the text.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

UNICODE, TCVN3, VNI = "unicode", "tcvn3", "vni"

# TCVN 5712:1993 VN3: seven capitals, the rest lower case (all-caps fonts reuse the lower-case
# codes).
_TCVN3_LETTERS = "ĂÂÊÔƠƯĐăâêôơưđàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
_TCVN3_CODES = (
    list(range(0xA1, 0xAF))
    + list(range(0xB5, 0xBA))
    + list(range(0xBB, 0xBF))
    + list(range(0xC6, 0xCD))
    + [0xCE, 0xCF, 0xD0, 0xD1]
    + list(range(0xD2, 0xD7))
    + [0xD7, 0xD8, 0xDC, 0xDD, 0xDE]
    + [0xDF, 0xE1, 0xE2, 0xE3, 0xE4]
    + list(range(0xE5, 0xEA))
    + list(range(0xEA, 0xEF))
    + [0xEF, 0xF1, 0xF2, 0xF3, 0xF4]
    + list(range(0xF5, 0xFA))
    + list(range(0xFA, 0xFF))
)
assert len(_TCVN3_CODES) == len(_TCVN3_LETTERS) == len(set(_TCVN3_CODES))
_TCVN3_TABLE = {code: letter for code, letter in zip(_TCVN3_CODES, _TCVN3_LETTERS, strict=True)}

# VNI Windows: base letter followed by a mark byte; a few letters are single bytes.
_TONES = {"": "", "\u0300": "ø", "\u0301": "ù", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_HAT = {"": "â", "\u0300": "à", "\u0301": "á", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_BREVE = {"": "ê", "\u0300": "è", "\u0301": "é", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_I_TONES = {"\u0300": "ì", "\u0301": "í", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def _vni_of(base: str, shape: str, tone: str) -> str:
    if base == "i" and tone:
        return _I_TONES[tone]
    if base == "y" and tone == "\u0323":
        return "î"
    if shape == "\u031b":
        return {"o": "ô", "u": "ö"}[base] + _TONES[tone]
    if shape == "\u0302":
        return base + _HAT[tone]
    if shape == "\u0306":
        return base + _BREVE[tone]
    return base + _TONES[tone]


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {"ñ": "đ", "Ñ": "Đ"}
    shapes = {
        "a": ("", "\u0302", "\u0306"),
        "e": ("", "\u0302"),
        "o": ("", "\u0302", "\u031b"),
        "u": ("", "\u031b"),
        "i": ("",),
        "y": ("",),
    }
    for base, base_shapes in shapes.items():
        for shape in base_shapes:
            for tone in _TONES:
                if not shape and not tone:
                    continue
                letter = unicodedata.normalize("NFC", base + shape + tone)
                code = _vni_of(base, shape, tone)
                table[code] = letter
                table[code.upper()] = letter.upper()
                table[code[0].upper() + code[1:]] = letter.upper()  # capital base, lower-case mark
    return table


_VNI_TABLE = _vni_table()
_VNI_RE = re.compile("|".join(sorted(map(re.escape, _VNI_TABLE), key=len, reverse=True)))


def decode_tcvn3(text: str, caps: bool = False) -> str:
    """TCVN3 text (bytes stored as Latin-1 code points) to Unicode; caps=True for `.VnTimeH`
    cells."""
    if text.isascii():
        return text.upper() if caps else text
    if any(ord(ch) > 0xFF for ch in text):  # already Unicode
        return text
    out = text.translate(_TCVN3_TABLE)
    return out.upper() if caps else out


def decode_vni(text: str) -> str:
    if text.isascii() or any(ord(ch) > 0xFF for ch in text):
        return text
    return _VNI_RE.sub(lambda m: _VNI_TABLE[m.group()], text)


def decoder_for(encoding: str) -> Callable[[str], str] | None:
    return {TCVN3: decode_tcvn3, VNI: decode_vni}.get(encoding)


# --- detection -------------------------------------------------------------------------------
_VIET_LATIN1 = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_TCVN3_ONLY = {chr(c) for c in range(0xA1, 0xC0)}  # never produced by VNI or Unicode letters
_VNI_PAIR = re.compile("[AaEeIiOoUuYyÔôÖö][øûïåäëüØÛÏÅÄËÜ]")


def _is_unicode_viet(ch: str) -> bool:
    code = ord(ch)
    return 0x0102 <= code <= 0x01B0 or 0x1EA0 <= code <= 0x1EF9 or 0x0300 <= code <= 0x0323


def font_hint(font_names: Iterable[str]) -> str | None:
    """TCVN3 for `.VnTime`-style fonts, VNI for `VNI-…` fonts, else None."""
    names = [name.strip().casefold() for name in font_names]
    if any(name.startswith(".vn") for name in names):
        return TCVN3
    if any(name.startswith("vni") for name in names):
        return VNI
    return None


def is_caps_font(name: str) -> bool:
    """ABC all-caps fonts: `.VnTimeH`, `.VnArialH`… (a `.Vn` name ending in H)."""
    name = name.strip()
    return name.casefold().startswith(".vn") and name.endswith("H")


def detect_encoding(texts: Iterable[str], fonts: Iterable[str] = ()) -> str:
    """Pick the workbook encoding from character statistics, with the font names as a hint."""
    unicode_hits = tcvn3_hits = vni_hits = legacy_hits = 0
    for text in texts:
        if text.isascii():
            continue
        if unicode_hits > 400 and unicode_hits > 20 * (tcvn3_hits + vni_hits + legacy_hits):
            break
        for ch in text:
            if ch in _TCVN3_ONLY:
                tcvn3_hits += 1
            elif ord(ch) >= 0xC0 and ord(ch) <= 0xFF and ch not in _VIET_LATIN1:
                legacy_hits += 1
            elif ord(ch) > 0xFF and _is_unicode_viet(ch):
                unicode_hits += 1
        vni_hits += len(_VNI_PAIR.findall(text))
    hint = font_hint(fonts)
    needed = 1 if hint == TCVN3 else 3
    if tcvn3_hits >= needed and tcvn3_hits + legacy_hits > unicode_hits:
        return TCVN3
    needed = 1 if hint == VNI else 3
    if tcvn3_hits == 0 and vni_hits >= needed and vni_hits + legacy_hits > unicode_hits:
        return VNI
    return UNICODE
