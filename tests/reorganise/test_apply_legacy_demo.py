"""`reorganise` on the old-world demo (seed-demo on a registry still holding the legacy Kon Tum
tree) leaves it in today's structure: nobody active on an abolished unit but the BCV cấp huyện
awaiting re-recognition, today's tree without districts, records from 01-7-2025 on today's
units, the district accounts listed, and a second run that changes nothing."""
from __future__ import annotations

import datetime as dt
import random

import sqlalchemy as sa

from models import Activity, Appointment, Level, Person, Unit, UnitKind, db
from registry.demo import people as demo
from registry.reorganise import service

TODAY = dt.date.today()


def _ended_units():
    return sa.select(Unit.id).where(Unit.valid_to < TODAY)


def test_the_old_world_demo_lands_in_todays_structure(ctx):
    demo.seed(80, random.Random(12))
    db.session.commit()
    assert service.status().needs_run

    summary = service.apply(service.REFORM_DAY, actor="tester")
    db.session.commit()

    assert not service.status().needs_run
    counts = summary["counts"]
    assert counts["appointments"] > 40 and counts["rerecognise"] > 0 and counts["accounts"] > 0
    today = db.session.execute(sa.select(Unit.kind, sa.func.count()).where(
        Unit.valid_to.is_(None), Unit.valid_from.is_not(None)).group_by(Unit.kind)).all()
    assert dict(today) == {UnitKind.TINH: 1, UnitKind.XA: 96}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person).where(
        Person.unit_id.in_(_ended_units()))) == 0
    stuck = db.session.execute(sa.select(Appointment.level).where(
        Appointment.active_on_clause(TODAY), Appointment.unit_id.in_(_ended_units()))).scalars()
    assert set(stuck) <= {Level.HUYEN}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Activity).where(
        Activity.date >= service.REFORM_DAY, Activity.unit_id.in_(_ended_units()))) == 0

    again = service.apply(service.REFORM_DAY, actor="tester")
    assert again["changed"] is False and again["counts"]["appointments"] == 0
