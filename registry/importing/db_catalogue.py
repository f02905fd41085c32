"""The importer's catalogue built from the database (units valid today, and the former ones with
the units that took them over; ethnic groups; the sizes of the columns the import fills)."""
from __future__ import annotations

import datetime as dt
import functools

import sqlalchemy as sa
from sqlalchemy.orm import Session

from imports.catalogue import Catalogue, UnitRef
from models import Appointment, Person, RefItem, Unit, UnitKind, unit_successors

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


def _ref(unit: Unit, by_id: dict[int, Unit], day: dt.date,
         links: dict[int, list[tuple[int, bool]]]) -> UnitRef:
    successors = links.get(unit.id, [])
    return UnitRef(id=unit.id, name=unit.name, kind=unit.type_label or _default_label(unit),
                   district=_district_of(unit, by_id), current=unit.is_valid_on(day),
                   successors=tuple(i for i, _ in successors),
                   default=next((i for i, default in successors if default), None),
                   root=_root_of(unit, by_id))


def _root_of(unit: Unit, by_id: dict[int, Unit]) -> int:
    node = unit
    while node.parent_id is not None and node.parent_id in by_id:
        node = by_id[node.parent_id]
    return node.id


def _default_label(unit: Unit) -> str:
    return {UnitKind.TINH: "tỉnh", UnitKind.HUYEN: "huyện"}.get(unit.kind, "xã")


def _successor_links(s: Session, units: dict[int, Unit]) -> dict[int, list[tuple[int, bool]]]:
    """predecessor id -> [(successor id, is_default)], in one query for the whole catalogue."""
    links: dict[int, list[tuple[int, bool]]] = {}
    for old, new, default in s.execute(sa.select(unit_successors)).all():
        if old in units and new in units:
            links.setdefault(old, []).append((new, bool(default)))
    return links


def _importable(unit: Unit, day: dt.date, links: dict) -> bool:
    """Today's units; a former one when something took it over, or a former district (its
    district-level people of an old file stay on it until re-recognised)."""
    if unit.kind not in _IMPORTABLE:
        return False
    if unit.is_valid_on(day):
        return True
    return bool(links.get(unit.id)) or unit.kind in (UnitKind.HUYEN, UnitKind.TINH)


def catalogue_for(s: Session, day: dt.date | None = None) -> Catalogue:
    day = day or dt.date.today()
    units = s.execute(sa.select(Unit)).scalars().all()
    by_id = {u.id: u for u in units}
    links = _successor_links(s, by_id)
    refs = [_ref(u, by_id, day, links) for u in units if _importable(u, day, links)]
    ethnic = s.execute(sa.select(RefItem).where(RefItem.kind == "ethnicity")
                       .order_by(RefItem.ordinal)).scalars().all()
    return Catalogue(refs, [(e.name, tuple(e.aliases or ())) for e in ethnic],
                     max_lengths=max_lengths())


def uploader_ref(s: Session, unit: Unit, day: dt.date | None = None) -> UnitRef:
    by_id = {u.id: u for u in s.execute(sa.select(Unit)).scalars()}
    return _ref(unit, by_id, day or dt.date.today(), _successor_links(s, by_id))


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
