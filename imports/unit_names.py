"""Unit names as offices write them (pure): the units a text mentions ("Phòng Văn hóa - Thông tin
huyện Đắk Hà", "Huyện ủy Đắk Glei", "Xã Ia Dom – huyện Ia H'Drai"), read word by word with
diacritics ignored, so that the catalogue can look each name up however it was typed."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .text import fold_case_and_diacritics

# Words that say which level the following name is, in their diacritics-free form (abbreviations
# are kept: offices write "TT.", "TP.", "X.", "P."). Longest first, so "thi xa" beats "xa".
_TYPE_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("thanh", "pho"), "huyện"), (("thi", "xa"), "huyện"), (("thi", "tran"), "xã"),
    (("thanh", "uy"), "huyện"), (("thanh", "doan"), "huyện"), (("thi", "uy"), "huyện"),
    (("huyen",), "huyện"), (("quan",), "huyện"), (("tp",), "huyện"), (("tx",), "huyện"),
    (("h",), "huyện"), (("tinh",), "tỉnh"), (("xa",), "xã"), (("phuong",), "xã"), (("tt",), "xã"),
    (("x",), "xã"), (("p",), "xã"),
)
# The commune kind a type word writes: it tells "Thị trấn Đắk Hà" from "Xã Đắk Hà".
_KINDS = {("thi", "tran"): "thị trấn", ("tt",): "thị trấn", ("xa",): "xã", ("x",): "xã",
          ("phuong",): "phường", ("p",): "phường"}
# Words between the level and the name in an agency's name: "Huyện ủy X", "Tỉnh đoàn X".
_CONNECTORS = frozenset({"uy", "doan"})
_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _entry in _TYPE_WORDS:
    _BY_FIRST.setdefault(_entry[0][0], []).append(_entry)
_SPELLING = {"ngoc": "ngok"}  # Ngọc ≡ Ngọk (Đăk ≡ Đắk holds already without diacritics)
_SPLIT = re.compile(r"[\s,.;:()/\\\-–—_]+")
_APOSTROPHES = str.maketrans("", "", "'’‘`´")
# A dash written where a comma belongs: "Xã Ia Dom – huyện Ia H'Drai" (en/em dash, or a hyphen
# between spaces) before a district's or the province's name.
# (The dash comes first in the pattern: a leading \s* would be tried at every position.)
_DASH_SUFFIX = re.compile(
    r"(?:[–—]|(?<=\s)-)\s*(?=(?:huyện|thành phố|thị xã|quận|tỉnh|tp\.?|tx\.?|h\.)\s)"
)
MAX_NAME_WORDS = 5


def dash_as_comma(folded: str) -> str:
    """A folded text with a district's dash suffix written as a comma."""
    if "-" not in folded and "–" not in folded and "—" not in folded:
        return folded
    return _DASH_SUFFIX.sub(",", folded)


def loose_key(words: list[str] | tuple[str, ...]) -> str:
    """Key of a name's words once case, diacritics, Đ/D, apostrophes and spaces are ignored."""
    return "".join(_SPELLING.get(word, word) for word in words)


def name_words(name: str) -> list[str]:
    """A unit's own name without its type word, as loose words ("Xã Ia Đal" -> ["ia", "dal"])."""
    words = _words(name)
    for type_words, _level in _TYPE_WORDS:
        if tuple(words[: len(type_words)]) == type_words and len(words) > len(type_words):
            return words[len(type_words) :]
    return words


def _words(text: str) -> list[str]:
    folded = fold_case_and_diacritics(text).translate(_APOSTROPHES)
    return [word for word in _SPLIT.split(folded) if word]


@dataclass(frozen=True, slots=True)
class Mention:
    """A level word and the words after it: the catalogue decides how many of them are a name."""

    level: str                  # "tỉnh" | "huyện" | "xã"
    type_words: tuple[str, ...]
    start: int                  # first word of the mention (its type word)
    name_start: int             # first word after the type word and connectors
    connector: bool             # "ủy"/"đoàn" came between: the text names an agency

    @property
    def kind(self) -> str | None:
        """The commune kind written ("thị trấn", "xã", "phường"), if any."""
        return _KINDS.get(self.type_words)


@dataclass(frozen=True, slots=True)
class Reading:
    """A text cut into loose words and the mentions of a level in it."""

    words: tuple[str, ...]
    mentions: tuple[Mention, ...]


def read(text: str) -> Reading:
    """The text's loose words and every level word in it (a name may follow each)."""
    words = _words(text)
    mentions = []
    i = 0
    while i < len(words):
        found = _type_word_at(words, i)
        if found is None:
            i += 1
            continue
        size, level = found
        j = i + size
        connector = words[j - 1] in _CONNECTORS  # "Thành ủy X" is an agency too
        while j < len(words) and words[j] in _CONNECTORS:
            j, connector = j + 1, True
        mentions.append(Mention(level, tuple(words[i : i + size]), i, j, connector))
        i = j
    return Reading(tuple(words), tuple(mentions))


def _type_word_at(words: list[str], i: int) -> tuple[int, str] | None:
    for type_words, level in _BY_FIRST.get(words[i], ()):
        if len(type_words) == 1 or tuple(words[i : i + len(type_words)]) == type_words:
            return len(type_words), level
    return None
