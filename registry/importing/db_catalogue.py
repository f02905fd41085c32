"""The importer's catalogue built from the database (units valid today, ethnic groups, the sizes
of the columns the import fills)."""
from __future__ import annotations

import datetime as dt
import functools

import sqlalchemy as sa
from sqlalchemy.orm import Session

from imports.catalogue import Catalogue, UnitRef
from models import Appointment, Person, RefItem, Unit, UnitKind

_IMPORTABLE = (UnitKind.TINH, UnitKind.HUYEN, UnitKind.XA)
# Person columns that the commit fills from the import field of the same name (political_theory
# is looked up in a list, never stored as written).
_PERSON_FIELDS = ("ethnicity", "position", "cccd", "religion", "education", "professional", "phone",
                  "email", "workplace", "notes", "hometown")


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
    units = s.execute(sa.select(Unit)).scalars().all()
    by_id = {u.id: u for u in units}
    refs = [_ref(u, by_id) for u in units if u.kind in _IMPORTABLE and u.is_valid_on(day)]
    ethnic = s.execute(sa.select(RefItem).where(RefItem.kind == "ethnicity")
                       .order_by(RefItem.ordinal)).scalars().all()
    return Catalogue(refs, [(e.name, tuple(e.aliases or ())) for e in ethnic],
                     max_lengths=max_lengths())


def uploader_ref(s: Session, unit: Unit) -> UnitRef:
    by_id = {u.id: u for u in s.execute(sa.select(Unit)).scalars()}
    return _ref(unit, by_id)


@functools.cache
def max_lengths() -> dict[str, int]:
    """Field key -> most characters its value may have, read from the model columns: a migration
    that widens a column widens the import's check with it. PostgreSQL refuses a longer value
    (SQLite stores it); the import turns it into one invalid row. Fields stored without a limit
    are left out."""
    limits = {}
    for key, columns in _columns().items():
        lengths = [getattr(c.type, "length", None) for c in columns]
        if None not in lengths:
            limits[key] = min(lengths)
    return limits


def _columns() -> dict[str, tuple]:
    person, appointment = Person.__table__.c, Appointment.__table__.c
    return {
        # The name fills its search keys too, which case folding can lengthen (the import counts
        # that); its sort key takes at most three digits a letter and has room for that.
        "full_name": (person.full_name, person.search_key, person.name_folded),
        **{key: (person[key],) for key in _PERSON_FIELDS},
        **{key: (appointment[key],) for key in ("decision_no", "decision_body", "term")},
    }
