"""The suite's fixture of today's units is the tree `init-db` loads, and it is restored whole for
every test that asks for it."""
from __future__ import annotations

import sqlalchemy as sa

from models import Unit, UnitKind, db, unit_successors


def _counts():
    day_units = db.session.execute(sa.select(Unit.kind, sa.func.count()).where(
        Unit.valid_to.is_(None)).group_by(Unit.kind)).all()
    return dict(day_units), db.session.scalar(sa.select(sa.func.count()).select_from(
        unit_successors))


def test_today_is_quang_ngai_without_districts(world2025, ctx):
    today, links = _counts()
    assert today == {UnitKind.TINH: 1, UnitKind.XA: 96}
    assert links > 102


def test_a_second_test_gets_the_same_tree(world2025, ctx):
    assert _counts()[0] == {UnitKind.TINH: 1, UnitKind.XA: 96}
    new = Unit(name="Thôn thử", kind=UnitKind.THON, path="")
    db.session.add(new)
    db.session.flush()
    assert new.id > max(db.session.scalars(sa.select(Unit.id).where(Unit.id != new.id)))
