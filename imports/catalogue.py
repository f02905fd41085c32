"""What an import is checked against: units and ethnicities with precomputed lookup keys, and how
many characters each field may have (pure; registry.importing.db_catalogue builds it from the
database)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from .text import fold_case
from .unit_names import dash_as_comma, loose_key, name_words

PROVINCE_KINDS = frozenset({"tỉnh"})
DISTRICT_KINDS = frozenset({"huyện", "thành phố", "thị xã", "quận"})
COMMUNE_KINDS = frozenset({"xã", "phường", "thị trấn"})
_UNIT_PREFIXES = ("thị trấn", "phường", "xã", "tt.", "tt", "x.", "p.")
_DISTRICT_PREFIXES = ("thành phố", "thị xã", "huyện", "quận", "tp.", "tp", "tx.", "h.")
_PROVINCE_PREFIXES = ("tỉnh",)
_SPELLING = {"đăk": "đắk", "ngọc": "ngọk"}  # Đăk ≡ Đắk, Ngọc ≡ Ngọk
# The kind a commune's name is written with ("Thị trấn Đắk Hà" is not "Xã Đắk Hà").
_KIND_PREFIXES = (("thị trấn", "thị trấn"), ("tt", "thị trấn"), ("phường", "phường"),
                  ("p.", "phường"), ("xã", "xã"), ("x.", "xã"))


@dataclass(frozen=True, slots=True)
class UnitRef:
    """One administrative unit: province, district or commune."""

    id: int | str
    name: str
    kind: str  # "tỉnh" | "huyện" | "thành phố" | "xã" | "phường" | "thị trấn"
    district: str | None  # canonical district name (a district's own name; None for the province)
    # The former structure (before 01-7-2025) stays in the catalogue so that old files still
    # read: an ended unit says which current units took it over and which of them is the default.
    current: bool = True
    successors: tuple[int | str, ...] = ()
    default: int | str | None = None
    root: int | str | None = None  # its province's id (None: the catalogue has one province)

    @property
    def level(self) -> str:
        """ "tỉnh" | "huyện" | "xã" from the kind (case-insensitive)."""
        kind = self.kind.strip().casefold()
        if kind in PROVINCE_KINDS:
            return "tỉnh"
        return "huyện" if kind in DISTRICT_KINDS else "xã"

    @property
    def is_commune(self) -> bool:
        return self.level == "xã"


@dataclass(frozen=True, slots=True)
class UnitMatch:
    """Result of a unit lookup: the unit, or why there is none ("unknown" | "outside" |
    "ambiguous")."""

    unit: UnitRef | None
    problem: str | None = None  # also "district_only": the text names no commune, only its district
    others: tuple[UnitRef, ...] = ()
    loose: bool = False   # understood, not written as the catalogue writes it ("hiểu là …")
    agency: bool = False  # the text names more than the unit: an agency, a workplace


def _strip_prefix(text: str, prefixes: Sequence[str]) -> str:
    for prefix in prefixes:
        if text.startswith(prefix):
            return text[len(prefix) :].lstrip()
    return text


def _key(text: str, prefixes: Sequence[str]) -> str:
    text = dash_as_comma(fold_case(text)).split(",", 1)[0].strip()
    text = _strip_prefix(text, prefixes)
    return " ".join(_SPELLING.get(word, word) for word in text.split())


def unit_key(text: str) -> str:
    """Commune comparison key: NFC, casefold, spaces, no `xã/X./phường/P./thị trấn/TT` prefix."""
    return _key(text, _UNIT_PREFIXES)


def district_key(text: str) -> str:
    return _key(text, _DISTRICT_PREFIXES)


def ethnicity_key(text: str) -> str:
    return fold_case(text).replace(" ", "").replace("-", "")


class Catalogue:
    """Units and ethnicities, indexed once for dict lookups, and how many characters the database
    stores for each field (the caller reads them from its columns: a migration that widens one
    widens the import's check with it)."""

    def __init__(
        self,
        units: Iterable[UnitRef],
        ethnicities: Iterable[tuple[str, Sequence[str]]],
        *,
        max_lengths: Mapping[str, int] | None = None,
    ) -> None:
        """max_lengths: field key -> most characters its value may have (too_long beyond); a
        field left out takes any length."""
        self.units: tuple[UnitRef, ...] = tuple(units)
        self.max_lengths: Mapping[str, int] = MappingProxyType(dict(max_lengths or {}))
        self.province: UnitRef | None = None
        self._by_id: dict[int | str, UnitRef] = {}
        self._districts: dict[str, UnitRef] = {}  # district key -> district
        self._district_names: dict[str, UnitRef] = {}  # canonical name -> district
        self._communes: dict[str, dict[str, UnitRef]] = {}  # district name -> commune key -> unit
        self._all_communes: dict[str, list[UnitRef]] = {}
        # (level, name without type word, case, diacritics, Đ/D and spaces) -> units
        self._loose: dict[tuple[str, str], list[UnitRef]] = {}
        self._ethnicities: dict[str, str] = {}
        for unit in self.units:
            self._add_unit(unit)
        for name, aliases in ethnicities:
            for alias in (name, *aliases):
                self._ethnicities.setdefault(ethnicity_key(alias), name)

    def _add_unit(self, unit: UnitRef) -> None:
        level = unit.level
        self._by_id[unit.id] = unit
        self._loose.setdefault((level, loose_key(name_words(unit.name))), []).append(unit)
        if level == "tỉnh":
            # Today's province, when the former ones are listed too.
            if self.province is None or unit.current or not self.province.current:
                self.province = unit
        elif level == "huyện":
            self._districts.setdefault(district_key(unit.name), unit)
            self._district_names[unit.name] = unit
        else:
            key = unit_key(unit.name)
            self._communes.setdefault(unit.district or "", {}).setdefault(key, unit)
            self._all_communes.setdefault(key, []).append(unit)

    @classmethod
    def from_json(
        cls,
        units_path: str | Path,
        ethnicities_path: str | Path,
        *,
        max_lengths: Mapping[str, int] | None = None,
    ) -> Catalogue:
        """Build from kontum_units.json / ethnicities.json (or a combined reference file)."""
        units_doc = json.loads(Path(units_path).read_text(encoding="utf-8"))
        eth_doc = json.loads(Path(ethnicities_path).read_text(encoding="utf-8"))
        raw_units = units_doc["units"] if isinstance(units_doc, dict) else units_doc
        raw_eth = eth_doc["ethnicities"] if isinstance(eth_doc, dict) else eth_doc
        units = [
            UnitRef(i, u["name"], u["type"], u.get("district")) for i, u in enumerate(raw_units, 1)
        ]
        ethnicities = [(e["name"], tuple(e.get("aliases") or ())) for e in raw_eth]
        return cls(units, ethnicities, max_lengths=max_lengths)

    def seen_from(self, uploader: UnitRef) -> Catalogue:
        """The catalogue as an upload of `uploader` reads it: "the province" (a province-level
        row, "Tỉnh ủy") is the uploader's own, a former one when the uploader is."""
        own = uploader if uploader.level == "tỉnh" else self._by_id.get(uploader.root)
        if own is None or own is self.province:
            return self
        view = copy.copy(self)
        view.province = own
        return view

    def lands_in(self, unit: UnitRef) -> UnitRef | None:
        """Where a row of `unit` lands today: the unit itself when current (or when nothing took
        it over, as a former district), else its default successor or its only one; None when
        it was divided with no default (successor_choices names them)."""
        if unit.current or not unit.successors:
            return unit
        ident = unit.default if unit.default is not None else (
            unit.successors[0] if len(unit.successors) == 1 else None)
        return self._by_id.get(ident) if ident is not None else None

    def successor_choices(self, unit: UnitRef) -> tuple[UnitRef, ...]:
        return tuple(u for i in unit.successors if (u := self._by_id.get(i)) is not None)

    # --- lookups -------------------------------------------------------------------------
    def district_named(self, name: str | None) -> UnitRef | None:
        return self._district_names.get(name) if name else None

    def find_district(self, text: str) -> UnitRef | None:
        return self._districts.get(district_key(text))

    def is_province(self, text: str) -> bool:
        return self.province is not None and _key(text, _PROVINCE_PREFIXES) == _key(
            self.province.name, _PROVINCE_PREFIXES
        )

    def find_ethnicity(self, text: str) -> str | None:
        return self._ethnicities.get(ethnicity_key(text))

    def find_unit(
        self, text: str, district: str | None, *, communes_only: bool = True
    ) -> UnitMatch:
        """Find a unit by the text of a cell.

        district: restrict to this district (canonical name); None searches the whole province,
        using a `, huyện X` suffix of the text when there is one.  communes_only=False also
        accepts the district itself (or the province, in a province-wide search).
        """
        key = unit_key(text)
        if not key:
            return UnitMatch(None, "unknown")
        hinted = self.suffix_district(text)
        if hinted is not None and district is not None and hinted.name != district:
            # "Xã X, huyện A" in B's list: the text itself says the unit is not B's.
            found = self._find_in_district(text, key, hinted.name, communes_only)
            return UnitMatch(None, "outside", (found.unit or hinted,))
        if hinted is not None:
            district = hinted.name
        if district is not None:
            return self._find_in_district(text, key, district, communes_only)
        found = current_first(self._all_communes.get(key, []))
        if len(found) > 1:  # a name in two districts: the kind written may tell them apart
            found = _of_kind_written(text, found)
        if len(found) == 1:
            return UnitMatch(found[0])
        if found:
            return UnitMatch(None, "ambiguous", tuple(found))
        if not communes_only:
            upper = self.find_district(text)
            if upper is not None:
                return UnitMatch(upper)
            if self.is_province(text):
                return UnitMatch(self.province)
        return UnitMatch(None, "unknown")

    def suffix_district(self, text: str) -> UnitRef | None:
        """The district named after a comma (or a dash) at the end: `Xã X, huyện A`."""
        if "," not in text and "-" not in text and "–" not in text and "—" not in text:
            return None
        folded = dash_as_comma(fold_case(text))
        return self.find_district(folded.split(",", 1)[1]) if "," in folded else None

    def loose_units(self, level: str, words: Sequence[str]) -> list[UnitRef]:
        """Units of a level whose name is these words, once case, diacritics, Đ/D, apostrophes
        and spaces are ignored (unit_names.loose_key)."""
        return self._loose.get((level, loose_key(words)), []) if words else []

    def _find_in_district(
        self, text: str, key: str, district: str, communes_only: bool
    ) -> UnitMatch:
        unit = self._communes.get(district, {}).get(key)
        if unit is not None:
            return UnitMatch(unit)
        upper = self.find_district(text)
        if upper is not None and not communes_only and upper.name == district:
            return UnitMatch(upper)
        # Read in a district, the name is first the former tree's: "thuộc Huyện Sa Thầy".
        others = tuple(sorted(self._all_communes.get(key, ()), key=lambda u: u.district is None))
        if not others and upper is not None and upper.name != district:
            others = (upper,)
        return UnitMatch(None, "outside" if others else "unknown", others)


def current_first(units: list[UnitRef]) -> list[UnitRef]:
    """Today's units among `units` when there are any: without a district to say otherwise, a
    name means today's unit ("Xã Đăk Hà"), a former one only when no current unit has it."""
    if len(units) < 2 or all(u.current for u in units):
        return units
    return [u for u in units if u.current] or units


def _of_kind_written(text: str, units: list[UnitRef]) -> list[UnitRef]:
    """The units of the kind the text starts with, when exactly one is; else all of them."""
    folded = fold_case(text)
    kind = next((kind for prefix, kind in _KIND_PREFIXES if folded.startswith(prefix)), None)
    same = [u for u in units if u.kind.strip().casefold() == kind]
    return same if len(same) == 1 else units
