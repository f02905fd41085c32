"""Which unit stands for another on a date: the registry keeps ended units (never renamed or
deleted), so a user of today's commune asking about 2024, or a user of an abolished district
asking about today, is answered by the unit of that date, found through the successor links."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from models import Appointment, Unit, UnitFormerParent, UnitKind, db, unit_successors
from registry.core.dates import parse_day


def unit_on(unit: Unit | None, day: dt.date) -> Unit | None:
    """`unit` when valid on `day`; else, after its end, its successor (the default one first),
    before its start, its predecessor holding the most people then; else its parent's. None
    when nothing in its line was valid on that day."""
    seen: set[int] = set()
    while unit is not None and unit.id not in seen:
        seen.add(unit.id)
        if unit.is_valid_on(day):
            return unit
        unit = _linked(unit, day) or unit.parent
    return None


def _linked(unit: Unit, day: dt.date) -> Unit | None:
    if unit.valid_to is not None and day > unit.valid_to:
        rows = db.session.execute(
            sa.select(Unit).join(unit_successors, unit_successors.c.successor_id == Unit.id)
            .where(unit_successors.c.predecessor_id == unit.id)
            .order_by(unit_successors.c.is_default.desc(), Unit.id)).scalars().all()
        return rows[0] if rows else None
    olds = [u for u in unit.predecessors if u.is_valid_on(day)] or list(unit.predecessors)
    return max(sorted(olds, key=lambda u: u.id), key=lambda u: _people_under(u, day),
               default=None)


def _people_under(unit: Unit, day: dt.date) -> int:
    """People with an appointment active on `day` in the unit's subtree (today's paths: a
    predecessor's subtree is where its people were)."""
    return db.session.execute(
        sa.select(sa.func.count(sa.distinct(Appointment.person_id)))
        .join(Unit, Unit.id == Appointment.unit_id)
        .where(Appointment.active_on_clause(day), Unit.path.startswith(unit.path))).scalar_one()


def parent_on(unit: Unit, day: dt.date) -> Unit | None:
    """The unit's parent on `day`: the former parent a merger recorded when one covers the day
    (the earliest; the first recorded among those of one day), else today's parent."""
    former = db.session.execute(
        sa.select(UnitFormerParent.parent_id).where(
            UnitFormerParent.unit_id == unit.id, UnitFormerParent.until >= day)
        .order_by(UnitFormerParent.until, UnitFormerParent.id).limit(1)).scalar()
    return db.session.get(Unit, former) if former is not None else unit.parent


# The query parameter naming the date a page shows the registry as of, on every page (the
# roster's list date, the units page, the dashboard, the exports): dd/mm/yyyy or yyyy-mm-dd.
ON = "on"


def day_arg(args) -> tuple[dt.date | None, str | None]:
    """The page's date from the query string (None: today) and, for a malformed one, what to
    tell the user."""
    text = (args.get(ON) or "").strip()[:40]
    if not text:
        return None, None
    day = parse_day(text)
    if day is None:
        return None, (f"Ngày «{text}» không hợp lệ (dùng dạng dd/mm/yyyy); "
                      "trang hiển thị theo ngày hôm nay.")
    return day, None


def districts_exist(day: dt.date) -> bool:
    """Whether any district (huyện, thành phố) was in force on `day`: none since 01-7-2025 in a
    registry of today's units, so its lists need no district column."""
    return db.session.execute(sa.select(sa.exists().where(
        Unit.kind == UnitKind.HUYEN, sa.or_(Unit.valid_from.is_(None), Unit.valid_from <= day),
        sa.or_(Unit.valid_to.is_(None), Unit.valid_to >= day)))).scalar()
