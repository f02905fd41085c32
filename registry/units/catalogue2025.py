"""Loading one province's units as the 2025 reorganisation left them (refdata/units2025) into the
units table: the current province and its communes from 01-7-2025, the provinces merged into it
as province → district → commune until 30-6-2025, and the links from each old unit to the
new one(s) it became.

A database holds one province's tree, so the load goes into an empty units table, or into one
that an earlier load of the same province filled: then it adds only what is missing.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

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
    root = loader.unit(catalogue, None, valid_from=catalogue.valid_from)
    current = {u.code: loader.unit(u, root, valid_from=u.valid_from) for u in catalogue.units}
    for old in catalogue.former:
        old_root = loader.unit(old, None, valid_to=old.valid_to)
        loader.link(old_root, [(root, True)])
        for district in old.children:
            loader.former_subtree(district, old_root, current)
    db.session.flush()
    return loader.added


def loaded_province() -> str | None:
    """The current province a 2025 load put in the table, if any: the legacy tree has no dates."""
    return db.session.execute(sa.select(Unit.name).where(
        Unit.parent_id.is_(None), Unit.kind == UnitKind.TINH, Unit.valid_from.is_not(None),
        Unit.valid_to.is_(None)).order_by(Unit.id).limit(1)).scalar()


class _Loader:
    def __init__(self, catalogue: ProvinceUnits):
        self.have: dict[Key, Unit] = {_key(u.kind, u.gso_code, u.valid_to): u
                                      for u in db.session.execute(sa.select(Unit)).scalars()}
        if self.have and _key(UnitKind.TINH, catalogue.code, None) not in self.have:
            raise UnitsNotEmpty(catalogue.name)
        self.links = set(db.session.execute(sa.select(
            unit_successors.c.predecessor_id, unit_successors.c.successor_id)).tuples())
        self.added = 0

    def unit(self, row: CurrentUnit | FormerUnit | ProvinceUnits, parent: Unit | None, *,
             valid_from: dt.date | None = None, valid_to: dt.date | None = None) -> Unit:
        """The unit of a catalogue row, added (with its materialised path) when missing."""
        kind = KIND_OF_TYPE[row.type]
        found = self.have.get(_key(kind, row.code, valid_to))
        if found is not None:
            return found
        unit = Unit(name=row.name, kind=kind, type_label=row.type, gso_code=row.code,
                    parent=parent, valid_from=valid_from, valid_to=valid_to, path="")
        db.session.add(unit)
        db.session.flush()
        unit.path = (parent.path if parent else "/") + f"{unit.id}/"
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
        rows = [{"predecessor_id": old.id, "successor_id": new.id, "is_default": default}
                for new, default in successors if (old.id, new.id) not in self.links]
        if rows:
            db.session.execute(unit_successors.insert(), rows)
            self.links.update((r["predecessor_id"], r["successor_id"]) for r in rows)


def _key(kind: UnitKind, code: str | None, valid_to: dt.date | None) -> Key:
    return kind, code or "", valid_to
