"""Loading one province's units as the 2025 reorganisation left them (refdata/units2025) into the
units table: the current province and its communes from 01-7-2025, the provinces merged into it
as province → district → commune until 30-6-2025, and the links from each old unit to the
new one(s) it became.

A database holds one province's tree, so the load goes into an empty units table, or into one
that an earlier load of the same province filled: then it adds only what is missing. The
reorganisation (`adopt_legacy`) also loads it over a legacy tree of one of the former provinces:
the legacy units the catalogue knows become its old units (end-dated, never renamed).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from imports.text import fold_case_and_diacritics
from imports.unit_names import loose_key, name_words
from models import Unit, UnitKind, db, unit_successors
from registry.refdata import units2025
from registry.refdata.units2025 import CurrentUnit, FormerUnit, ProvinceUnits

KIND_OF_TYPE = {
    "tỉnh": UnitKind.TINH, "thành phố trung ương": UnitKind.TINH,
    "huyện": UnitKind.HUYEN, "quận": UnitKind.HUYEN, "thị xã": UnitKind.HUYEN,
    "thành phố": UnitKind.HUYEN,
    "xã": UnitKind.XA, "phường": UnitKind.XA, "thị trấn": UnitKind.XA, "đặc khu": UnitKind.XA,
}

# A unit is the same unit again when its level, GSO code and end agree: the 2025 codes reuse
# the old ones (new Phường Nghĩa Lộ keeps 21028), so the code alone is not enough.
Key = tuple[UnitKind, str, dt.date | None]


class UnitsNotEmpty(Exception):
    """The units table holds another tree (the legacy Kon Tum one, another province)."""


def load_province(province: str) -> int:
    """Add the units of `province` (any of the 34, named as `units2025.load` accepts) that are
    missing; returns how many were added.

    :raise LookupError: no such province.
    :raise UnitsNotEmpty: the table holds units of another tree.
    """
    catalogue = units2025.load(province)
    loader = _Loader(catalogue)
    _fill(loader, catalogue)
    return loader.added


@dataclass
class Adoption:
    """What `adopt_legacy` did: units added, and the legacy units it made old units (id →
    catalogue row)."""
    added: int
    adopted: dict[int, FormerUnit] = field(default_factory=dict)


def adopt_legacy(province: str) -> Adoption:
    """Load `province` into a table holding a legacy (undated) tree of its former provinces.

    Legacy units the catalogue has (same level and GSO code, else the same name however spelled
    under the same adopted parent) are end-dated and kept, name and all: decisions cite them.
    Adopting comes before the current units because the 2025 codes reuse the old ones. Legacy
    units the catalogue lacks are left as they are, for the caller to place.

    :raise LookupError: no such province.
    :raise UnitsNotEmpty: a root unit is neither the province nor one of its former provinces.
    """
    catalogue = units2025.load(province)
    loader = _Loader(catalogue, adopting=True)
    adopted = _Adopter(loader).run(catalogue)
    _fill(loader, catalogue)
    return Adoption(loader.added, adopted)


def _fill(loader: _Loader, catalogue: ProvinceUnits) -> None:
    root = loader.unit(catalogue, None, valid_from=catalogue.valid_from)
    current = {u.code: loader.unit(u, root, valid_from=u.valid_from) for u in catalogue.units}
    for old in catalogue.former:
        old_root = loader.unit(old, None, valid_to=old.valid_to)
        loader.link(old_root, [(root, True)])
        for district in old.children:
            loader.former_subtree(district, old_root, current)
    loader.finish()


def loaded_province() -> str | None:
    """The current province a 2025 load put in the table, if any: the legacy tree has no dates."""
    return db.session.execute(sa.select(Unit.name).where(
        Unit.parent_id.is_(None), Unit.kind == UnitKind.TINH, Unit.valid_from.is_not(None),
        Unit.valid_to.is_(None)).order_by(Unit.id).limit(1)).scalar()


class _Loader:
    def __init__(self, catalogue: ProvinceUnits, *, adopting: bool = False):
        units = db.session.execute(sa.select(Unit)).scalars().all()
        # Undated legacy units are nobody's key until adopted: their codes are today's codes.
        self.legacy = [u for u in units if u.valid_from is None] if adopting else []
        self.have: dict[Key, Unit] = {_key(u.kind, u.gso_code, u.valid_to): u for u in units
                                      if not (adopting and u.valid_from is None)}
        if adopting:
            _check_roots(catalogue, [u for u in units if u.parent_id is None])
        elif self.have and _key(UnitKind.TINH, catalogue.code, None) not in self.have:
            raise UnitsNotEmpty(catalogue.name)
        self.links = set(db.session.execute(sa.select(
            unit_successors.c.predecessor_id, unit_successors.c.successor_id)).tuples())
        self.added = 0
        self.new: list[Unit] = []
        self.pending: list[tuple[Unit, Unit, bool]] = []

    def unit(self, row: CurrentUnit | FormerUnit | ProvinceUnits, parent: Unit | None, *,
             valid_from: dt.date | None = None, valid_to: dt.date | None = None) -> Unit:
        """The unit of a catalogue row, added when missing (its path in `finish`)."""
        kind = KIND_OF_TYPE[row.type]
        found = self.have.get(_key(kind, row.code, valid_to))
        if found is not None:
            return found
        unit = Unit(name=row.name, kind=kind, type_label=row.type, gso_code=row.code,
                    parent=parent, valid_from=valid_from, valid_to=valid_to, path="")
        db.session.add(unit)
        self.new.append(unit)
        self.have[_key(kind, row.code, valid_to)] = unit
        self.added += 1
        return unit

    def former_subtree(self, row: FormerUnit, parent: Unit, current: dict[str, Unit]) -> None:
        """An old district or commune, its successor links, then its communes."""
        unit = self.unit(row, parent, valid_to=row.valid_to)
        self.link(unit, [(current[s.code], s.default) for s in row.successors])
        for child in row.children:
            self.former_subtree(child, unit, current)

    def link(self, old: Unit, successors: list[tuple[Unit, bool]]) -> None:
        self.pending.extend((old, new, default) for new, default in successors)

    def finish(self) -> None:
        """Ids, materialised paths and links, in a few flushes rather than one per unit: a
        province's catalogue is a few hundred units."""
        db.session.flush()
        for unit in self.new:  # parents come first: they were added first
            unit.path = (unit.parent.path if unit.parent else "/") + f"{unit.id}/"
        rows = {}
        for old, new, default in self.pending:
            if (old.id, new.id) not in self.links:
                rows[old.id, new.id] = {"predecessor_id": old.id, "successor_id": new.id,
                                        "is_default": default}
        if rows:
            db.session.execute(unit_successors.insert(), list(rows.values()))
            self.links.update(rows)
        db.session.flush()


def _key(kind: UnitKind, code: str | None, valid_to: dt.date | None) -> Key:
    return kind, code or "", valid_to


def _check_roots(catalogue: ProvinceUnits, roots: list[Unit]) -> None:
    known = {(r.code, _loose(r.name)) for r in (catalogue, *catalogue.former)}
    codes, names = {c for c, _n in known}, {n for _c, n in known}
    for root in roots:
        if root.gso_code not in codes and _loose(root.name) not in names:
            raise UnitsNotEmpty(catalogue.name)


def _loose(name: str) -> str:
    """A unit's name however spelled ("Đăk"/"Đắk", "Ngọc"/"Ngọk", apostrophes, case)."""
    return loose_key(name_words(name))


def _type_word(type_label: str | None) -> str:
    return fold_case_and_diacritics(type_label or "")


class _Adopter:
    """Legacy units matched to the catalogue's old units, top down: a commune is looked for by
    name only under its adopted district, so two districts' same-named communes stay apart."""

    def __init__(self, loader: _Loader):
        self.loader = loader
        self.by_code = {(u.kind, u.gso_code): u for u in loader.legacy if u.gso_code}
        self.by_name: dict[tuple[int | None, str], list[Unit]] = {}
        for u in loader.legacy:
            self.by_name.setdefault((u.parent_id, _loose(u.name)), []).append(u)
        self.adopted: dict[int, FormerUnit] = {}

    def run(self, catalogue: ProvinceUnits) -> dict[int, FormerUnit]:
        for province in catalogue.former:
            self._walk(province, None)
        return self.adopted

    def _walk(self, row: FormerUnit, parent: Unit | None) -> None:
        unit = self._find(row, parent)
        if unit is None:
            return
        self._adopt(unit, row)
        for child in row.children:
            self._walk(child, unit)

    def _find(self, row: FormerUnit, parent: Unit | None) -> Unit | None:
        kind = KIND_OF_TYPE[row.type]
        found = self.by_code.get((kind, row.code))
        if found is not None and found.id not in self.adopted:
            return found
        if parent is None and kind is not UnitKind.TINH:
            return None
        parent_id = parent.id if parent else None
        names = {_loose(n) for n in (row.name, *row.aliases)}
        same = [u for n in names for u in self.by_name.get((parent_id, n), ())
                if u.kind is kind and not u.gso_code and u.id not in self.adopted]
        if len(same) > 1:  # "Thị trấn X" and "Xã X" under one district: the type word decides
            same = [u for u in same if _type_word(u.type_label) == _type_word(row.type)]
        return same[0] if len(same) == 1 else None

    def _adopt(self, unit: Unit, row: FormerUnit) -> None:
        if unit.valid_to is None:
            unit.valid_to = row.valid_to
        unit.type_label = row.type
        unit.gso_code = unit.gso_code or row.code
        self.loader.have[_key(unit.kind, row.code, row.valid_to)] = unit
        self.adopted[unit.id] = row
