"""`reorganise.apply` on a registry whose units `init-db` loaded as of 2025 (the `world2025`
fixture), with people still on the old units; and divided communes."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from models import (
    Appointment,
    EndReason,
    Level,
    Person,
    Reorganisation,
    Role,
    SuccessorReview,
    Unit,
    UserRole,
    db,
    unit_successors,
)
from registry.reorganise import service

DAY = dt.date(2025, 7, 1)
EVE = dt.date(2025, 6, 30)


def _current(name: str) -> Unit:
    return db.session.execute(sa.select(Unit).where(
        Unit.name == name, Unit.valid_to.is_(None))).scalar_one()


def _old(code: str) -> Unit:
    return db.session.execute(sa.select(Unit).where(
        Unit.gso_code == code, Unit.valid_to == EVE)).scalar_one()


@pytest.fixture
def people(world2025, make):
    town = _old("23500")  # Thị trấn Đắk Hà, under the old Huyện Đắk Hà
    tra_bui = _old("21142")  # divided between Xã Cà Đam (default) and Xã Tây Trà Bồng
    made = {
        "an": make.person("Nguyễn Văn An", town),
        "binh": make.person("Trần Thị Bình", _old("615"), role=Role.BCV, level=Level.HUYEN),
        "chi": make.person("Hồ Thị Chi", tra_bui),
    }
    make.user("dakha", UserRole.OFFICER, _old("615"))
    return {key: p.id for key, p in made.items()} | {"town": town.id, "tra_bui": tra_bui.id}


def _appointments(person_id: int) -> list[Appointment]:
    return db.session.execute(sa.select(Appointment).where(Appointment.person_id == person_id)
                              .order_by(Appointment.start_date)).scalars().all()


def test_people_on_old_units_move(people):
    assert service.status(dt.date(2026, 1, 1)).needs_run
    summary = service.apply(DAY, actor="tester")
    db.session.commit()
    assert summary["counts"]["new_units"] == 0 and summary["changed"]
    old, new = _appointments(people["an"])
    assert (old.unit_id, old.end_date, old.end_reason) == (people["town"], EVE, EndReason.SAP_XEP)
    assert (new.unit.name, new.start_date) == ("Xã Đăk Hà", DAY)
    [bcv] = _appointments(people["binh"])
    assert bcv.end_date is None and bcv.unit.name == "Huyện Đắk Hà"
    assert db.session.get(Person, people["binh"]).unit.name == "Tỉnh Quảng Ngãi"
    assert [r["person"] for r in summary["rerecognise"]] == ["Trần Thị Bình"]
    assert [a["username"] for a in summary["accounts"]] == ["dakha"]
    assert {u["name"] for u in summary["units"]} == {"Thị trấn Đắk Hà", "Huyện Đắk Hà",
                                                      "Xã Trà Bùi"}
    assert not service.status(dt.date(2026, 1, 1)).needs_run


def test_divided_commune_lands_in_its_default_for_review(people):
    summary = service.apply(DAY, actor="tester")
    db.session.commit()
    old, new = _appointments(people["chi"])
    assert new.unit.name == "Xã Cà Đam" and old.end_reason is EndReason.SAP_XEP
    [review] = db.session.execute(sa.select(SuccessorReview)).scalars().all()
    run = db.session.execute(sa.select(Reorganisation)).scalar_one()
    assert (review.reorganisation_id, review.person_id, review.old_unit_id) == (
        run.id, people["chi"], people["tra_bui"])
    assert (review.successor.name, review.appointment_ids, review.decided_at) == (
        "Xã Cà Đam", [new.id], None)
    assert summary["divided"] == [{"person_id": people["chi"], "person": "Hồ Thị Chi",
                                   "from": "Xã Trà Bùi", "to": "Xã Cà Đam",
                                   "choices": ["Xã Cà Đam", "Xã Tây Trà Bồng"]}]


def test_divided_commune_without_default_lands_in_first_successor_by_code(people):
    db.session.execute(unit_successors.update().where(
        unit_successors.c.predecessor_id == people["tra_bui"]).values(is_default=False))
    db.session.commit()
    summary = service.apply(DAY, actor="tester")
    first = min((u for u in db.session.get(Unit, people["tra_bui"]).successors),
                key=lambda u: u.gso_code)
    assert summary["divided"][0]["to"] == first.name
    assert db.session.get(Person, people["chi"]).unit_id == first.id
    assert db.session.execute(sa.select(SuccessorReview.successor_id)).scalar_one() == first.id


def test_dry_run_equals_run_and_rerun_is_empty(people):
    preview = service.apply(DAY, actor="tester", dry_run=True)
    db.session.commit()
    assert db.session.execute(sa.select(SuccessorReview)).first() is None
    assert len(_appointments(people["an"])) == 1
    real = service.apply(DAY, actor="tester")
    db.session.commit()
    assert {**preview, "dry_run": False} == real
    again = service.apply(DAY, actor="tester")
    assert not again["changed"] and again["divided"] == again["appointments"] == []
    assert db.session.execute(sa.select(sa.func.count(SuccessorReview.id))).scalar_one() == 1


def test_nothing_to_do_writes_no_run(world2025, ctx):
    summary = service.apply(DAY, actor="tester")
    assert not summary["changed"] and summary["counts"]["units"] == 0
    assert db.session.execute(sa.select(Reorganisation)).first() is None
    assert not service.status(dt.date(2026, 1, 1)).needs_run
