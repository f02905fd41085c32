"""`reorganise.apply` on a registry that still holds the legacy Kon Tum tree: the catalogue of
Quảng Ngãi adopts the legacy units, people and records move to the successors, history stays."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from models import (
    Activity,
    Appointment,
    AuditLog,
    Course,
    EndReason,
    Level,
    Payment,
    Person,
    Reorganisation,
    Role,
    Unit,
    UnitKind,
    UserRole,
    db,
)
from registry import refdata
from registry.core import access
from registry.reorganise import service
from registry.units.service import add_unit
from registry.units.tree import UnitTree

DAY = dt.date(2025, 7, 1)
EVE = dt.date(2025, 6, 30)


def _unit(name: str, *, current: bool) -> Unit:
    """A unit by name: today's (valid from the day) or an old one."""
    cond = Unit.valid_from.is_not(None) if current else Unit.valid_from.is_(None)
    return db.session.execute(sa.select(Unit).where(Unit.name == name, cond)).scalar_one()


@pytest.fixture
def legacy(make):
    """People, records, a thôn and an account on the legacy tree."""
    town = make.unit("Thị trấn Đắk Hà")
    an = make.person("Nguyễn Văn An", town)
    appt = an.appointments[0]
    appt.decision_no, appt.decision_date = "12-QĐ/HU", dt.date(2023, 5, 2)
    appt.decision_body, appt.term, appt.term_start, appt.term_end = (
        "Ban Thường vụ Huyện ủy Đắk Hà", "2020-2025", 2020, 2025)
    binh = make.person("Trần Thị Bình", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN)
    cuong = make.person("Lê Văn Cường", "Tỉnh Kon Tum", role=Role.BCV, level=Level.TINH)
    gone = make.person("Phạm Văn Dũng", town, end=dt.date(2024, 12, 31))
    village = add_unit("Thôn 1", UnitKind.THON, make.unit("Xã Đắk La"))
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    records = {
        "before": [make.activity(an, dt.date(2025, 3, 5)).id,
                   make.payment(an, period=dt.date(2025, 3, 1)).id],
        "after": [make.activity(an, dt.date(2025, 8, 5)).id,
                  make.payment(an, period=dt.date(2025, 8, 1)).id],
        "course": make.course(town, start=dt.date(2025, 9, 10)).id,
        "old_course": make.course(town, start=dt.date(2025, 3, 10)).id,
    }
    db.session.commit()
    return {"an": an.id, "binh": binh.id, "cuong": cuong.id, "gone": gone.id,
            "village": village.id, "town": town.id, "records": records}


def _appointments(person_id: int) -> list[Appointment]:
    return db.session.execute(sa.select(Appointment).where(Appointment.person_id == person_id)
                              .order_by(Appointment.start_date, Appointment.id)).scalars().all()


def test_apply_moves_people_and_keeps_history(legacy):
    summary = service.apply(DAY, actor="tester")
    db.session.commit()
    assert summary["changed"] and not summary["dry_run"]
    assert summary["province"] == "Tỉnh Quảng Ngãi"
    old, new = _appointments(legacy["an"])
    assert (old.unit_id, old.end_date, old.end_reason) == (legacy["town"], EVE, EndReason.SAP_XEP)
    assert old.unit_name_snapshot == "Thị trấn Đắk Hà"
    xa_dak_ha = _unit("Xã Đăk Hà", current=True)
    assert (new.unit_id, new.start_date, new.end_date) == (xa_dak_ha.id, DAY, None)
    assert new.unit_name_snapshot == "Xã Đăk Hà"
    assert (new.decision_no, new.decision_date, new.decision_body, new.term,
            new.term_start, new.term_end) == ("12-QĐ/HU", dt.date(2023, 5, 2),
                                              "Ban Thường vụ Huyện ủy Đắk Hà", "2020-2025",
                                              2020, 2025)
    assert db.session.get(Person, legacy["an"]).unit_id == xa_dak_ha.id
    moved = {(r["person"], r["from"], r["to"]) for r in summary["appointments"]}
    assert moved == {("Nguyễn Văn An", "Thị trấn Đắk Hà", "Xã Đăk Hà"),
                     ("Lê Văn Cường", "Tỉnh Kon Tum", "Tỉnh Quảng Ngãi")}
    root = _unit("Tỉnh Quảng Ngãi", current=True)
    cuong = _appointments(legacy["cuong"])
    assert [a.unit_id for a in cuong] == [_unit("Tỉnh Kon Tum", current=False).id, root.id]
    # An appointment ended before the day is history: it stays where it was.
    assert [(a.end_date, a.end_reason) for a in _appointments(legacy["gone"])] == [
        (dt.date(2024, 12, 31), None)]
    assert db.session.get(Person, legacy["gone"]).unit_id == xa_dak_ha.id


def test_bcv_cap_huyen_wait_for_recognition(legacy):
    summary = service.apply(DAY, actor="tester")
    [appt] = _appointments(legacy["binh"])
    district = _unit("Huyện Đắk Hà", current=False)
    assert (appt.unit_id, appt.end_date, appt.end_reason) == (district.id, None, None)
    assert summary["rerecognise"] == [{"person_id": legacy["binh"], "person": "Trần Thị Bình",
                                       "appointment_id": appt.id, "unit": "Huyện Đắk Hà"}]
    assert db.session.get(Person, legacy["binh"]).unit.name == "Tỉnh Quảng Ngãi"
    assert service.default_successor(district).name == "Tỉnh Quảng Ngãi"


def test_records_from_the_day_move_and_earlier_ones_stay(legacy):
    summary = service.apply(DAY, actor="tester")
    town, xa = legacy["town"], _unit("Xã Đăk Hà", current=True).id
    before_activity, before_payment = legacy["records"]["before"]
    after_activity, after_payment = legacy["records"]["after"]
    assert db.session.get(Activity, before_activity).unit_id == town
    assert db.session.get(Payment, before_payment).unit_id == town
    assert db.session.get(Activity, after_activity).unit_id == xa
    assert db.session.get(Payment, after_payment).unit_id == xa
    assert db.session.get(Course, legacy["records"]["course"]).unit_id == xa
    assert db.session.get(Course, legacy["records"]["old_course"]).unit_id == town
    # The activity counts under the appointment that continues the ended one.
    assert db.session.get(Activity, after_activity).appointment.start_date == DAY
    assert {(r["kind"], r["id"]) for r in summary["records"]} == {
        ("activity", after_activity), ("payment", after_payment),
        ("course", legacy["records"]["course"])}


def test_catalogue_adopts_the_legacy_tree_without_renaming(legacy):
    names_before = dict(db.session.execute(sa.select(Unit.id, Unit.name)).tuples().all())
    summary = service.apply(DAY, actor="tester")
    for unit_id, name in names_before.items():
        assert db.session.get(Unit, unit_id).name == name
    assert not refdata.has_legacy_tree()
    old = _unit("Thị trấn Đắk Hà", current=False)
    assert (old.valid_to, old.type_label, old.gso_code) == (EVE, "thị trấn", "23500")
    assert [u.name for u in old.successors] == ["Xã Đăk Hà"]
    # The catalogue adds what the legacy tree lacked under its old district.
    mang_den = db.session.execute(sa.select(Unit).where(
        Unit.gso_code == "23473", Unit.valid_to == EVE)).scalar_one()
    assert mang_den.parent.name == "Huyện Kon Plông" and mang_den.parent.valid_from is None
    today = [u for u in db.session.execute(sa.select(Unit)).scalars() if u.is_valid_on(DAY)]
    assert sum(u.kind is UnitKind.XA for u in today) == 96
    assert not any(u.kind is UnitKind.HUYEN for u in today)
    assert summary["counts"]["units"] == 112 and summary["unmatched_units"] == []


def test_thon_moves_under_the_successor_and_the_old_tree_stays_as_of_the_eve(legacy):
    summary = service.apply(DAY, actor="tester")
    village = db.session.get(Unit, legacy["village"])
    xa = _unit("Xã Đăk Hà", current=True)
    assert village.parent_id == xa.id and village.path == f"{xa.path}{village.id}/"
    assert summary["moved_units"] == [{"id": village.id, "name": "Thôn 1",
                                       "from": "Xã Đắk La", "to": "Xã Đăk Hà"}]
    eve = UnitTree(EVE)
    la = _unit("Xã Đắk La", current=False)
    assert eve.parent[village.id] == la.id
    assert [eve.name(u) for u in eve.ancestors(village.id)] == [
        "Thôn 1", "Xã Đắk La", "Huyện Đắk Hà", "Tỉnh Kon Tum"]
    assert {n.name for n in eve.children(_unit("Tỉnh Kon Tum", current=False).id, EVE)} >= {
        "Huyện Đắk Hà", "Thành phố Kon Tum"}
    assert [eve.name(u) for u in UnitTree(DAY).ancestors(village.id)] == [
        "Thôn 1", "Xã Đăk Hà", "Tỉnh Quảng Ngãi"]


def test_hand_made_commune_is_listed_untouched(legacy, make):
    extra = add_unit("Xã Thử Nghiệm", UnitKind.XA, make.unit("Huyện Đắk Hà"))
    db.session.commit()
    summary = service.apply(DAY, actor="tester")
    assert summary["unmatched_units"] == [{"id": extra.id, "name": "Xã Thử Nghiệm"}]
    extra = db.session.get(Unit, extra.id)
    assert (extra.valid_to, extra.parent.name) == (None, "Huyện Đắk Hà")


def test_accounts_of_ended_units_are_listed(legacy):
    summary = service.apply(DAY, actor="tester")
    assert [(a["username"], a["unit"], a["successor"]) for a in summary["accounts"]] == [
        ("dakha", "Huyện Đắk Hà", "Tỉnh Quảng Ngãi")]


def test_dry_run_changes_nothing_and_previews_the_run(legacy):
    def state():
        return [sorted(tuple(r) for r in db.session.execute(sa.select(t)).all())
                for t in (Unit.__table__, Appointment.__table__, Person.__table__,
                          Activity.__table__, Payment.__table__)]
    audit = db.session.execute(sa.select(sa.func.count(AuditLog.id))).scalar_one()
    before = state()
    preview = service.apply(DAY, actor="tester", dry_run=True)
    db.session.commit()
    assert state() == before and refdata.has_legacy_tree()
    assert db.session.execute(sa.select(sa.func.count(AuditLog.id))).scalar_one() == audit
    assert db.session.execute(sa.select(Reorganisation)).first() is None
    real = service.apply(DAY, actor="tester")
    db.session.commit()
    assert preview["dry_run"] and not real["dry_run"]
    assert {**preview, "dry_run": False} == real


def test_rerun_changes_nothing(legacy):
    first = service.apply(DAY, actor="tester")
    db.session.commit()
    [run] = db.session.execute(sa.select(Reorganisation)).scalars().all()
    assert (run.day, run.actor, run.province) == (DAY, "tester", "Tỉnh Quảng Ngãi")
    assert run.summary["counts"] == first["counts"]
    audit = db.session.execute(sa.select(sa.func.count(AuditLog.id))).scalar_one()
    again = service.apply(DAY, actor="tester")
    db.session.commit()
    assert not again["changed"]
    assert again["appointments"] == again["records"] == again["units"] == []
    assert again["counts"]["new_units"] == 0
    assert db.session.execute(sa.select(sa.func.count(Reorganisation.id))).scalar_one() == 1
    assert db.session.execute(sa.select(sa.func.count(AuditLog.id))).scalar_one() == audit


def test_status_before_and_after(legacy):
    assert service.status(dt.date(2025, 6, 1)).needs_run is False
    before = service.status(dt.date(2026, 1, 1))
    assert before.needs_run and "01/7/2025" in before.reason and before.last_run is None
    service.apply(DAY, actor="tester")
    db.session.commit()
    after = service.status(dt.date(2026, 1, 1))
    assert not after.needs_run and after.last_run.day == DAY


def test_apply_requires_an_admin(legacy, make):
    officer = make.user("xa", UserRole.OFFICER, "Thị trấn Đắk Hà")
    with access.scoped(access.scope_for_user(officer)), pytest.raises(access.AccessDenied):
        service.apply(DAY, actor="xa", dry_run=True)


def test_legacy_catalogue_needs_its_own_day(legacy):
    from registry.core.rules import RuleViolation

    with pytest.raises(RuleViolation, match="01/07/2025"):
        service.apply(dt.date(2025, 8, 1), actor="tester")
    assert refdata.has_legacy_tree()


def test_a_province_that_does_not_hold_the_tree_is_refused(legacy, app, monkeypatch):
    from registry.core.rules import RuleViolation

    monkeypatch.setitem(app.config, "PROVINCE", "Hà Nội")
    with pytest.raises(RuleViolation, match="không thuộc các tỉnh hợp thành"):
        service.apply(DAY, actor="tester")
    assert refdata.has_legacy_tree()


def test_a_failure_midway_leaves_nothing_half_done(legacy, monkeypatch):
    appointments = db.session.execute(sa.select(sa.func.count(Appointment.id))).scalar_one()

    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(service, "move_records", broken)
    with pytest.raises(RuntimeError):
        service.apply(DAY, actor="tester")
    db.session.commit()
    assert refdata.has_legacy_tree()
    assert db.session.execute(sa.select(sa.func.count(Appointment.id))).scalar_one() == appointments
    assert db.session.get(Person, legacy["an"]).unit_id == legacy["town"]
