"""The importer's catalogue built from the database (units valid today, ethnic groups)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from imports.catalogue import Catalogue, UnitRef
from models import RefItem, Unit, UnitKind
from registry.core import access

_IMPORTABLE = (UnitKind.TINH, UnitKind.HUYEN, UnitKind.XA)


def _district_of(unit: Unit, by_id: dict[int, Unit]) -> str | None:
    node = unit
    while node is not None and node.kind is not UnitKind.HUYEN:
        node = by_id.get(node.parent_id)
    return node.name if node is not None else None


def _ref(unit: Unit, by_id: dict[int, Unit]) -> UnitRef:
    return UnitRef(id=unit.id, name=unit.name, kind=unit.type_label or _default_label(unit),
                   district=_district_of(unit, by_id))


def _default_label(unit: Unit) -> str:
    return {UnitKind.TINH: "tỉnh", UnitKind.HUYEN: "huyện"}.get(unit.kind, "xã")


def catalogue_for(s: Session, day: dt.date | None = None) -> Catalogue:
    day = day or dt.date.today()
    units = s.execute(access.unscoped(sa.select(Unit))).scalars().all()
    by_id = {u.id: u for u in units}
    refs = [_ref(u, by_id) for u in units if u.kind in _IMPORTABLE and u.is_valid_on(day)]
    ethnic = s.execute(sa.select(RefItem).where(RefItem.kind == "ethnicity")
                       .order_by(RefItem.ordinal)).scalars().all()
    return Catalogue(refs, [(e.name, tuple(e.aliases or ())) for e in ethnic])


def uploader_ref(s: Session, unit: Unit) -> UnitRef:
    by_id = {u.id: u for u in s.execute(access.unscoped(sa.select(Unit))).scalars()}
    return _ref(unit, by_id)
