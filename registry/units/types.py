"""The catalogue's type words (xã, phường, thị trấn, đặc khu, huyện, thành phố, tỉnh…): a unit's
type is the word the user gives, else the word its name starts with, never a neighbour's (a new
"Xã Đăk Hà" merged from a thị trấn and two xã is a xã)."""
from __future__ import annotations

from models import UnitKind
from registry.units.catalogue2025 import KIND_OF_TYPE

# For a select, top down; the village words are below the communes' ones.
VILLAGE_TYPES = {"thôn": UnitKind.THON, "tổ dân phố": UnitKind.THON}
TYPE_WORDS = [*KIND_OF_TYPE, *VILLAGE_TYPES]
_LONGEST_FIRST = sorted(TYPE_WORDS, key=len, reverse=True)


def type_choices() -> list[tuple[str, str]]:
    return [(word, word) for word in TYPE_WORDS]


def type_in_name(name: str) -> str | None:
    """The type word `name` starts with ("Thị trấn Đắk Hà" -> "thị trấn"), if any."""
    low = " ".join(name.split()).casefold()
    return next((w for w in _LONGEST_FIRST if low.startswith(w + " ")), None)


def unit_type(name: str, given: str | None) -> str | None:
    """The type of a new unit: the word the user chose, else the one its name starts with."""
    return given or type_in_name(name)


def kind_of(type_word: str | None) -> UnitKind | None:
    return KIND_OF_TYPE.get(type_word or "") or VILLAGE_TYPES.get(type_word or "")
