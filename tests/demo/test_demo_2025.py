"""The demo in today's structure: people recognised under Kon Tum before 2025 and moved by the
reorganisation on 01-7-2025, some BCV cấp huyện still awaiting re-recognition, records after that
day on today's communes, and logins of a province admin and a commune officer."""
import datetime as dt
import random

import pytest
import sqlalchemy as sa

from models import (
    Activity,
    Appointment,
    Course,
    EndReason,
    Level,
    Payment,
    Person,
    Role,
    Unit,
    UnitKind,
    db,
)
from registry.core.audit import Actor, acting_as
from registry.demo import people as demo
from registry.reorganise import followup
from registry.units import service as units

REFORM = dt.date(2025, 7, 1)


@pytest.fixture
def seeded(world2025, ctx):
    with acting_as(Actor(None, "test")):
        logins = demo.seed(60, random.Random(3))
        db.session.commit()
    return {user: (password, label) for user, password, label in logins}


def rows(stmt):
    return db.session.execute(stmt).all()


def test_people_live_on_todays_units_with_their_history(seeded):
    assert rows(sa.select(Person.id).join(Person.unit).where(Unit.valid_to.is_not(None))) == []
    moved = db.session.execute(sa.select(Appointment).where(
        Appointment.end_reason == EndReason.SAP_XEP, Appointment.end_date == REFORM
        - dt.timedelta(days=1))).scalars().all()
    assert len(moved) > 30
    assert all(a.unit.valid_to == dt.date(2025, 6, 30) and a.start_date < REFORM for a in moved)
    restarted = {(a.person_id, a.decision_no) for a in db.session.execute(
        sa.select(Appointment).where(Appointment.start_date == REFORM)).scalars()}
    assert {(a.person_id, a.decision_no) for a in moved if a.level is not Level.HUYEN} \
        <= restarted
    current = db.session.execute(sa.select(Appointment).where(
        Appointment.start_date >= REFORM, Appointment.end_date.is_(None))).scalars().all()
    assert current and all(a.unit.valid_to is None and a.level is not Level.HUYEN
                           for a in current)


def test_bodies_and_terms_follow_the_date(seeded):
    bodies = {b for (b,) in rows(sa.select(Appointment.decision_body).where(
        Appointment.start_date < REFORM))}
    assert {"Ban Thường vụ Tỉnh ủy Kon Tum", "Ban Thường vụ Huyện ủy Đắk Hà"} <= bodies
    assert any(b.startswith("Đảng ủy xã ") for b in bodies)
    assert not any(b.startswith(("Ban Thường vụ Huyện ", "Ban Thường vụ Tỉnh ")) and " ủy " not in
                   f"{b} " for b in bodies)
    later = {(b, t) for b, t in rows(sa.select(Appointment.decision_body, Appointment.term).where(
        Appointment.decision_date >= REFORM))}
    assert later == {("Ban Thường vụ Tỉnh ủy Quảng Ngãi", "2025-2030"),
                     ("Ban Thường vụ Đảng ủy xã Đăk Hà", "2025-2030")}
    terms = rows(sa.select(Appointment.term_start, Appointment.term_end, sa.func.count())
                 .group_by(Appointment.term_start, Appointment.term_end))
    by_term = {(s, e): n for s, e, n in terms}
    assert by_term[(2020, 2025)] > by_term[(2025, 2030)] > 0
    organisers = {o for (o,) in rows(sa.select(Course.organiser))}
    assert {"Ban Tuyên giáo Tỉnh ủy Kon Tum", "Ban Tuyên giáo và Dân vận Tỉnh ủy Quảng Ngãi"} \
        <= organisers


def test_some_bcv_cap_huyen_await_rerecognition(seeded):
    waiting = followup.rerecognition_list()
    assert waiting and all(a.role is Role.BCV and a.level is Level.HUYEN for a in waiting)
    again = db.session.execute(sa.select(Appointment).where(
        Appointment.level == Level.TINH, Appointment.term_start == 2025)).scalars().all()
    assert again and all(a.unit.valid_to is None and a.unit.kind is UnitKind.TINH for a in again)


def test_records_before_on_old_units_after_on_todays(seeded):
    def on(model, day_col, after: bool):
        cond = day_col >= REFORM if after else day_col < REFORM
        return rows(sa.select(Unit.valid_to, sa.func.count()).select_from(model)
                    .join(Unit, Unit.id == model.unit_id).where(cond).group_by(Unit.valid_to))

    assert dict(on(Activity, Activity.date, False)).keys() == {dt.date(2025, 6, 30)}
    after = dict(on(Activity, Activity.date, True))
    assert after.keys() == {None} and after[None] > 20
    assert dict(on(Payment, Payment.period, False)).keys() == {dt.date(2025, 6, 30)}
    assert dict(on(Payment, Payment.period, True)).keys() == {None}


def test_villages_of_the_officers_commune(seeded):
    dakha = db.session.execute(sa.select(Unit).where(
        Unit.name == "Xã Đăk Hà", Unit.valid_to.is_(None))).scalar_one()
    village_rows = units.tree_rows(root=dakha)[1:]
    assert len(village_rows) == 6 and all(r.unit.kind is UnitKind.THON for r in village_rows)
    assert [r.unit.name for r in village_rows if r.lacks_ttv] == ["Thôn Kon Klor", "Thôn Đăk Lấp"]


def test_logins_are_a_province_admin_and_a_commune_officer(seeded, client):
    assert {u: label for u, (_pw, label) in seeded.items()} == {
        "admin": "quản trị toàn tỉnh Quảng Ngãi", "dakha": "cán bộ xã Đăk Hà"}
    resp = client.post("/login", data={"username": "dakha", "password": seeded["dakha"][0]})
    assert resp.status_code == 302
    html = client.get("/roster").get_data(as_text=True)
    table = html.split("<table")[1]
    assert "Xã Đăk Hà" in table and "Xã Đăk Mar" not in table
    client.get("/logout")
    client.post("/login", data={"username": "admin", "password": seeded["admin"][0]})
    assert client.get("/").status_code == 200


def test_seed_demo_command_prints_todays_logins(world2025, app, ctx):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--people", "30"])
    assert result.exit_code == 0, result.output
    assert "Tài khoản mẫu (quản trị toàn tỉnh Quảng Ngãi): admin / " in result.output
    assert "Tài khoản mẫu (cán bộ xã Đăk Hà): dakha / " in result.output


def test_legacy_registry_keeps_the_old_world_demo(ctx):
    with acting_as(Actor(None, "test")):
        logins = demo.seed(30, random.Random(3))
        db.session.commit()
    assert [(u, label) for u, _pw, label in logins] == [
        ("admin", "quản trị toàn tỉnh"), ("dakha", "cán bộ huyện Đắk Hà")]
    bodies = {b for (b,) in rows(sa.select(Appointment.decision_body))}
    assert "Ban Thường vụ Huyện ủy Đắk Hà" in bodies
    assert not any(b.startswith("Ban Thường vụ Huyện Đ") for b in bodies)
    assert rows(sa.select(Appointment.id).where(Appointment.end_reason == EndReason.SAP_XEP)) \
        == []
