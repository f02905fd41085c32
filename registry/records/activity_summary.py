"""The activity list's figures from the database: the totals of the filtered rows (their
arithmetic is activity_totals'), the units they are counted under, the sessions per person."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa

from models import Activity, Unit, db
from registry.core import access
from registry.records import activity_totals
from registry.records.activity_query import ActivityFilter, build

OTHER_UNITS = "Đơn vị khác"


def summary(f: ActivityFilter) -> activity_totals.Totals:
    """The totals of every row the filter holds (all pages)."""
    sub = build(f).order_by(None).with_only_columns(Activity.id).subquery()
    rows = [activity_totals.Row(*r) for r in db.session.execute(
        sa.select(Activity.id, Activity.person_id, Activity.session_key, Activity.date,
                  Activity.topic, Activity.form, Activity.audience, Activity.unit_id)
        .where(Activity.id.in_(sa.select(sub.c.id))))]
    label, order = unit_lines(f.unit or scope_top(), {r.unit_id for r in rows})
    return activity_totals.totals(rows, label, order)


def scope_top() -> Unit | None:
    """The unit at the top of the actor's scope (the user's unit)."""
    scope = access.current_scope()
    if scope is None or scope.unit_id is None:
        return None
    return db.session.get(Unit, scope.unit_id)


def unit_lines(base: Unit | None, unit_ids: set[int]
               ) -> tuple[Callable[[int], str], list[str]]:
    """How the totals name the unit a row counts in: the child of `base` holding it ("base
    (trực tiếp)" for base itself, "Đơn vị khác" outside it), and the lines in tree order (the
    children valid today; one that ended shows only when it has rows)."""
    paths = dict(db.session.execute(
        sa.select(Unit.id, Unit.path).where(Unit.id.in_(unit_ids))).all()) if unit_ids else {}
    if base is None:
        names = dict(db.session.execute(sa.select(Unit.id, Unit.name)
                                        .where(Unit.id.in_(unit_ids))).all()) if unit_ids else {}
        return (lambda uid: names.get(uid, OTHER_UNITS)), []
    children = db.session.execute(
        sa.select(Unit).where(Unit.parent_id == base.id).order_by(Unit.path)).scalars().all()
    own = f"{base.name} (trực tiếp)"
    today = dt.date.today()

    def label(uid: int) -> str:
        path = paths.get(uid, "")
        if uid == base.id:
            return own
        child = next((c for c in children if path.startswith(c.path)), None)
        return child.name if child else OTHER_UNITS

    order = [own] + [c.name for c in children if c.is_valid_on(today)]
    return label, order
