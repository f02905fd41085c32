"""Generate registry/refdata/units/*.json, the units before and after the 2025 reorganisation.

Run `.venv/bin/python -m tools.gen_units [OUT_DIR]` with the dev requirements installed. Sources:

- vietnam-provinces: the 34 provinces and 3,321 commune-level units since 01-7-2025 (names, GSO
  codes, types). It is the authority for the current tree because it is read from the GSO list.
- vietnamadminunits: `data/parser_legacy.json` (the 63 provinces, their districts and communes
  until 30-6-2025, with accents and old GSO codes) and `data/converter_2025.json` (each new
  commune's predecessors; communes divided among several successors, the default one marked).

Only the packages' data files are read: importing vietnamadminunits itself pulls in its geo
dependencies (shapely, geopy), which the app must never need. The output is sorted by code and
written with sorted keys, so a regeneration from the same versions is byte-identical except for
`source.generated`.
"""
from __future__ import annotations

import datetime as dt
import importlib.metadata
import importlib.util
import json
import math
import sys
import unicodedata
from pathlib import Path

from vietnam_provinces import Province, Ward, __data_version__

from tools.provincial_spelling import respell

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "registry" / "refdata" / "units"
VALID_FROM, VALID_TO = "2025-07-01", "2025-06-30"
PACKAGES = ("vietnam-provinces", "vietnamadminunits")
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_PUNCT = str.maketrans({"’": "'", "‘": "'", "`": "'", "–": "-", "—": "-"})


def spelling_key(name: str) -> str:
    """Two spellings of one name compare equal: spaces, apostrophes, dashes, case and the
    old/new tone placement ("Hoà"/"Hòa") differ between the two packages, letters do not."""
    words = []
    for word in " ".join(name.translate(_PUNCT).split()).casefold().split():
        nfd = unicodedata.normalize("NFD", word)
        tones = "".join(ch for ch in nfd if ch in _TONES)
        base = "".join(ch for ch in nfd if ch not in _TONES)
        words.append(unicodedata.normalize("NFC", base) + tones)
    return " ".join(words)


def clean(name: str) -> str:
    """The source name with doubled spaces closed (vietnam-provinces has "Xã  Phú Hữu")."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def _data_dir() -> Path:
    # find_spec locates the package without running its __init__ (which imports shapely).
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("vietnamadminunits is not installed: pip install -r requirements-dev.txt")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def load_sources() -> dict:
    """The three JSON files of vietnamadminunits, keyed by their stem."""
    data = _data_dir()
    return {stem: json.loads((data / f"{stem}.json").read_text("utf-8"))
            for stem in ("converter_2025", "parser_legacy", "parser_from_2025")}


def source_note(today: dt.date) -> dict:
    return {
        "packages": {name: importlib.metadata.version(name) for name in PACKAGES},
        "vietnam_provinces_data_date": __data_version__,
        "files": ["vietnamadminunits/data/converter_2025.json",
                  "vietnamadminunits/data/parser_legacy.json",
                  "vietnamadminunits/data/parser_from_2025.json",
                  # The old Kon Tum units' spelling (tools/provincial_spelling.py).
                  "registry/refdata/kontum_units.json"],
        "generated": today.isoformat(),
        "generator": "tools/gen_units.py",
    }


def _code(value: object, width: int) -> str:
    return str(int(value)).zfill(width)


def province_name(province: Province) -> str:
    # vietnam-provinces names a tỉnh without its type ("Quảng Ngãi") but a city with it.
    name = clean(province.name)
    return name if province.division_type.value != "tỉnh" else f"Tỉnh {name}"


class NewUnits:
    """The current commune-level units of one province, found by either package's spelling."""

    def __init__(self, province: Province, src: dict) -> None:
        self.province = province
        self.units = {_code(w.code, 5): {"name": clean(w.name), "code": _code(w.code, 5),
                                         "type": w.division_type.value, "aliases": []}
                      for w in Ward.iter_by_province(province.code)}
        self.by_key = {spelling_key(u["name"]): u for u in self.units.values()}
        self.by_short = {spelling_key(u["name"].split(" ", 1)[1]): u for u in self.units.values()}
        pkey = next(k for k, v in src["parser_from_2025"]["DICT_PROVINCE"].items()
                    if int(v["provinceCode"]) == int(province.code))
        self.source_key = pkey
        self.entries = {**src["parser_from_2025"]["DICT_PROVINCE_WARD_NO_ACCENTED"][pkey],
                        **src["parser_from_2025"]["DICT_PROVINCE_WARD_ACCENTED"].get(pkey, {})}

    def code_of(self, ward_key: str) -> str:
        """The GSO code of a converter ward key. The two packages disagree on about a hundred
        codes, so the match is by name, the code only as the last resort."""
        entry = self.entries[ward_key]
        name = entry["ward"]
        unit = (self.by_key.get(spelling_key(name))
                or self.by_short.get(spelling_key(name.split(" ", 1)[1]))
                or self.units.get(_code(entry["wardCode"], 5)))
        if unit is None:
            raise SystemExit(f"no current unit for {self.source_key}/{ward_key} «{name}»")
        if clean(name) != unit["name"] and clean(name) not in unit["aliases"]:
            unit["aliases"].append(clean(name))
        return unit["code"]


def successor_links(src: dict, new_pkey: str, new: NewUnits) -> dict[str, list[dict]]:
    """Old key (`tinhkontum_huyendakha_xadakhring`; an island district without communes ends in
    `_`) → its successors, each `{"code", "default"}`; a whole commune has one, the default."""
    conv = src["converter_2025"]
    links: dict[str, list[dict]] = {}
    for ward_key, olds in conv["DICT_PROVINCE_WARD_NO_DIVIDED"][new_pkey].items():
        for old in olds:
            links.setdefault(old, []).append({"code": new.code_of(ward_key), "default": True})
    for old, parts in conv["DICT_PROVINCE_WARD_DIVIDED"].get(new_pkey, {}).items():
        links.setdefault(old, []).extend(
            {"code": new.code_of(p["newWardKey"]), "default": bool(p["isDefaultNewWard"])}
            for p in parts)
    for old, succ in links.items():
        if sum(s["default"] for s in succ) != 1:
            raise SystemExit(f"{old}: {len(succ)} successors, not exactly one default")
        succ.sort(key=lambda s: s["code"])
    return links


def _is_blank(value: object) -> bool:
    # parser_legacy.json stores an island district's missing commune as NaN.
    return isinstance(value, float) and math.isnan(value)


def old_communes(legacy: dict, pkey: str, dkey: str, links: dict) -> list[dict]:
    wards = {**legacy["DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED"].get(pkey, {}).get(dkey, {}),
             **legacy["DICT_PROVINCE_DISTRICT_WARD_ACCENTED"].get(pkey, {}).get(dkey, {})}
    communes = []
    for wkey, w in wards.items():
        if _is_blank(w["ward"]):
            continue
        old = f"{pkey}_{dkey}_{wkey}"
        if old not in links:
            raise SystemExit(f"{old} has no successor")
        communes.append({"name": clean(w["ward"]), "code": _code(w["wardCode"], 5),
                         "type": w["wardType"].lower(), "successors": links.pop(old)})
    return sorted(communes, key=lambda c: c["code"])


def old_province(legacy: dict, pkey: str, links: dict) -> dict:
    """One pre-2025 province: its districts and their communes, each commune's successors; a
    district without communes (Lý Sơn, Côn Đảo…) carries the successors itself."""
    head = legacy["DICT_PROVINCE"][pkey]
    name = clean(head["province"])
    districts = []
    for dkey, d in legacy["DICT_PROVINCE_DISTRICT"][pkey].items():
        district = {"name": clean(d["district"]), "code": _code(d["districtCode"], 3),
                    "type": d["districtType"].lower(),
                    "communes": old_communes(legacy, pkey, dkey, links), "successors": []}
        district["successors"] = links.pop(f"{pkey}_{dkey}_", [])
        if not district["communes"] and not district["successors"]:
            raise SystemExit(f"{pkey}_{dkey}: neither communes nor successors")
        districts.append(district)
    return {"name": name, "code": _code(head["provinceCode"], 2),
            "type": "thành phố trung ương" if name.startswith("Thành phố ") else "tỉnh",
            "valid_to": VALID_TO, "districts": sorted(districts, key=lambda d: d["code"])}


def province_document(province: Province, src: dict, source: dict) -> dict:
    """Everything about one current province: its units since 01-7-2025 and its history."""
    new = NewUnits(province, src)
    new_pkey = new.source_key
    links = successor_links(src, new_pkey, new)
    orphans = set(new.units) - {s["code"] for succ in links.values() for s in succ}
    if orphans:
        raise SystemExit(f"current units without a predecessor: {sorted(orphans)}")
    former = [old_province(src["parser_legacy"], pkey, links)
              for pkey in src["converter_2025"]["DICT_PROVINCE"][new_pkey]]
    for old in former:
        respell(old)
    if links:
        raise SystemExit(f"successor links to no old unit: {sorted(links)[:5]}")
    units = sorted(new.units.values(), key=lambda u: u["code"])
    for unit in units:
        if unit["aliases"]:
            unit["aliases"].sort()
        else:
            del unit["aliases"]
    return {"source": source,
            "province": {"name": province_name(province), "code": _code(province.code, 2),
                         "type": province.division_type.value, "valid_from": VALID_FROM,
                         "units": units},
            "former": sorted(former, key=lambda p: p["code"])}


def file_name(province: Province) -> str:
    return f"{province.codename}.json"


def dump(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def generate(out: Path, today: dt.date | None = None) -> list[Path]:
    """Write one file per current province into `out`; return their paths."""
    src = load_sources()
    source = source_note(today or dt.date.today())
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for province in sorted(Province.iter_all(), key=lambda p: int(p.code)):
        path = out / file_name(province)
        path.write_text(dump(province_document(province, src, source)), "utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    paths = generate(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} files, {size:,} bytes in {paths[0].parent}")
