"""What else sat on ended units: records dated from the day on (re-pointed to the successor),
units below them that the catalogue does not know (thôn, cơ quan: re-attached; a hand-made xã
or huyện: listed), and accounts (listed; moving one is an officer's decision)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from models import (
    Activity,
    Appointment,
    Course,
    Payment,
    Unit,
    UnitFormerParent,
    UnitKind,
    User,
    db,
)
from registry.reorganise.successors import Ended
from registry.units.service import _set_parent

# (kind in the summary, model, the date that places the record before or after the day)
RECORDS = (("activity", Activity, Activity.date), ("payment", Payment, Payment.period),
           ("course", Course, Course.start_date))
# Levels of the administrative tree: only the catalogue places those.
ADMINISTRATIVE = (UnitKind.TINH, UnitKind.HUYEN, UnitKind.XA)


def move_records(ended: Ended, day: dt.date, replaced: dict[int, Appointment],
                 touched: set[int]) -> list[dict]:
    """Records dated on or after `day` on an ended unit go to its default successor, with the
    appointment that replaced theirs; nothing dated before `day` changes."""
    ended_ids = sa.select(Unit.id).where(Unit.valid_to < day)
    moved = []
    for kind, model, when in RECORDS:
        rows = db.session.execute(sa.select(model).where(
            model.unit_id.in_(ended_ids), when >= day).order_by(when, model.id)).scalars()
        for row in rows.all():
            target = ended.default.get(row.unit_id)
            if target is None:
                continue
            moved.append({"kind": kind, "id": row.id, "date": getattr(row, when.key).isoformat(),
                          "from": ended.units[row.unit_id].name, "to": target.name})
            touched.add(row.unit_id)
            row.unit = target
            successor = replaced.get(getattr(row, "appointment_id", None))
            if successor is not None:
                row.appointment = successor
    db.session.flush()
    return moved


def place_children(ended: Ended, day: dt.date,
                   touched: set[int]) -> tuple[list[dict], list[dict]]:
    """Units still valid on `day` under an ended unit: thôn and cơ quan move under its default
    successor (their former parent kept for earlier dates); administrative units the catalogue
    lacks stay untouched for a person to place. Returns (moved, unmatched)."""
    moved, unmatched = [], []
    children = db.session.execute(sa.select(Unit).where(
        Unit.parent_id.in_(sa.select(Unit.id).where(Unit.valid_to < day)),
        sa.or_(Unit.valid_to.is_(None), Unit.valid_to >= day)).order_by(Unit.path)).scalars()
    for child in children.all():
        target = ended.default.get(child.parent_id)
        if child.kind in ADMINISTRATIVE or target is None:
            unmatched.append({"id": child.id, "name": child.name})
            continue
        touched.add(child.parent_id)
        moved.append({"id": child.id, "name": child.name, "from": ended.units[child.parent_id].name,
                      "to": target.name})
        db.session.add(UnitFormerParent(unit_id=child.id, parent_id=child.parent_id,
                                        until=day - dt.timedelta(days=1)))
        _set_parent(child, target)
    db.session.flush()
    return moved, unmatched


def accounts(ended: Ended, day: dt.date) -> list[dict]:
    """Accounts of ended units, with where the unit's people went."""
    users = db.session.execute(sa.select(User).where(User.unit_id.in_(
        sa.select(Unit.id).where(Unit.valid_to < day)))
                               .order_by(User.username)).scalars()
    return [{"user_id": u.id, "username": u.username, "unit": ended.units[u.unit_id].name,
             "successor": _name(ended.default.get(u.unit_id))} for u in users]


def _name(unit: Unit | None) -> str | None:
    return unit.name if unit is not None else None
