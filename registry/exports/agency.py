"""How a unit signs its documents: the agency block on the left, "ĐẢNG CỘNG SẢN VIỆT NAM" and
the place-and-date line on the right, and the signature titles. The wording lives here only."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models import Unit, UnitKind
from registry.core.reform2025 import DISTRICTS_ABOLISHED
from registry.units.asof import parent_on, unit_on

PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
# The catalogue's type words, longest first, as they start a unit's name.
_PREFIXES = ("thành phố", "thị trấn", "đặc khu", "thị xã", "phường", "huyện", "tỉnh", "quận",
             "xã")
# The Party committee of a unit of each type ("Huyện Đắk Hà" -> "Huyện ủy Đắk Hà").
_COMMITTEE = {"tỉnh": "Tỉnh ủy", "huyện": "Huyện ủy", "thành phố": "Thành ủy", "thị xã": "Thị ủy",
              "quận": "Quận ủy", "xã": "Đảng ủy xã", "phường": "Đảng ủy phường",
              "thị trấn": "Đảng ủy thị trấn", "đặc khu": "Đảng ủy đặc khu"}
# The provincial Ban Tuyên giáo took in the Ban Dân vận in 2025 (Kết luận 121-KL/TW): each
# province on its own day in the spring. Where this table does not know a province's day,
# the day the new provinces began is taken: no document of the old provinces carries the new
# name, and every one of the new provinces does.
_PROPAGANDA_MERGED: dict[str, dt.date] = {}
_PROPAGANDA_BODY = ("Ban Tuyên giáo Tỉnh ủy", "Ban Tuyên giáo và Dân vận Tỉnh ủy")


@dataclass(frozen=True)
class Agency:
    upper: str      # the Party organisation above: "ĐẢNG BỘ TỈNH KON TUM"
    body: str       # the issuing body: "BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY", "HUYỆN ỦY ĐẮK HÀ"
    place: str      # where it signs: "Kon Tum", "Đắk Hà"
    signer: str     # the signature title on the right: "TRƯỞNG BAN", "T/M BAN THƯỜNG VỤ"

    def date_line(self, day: dt.date) -> str:
        return place_date(self.place, day)


def split_type(name: str) -> tuple[str, str]:
    """("huyện", "Đắk Hà") for "Huyện Đắk Hà"; ("", name) when no type word starts it."""
    low = name.casefold()
    for prefix in _PREFIXES:
        if low.startswith(prefix + " "):
            return prefix, name[len(prefix) + 1:].strip()
    return "", name


def short_name(unit: Unit) -> str:
    return split_type(unit.name)[1]


def committee(unit: Unit) -> str:
    """The Party committee of a unit: "Huyện ủy Đắk Hà", "Đảng ủy xã Đắk Hring"."""
    kind, short = split_type(unit.name)
    return f"{_COMMITTEE[kind]} {short}" if kind in _COMMITTEE else f"Đảng ủy {unit.name}"


def propaganda_body(province: str, day: dt.date) -> str:
    """The province's propaganda board on `day`: "Ban Tuyên giáo Tỉnh ủy" before the 2025
    merger with the Ban Dân vận, "Ban Tuyên giáo và Dân vận Tỉnh ủy" from it."""
    merged = _PROPAGANDA_MERGED.get(province, DISTRICTS_ABOLISHED)
    return _PROPAGANDA_BODY[day >= merged]


def agency_for(unit: Unit, day: dt.date | None = None) -> Agency:
    """The agency block of documents a user of `unit` issues on `day` (today when None): the
    unit that stood for it that day (an abolished district's user signs as the province today;
    today's commune, as its predecessor in 2024), under the parent it had then."""
    day = day or dt.date.today()
    unit = unit_on(unit, day) or unit
    parent = parent_on(unit, day)
    if parent is None or unit.kind is UnitKind.TINH:
        return Agency(f"ĐẢNG BỘ {unit.name.upper()}",
                      propaganda_body(unit.name, day).upper(), short_name(unit), "TRƯỞNG BAN")
    if unit.kind is UnitKind.HUYEN:
        return Agency(f"ĐẢNG BỘ {parent.name.upper()}", committee(unit).upper(),
                      short_name(unit), "T/M BAN THƯỜNG VỤ")
    if unit.kind is UnitKind.XA:
        return Agency(f"ĐẢNG BỘ {parent.name.upper()}", committee(unit).upper(),
                      short_name(unit), "T/M ĐẢNG ỦY")
    return Agency(f"ĐẢNG BỘ {parent.name.upper()}", unit.name.upper(), short_name(parent),
                  "THỦ TRƯỞNG ĐƠN VỊ")


def place_date(place: str, day: dt.date) -> str:
    """"Kon Tum, ngày 26 tháng 11 năm 2026" (a day below 10 and January, February take a 0)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"
