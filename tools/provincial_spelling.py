"""The spelling of old units taken from a province's own catalogue, where the repo holds one.

The packages spell the former Kon Tum units "Huyện Đăk Hà", "Xã Pờ Y"; the provincial catalogue
(registry/refdata/kontum_units.json), which decisions, offices' files and the samples follow,
writes "Huyện Đắk Hà", "Xã Bờ Y". Its spelling wins for the units it has, except where the
package carries tone marks the catalogue lost on the same letters ("Rờ Kơi", not "Rơ Kơi"): a
missing mark is a typing loss, never a different name. The other spelling stays as an alias.
"""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from imports.unit_names import loose_key, name_words

ROOT = Path(__file__).resolve().parents[1]
# Old province code → its own catalogue in the repo.
CATALOGUES = {"62": ROOT / "registry" / "refdata" / "kontum_units.json"}
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_DISTRICT_TYPES = ("huyện", "thành phố", "thị xã", "quận")


def respell(province: dict) -> None:
    """Rename the old units of `province` (a generated old-province dict) in place."""
    path = CATALOGUES.get(province["code"])
    if path is None:
        return
    own = _catalogue(path)
    for district in province["districts"]:
        theirs = own.get(_key(district["name"]), {})
        _rename(district, theirs.get(None))
        _pair(district["communes"], {k: v for k, v in theirs.items() if k is not None})


def _catalogue(path: Path) -> dict[str, dict[str | None, dict]]:
    """District key → {None: the district, commune key: the commune}."""
    out: dict[str, dict[str | None, dict]] = {}
    for unit in json.loads(path.read_text("utf-8"))["units"]:
        if unit["type"] == "tỉnh":
            continue
        district = out.setdefault(_key(unit["district"]), {})
        district[None if unit["type"] in _DISTRICT_TYPES else _key(unit["name"])] = unit
    return out


def _pair(communes: list[dict], own: dict[str, dict]) -> None:
    """Communes by name; then a single pair left in the district whose names differ by one
    letter (a catalogue's typo on either side) is the same commune."""
    left = []
    for commune in communes:
        found = own.pop(_key(commune["name"]), None)
        if found is None:
            left.append(commune)
        else:
            _rename(commune, found)
    if len(left) == 1 and len(own) == 1:
        (found,) = own.values()
        if found["type"] == left[0]["type"] and _one_letter_apart(
                _key(found["name"]), _key(left[0]["name"])):
            _rename(left[0], found)


def _rename(unit: dict, own: dict | None) -> None:
    if own is None or own["name"] == unit["name"]:
        return
    source = unit["name"]
    if not _loses_tones(own["name"], source):
        unit["name"] = own["name"]
    other = own["name"] if unit["name"] == source else source
    unit["aliases"] = sorted({*unit.get("aliases", ()), other})


def _loses_tones(ours: str, theirs: str) -> bool:
    """Whether `ours` is `theirs` with some tone marks left out (letters otherwise equal)."""
    bare_ours, tones_ours = _split_tones(ours)
    bare_theirs, tones_theirs = _split_tones(theirs)
    return bare_ours == bare_theirs and tones_ours < tones_theirs


def _split_tones(name: str) -> tuple[str, int]:
    nfd = unicodedata.normalize("NFD", name.casefold())
    return "".join(ch for ch in nfd if ch not in _TONES), sum(ch in _TONES for ch in nfd)


def _key(name: str) -> str:
    return loose_key(name_words(name))


def _one_letter_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1
