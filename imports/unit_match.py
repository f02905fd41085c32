"""A unit cell as offices write it: the catalogue's name as written first, then the unit the text
names however it is typed ("Xã Ia Dal", "Huyện ủy Đắk Glei", "Phòng Văn hóa - Thông tin huyện
Đắk Hà"). Only a single unit in the uploader's scope is taken; never a guess between two."""
from __future__ import annotations

from collections.abc import Iterable

from .catalogue import Catalogue, UnitMatch, UnitRef, current_first
from .unit_names import MAX_NAME_WORDS, Mention, Reading, read

_LEVELS = ("xã", "huyện", "tỉnh")
_UNNAMED = frozenset({("tinh",), ("huyen",)})  # "UBND tỉnh", "… cấp huyện" at the end


def find_unit(cat: Catalogue, text: str, district: str | None, *,
              communes_only: bool = True) -> UnitMatch:
    """Catalogue.find_unit, and when the text is no unit's name as written, the unit it names.

    district: the district the unit must be in (the uploader's, or the file's district column).
    """
    exact = cat.find_unit(text, district, communes_only=communes_only)
    if exact.problem != "unknown":
        return exact
    understood = understand(cat, read(text), district or _hint(cat, text), communes_only)
    return understood if understood.problem != "unknown" else exact


def _hint(cat: Catalogue, text: str) -> str | None:
    hinted = cat.suffix_district(text)
    return hinted.name if hinted else None


def understand(cat: Catalogue, reading: Reading, district: str | None,
               communes_only: bool) -> UnitMatch:
    """The one unit in `district` (None: the province) the mentions of a text name: a commune
    before its district, the district before the province. Every match is `loose`; `agency`
    when the text says more than a unit's name."""
    picks, covered = _picks(cat, reading, district)
    agency = covered < len(reading.words) or any(m.connector for m in reading.mentions)
    communes = picks.get("xã", [])
    hint = picks.get("huyện", [])
    if communes:
        if len(hint) == 1:  # the text's own district settles a name found in two districts
            communes = [u for u in communes if u.district == hint[0].name] or communes
        return _in_scope(communes, district, agency)
    upper = current_first(hint or picks.get("tỉnh", []))
    if len(upper) != 1:
        return UnitMatch(None, "ambiguous" if upper else "unknown", tuple(upper), True, agency)
    if communes_only:
        return UnitMatch(None, "district_only", tuple(upper), True, agency)
    if district is not None and upper[0].name != district:
        return UnitMatch(None, "outside", tuple(upper), True, agency)
    return UnitMatch(upper[0], None, (), True, agency)


def _in_scope(units: list[UnitRef], district: str | None, agency: bool) -> UnitMatch:
    inside = [u for u in units if u.district == district] if district else current_first(units)
    if len(inside) == 1:
        return UnitMatch(inside[0], None, (), True, agency)
    if inside:
        return UnitMatch(None, "ambiguous", tuple(inside), True, agency)
    return UnitMatch(None, "outside", tuple(units), True, agency)


def _picks(cat: Catalogue, reading: Reading, district: str | None, implicit: bool = True
           ) -> tuple[dict[str, list[UnitRef]], int]:
    """level -> the units of the first mention of that level that names any; and how many words
    the mentions took (all of them: the text is only a unit's name). implicit: a name written
    without its type word counts too."""
    words, picks, covered, taken = reading.words, {}, 0, 0
    for mention in reading.mentions:
        if mention.start < taken or mention.level in picks:
            continue
        units, size = _named(cat, words, mention, district)
        if units:
            picks[mention.level] = units
            taken = mention.name_start + size
            covered += taken - mention.start
    first = reading.mentions[0].start if reading.mentions else len(words)
    # A name written without its type word: "Ia Dal, huyện Ia H'Drai".
    for level in _LEVELS if implicit else ():
        if level not in picks and (found := cat.loose_units(level, words[:first])):
            picks[level] = found
            covered += first
            break
    return picks, covered


def _named(cat: Catalogue, words: tuple[str, ...], mention: Mention, district: str | None
           ) -> tuple[list[UnitRef], int]:
    """The units the longest run of words after the mention names, and that run's length."""
    start = mention.name_start
    for size in range(min(MAX_NAME_WORDS, len(words) - start), 0, -1):
        found = cat.loose_units(mention.level, words[start : start + size])
        if len(found) > 1:  # among units in scope, "Thị trấn Dak Ha" is not "Xã Đắk Hà"
            inside = [u for u in found if district is None or u.district == district]
            same = [u for u in inside if u.kind.strip().casefold() == mention.kind]
            found = same if len(same) == 1 and len(inside) > 1 else found
        if found:
            return found, size
    ends = start == len(words)
    if mention.connector or (ends and mention.type_words in _UNNAMED):
        # "Ban Tuyên giáo Tỉnh ủy", "Huyện ủy": the province, or the district of the list.
        one = cat.province if mention.level == "tỉnh" else (
            cat.district_named(district) if mention.level == "huyện" else None)
        return ([one], 0) if one is not None else ([], 0)
    return [], 0


def in_scope(unit: UnitRef, uploader: UnitRef) -> bool:
    """The unit is the uploader's own or under it, or a former unit that it took over."""
    if uploader.level == "tỉnh" or unit.id == uploader.id or uploader.id in unit.successors:
        return True
    return uploader.level == "huyện" and unit.district == uploader.name


def above(unit: UnitRef, uploader: UnitRef) -> bool:
    """The unit contains the uploader (the province, a commune's district)."""
    return unit.level == "tỉnh" or (unit.level == "huyện" and uploader.district == unit.name)


def former_district_in(cat: Catalogue, lines: Iterable[str]) -> UnitRef | None:
    """The one former district (ended) a sheet's title names after its type word ("DANH SÁCH
    TUYÊN TRUYỀN VIÊN HUYỆN ĐẮK HÀ"): a list of the former structure."""
    found = {
        unit.id: unit
        for line in lines
        for unit in _picks(cat, read(line), None, implicit=False)[0].get("huyện", ())
        if not unit.current
    }
    return next(iter(found.values())) if len(found) == 1 else None


def foreign_title_unit(cat: Catalogue, lines: Iterable[str], uploader: UnitRef
                       ) -> tuple[UnitRef, str] | None:
    """The unit a sheet's title names ("HUYỆN ỦY SA THẦY"), with its line, when it is neither
    the uploader's, under it nor above it, and the title names none of the uploader's units.
    Only names written after their type word count: a bare "Kon Tum" may be a place."""
    foreign = None
    for line in lines:
        picks, _ = _picks(cat, read(line), None, implicit=False)
        for units in picks.values():
            if any(in_scope(unit, uploader) for unit in units):
                return None
            if foreign is None and not any(above(unit, uploader) for unit in units):
                foreign = (units[0], line)
    return foreign
