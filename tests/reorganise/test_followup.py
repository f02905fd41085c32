"""The reorganisation's follow-ups as plain functions, on today's tree (`world2025`) with the
state a run leaves: a person of the divided Xã Trà Bùi in its default successor with a review
row, a BCV cấp huyện still active at Huyện Đắk Hà. Built directly, so these tests depend on
the follow-ups alone; tests/reorganise/test_views.py goes through a real run."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from models import (
    Activity,
    Appointment,
    AuditLog,
    EndReason,
    Level,
    Reorganisation,
    Role,
    SuccessorReview,
    UserRole,
    db,
)
from registry.core import access
from registry.core.audit import Actor, acting_as
from registry.core.rules import RuleViolation
from registry.reorganise import followup
from registry.reorganise.followup import Decision

DAY = dt.date(2025, 7, 1)
TODAY = dt.date(2026, 12, 6)
DECISION = Decision(number="15-QĐ/BTGDVTU", date=dt.date(2026, 1, 10),
                    body="Ban Tuyên giáo và Dân vận Tỉnh ủy Quảng Ngãi", start=dt.date(2026, 2, 1))


@pytest.fixture
def world(world2025, make):
    return make


def _gso(code: str, ended: bool = True):
    from models import Unit

    return db.session.execute(sa.select(Unit).where(
        Unit.gso_code == code,
        Unit.valid_to.is_not(None) if ended else Unit.valid_to.is_(None))).scalars().one()


@pytest.fixture
def divided(world):
    """Nguyễn Thị Chia of old Xã Trà Bùi (code 21142: Xã Cà Đam by default, or Xã Tây Trà
    Bồng), as a run leaves her: ended there 30-6-2025, in Xã Cà Đam since, under review."""
    old, default = _gso("21142"), world.unit("Xã Cà Đam")
    person = world.person("Nguyễn Thị Chia", old, start=dt.date(2022, 3, 1),
                          end=DAY - dt.timedelta(days=1))
    person.appointments[0].end_reason = EndReason.SAP_XEP
    new = Appointment(person=person, role=Role.TTV, level=Level.CO_SO, unit=default,
                      unit_name_snapshot=default.name, start_date=DAY, decision_no="7/QĐ-ĐU")
    person.unit = default
    run = Reorganisation(day=DAY, province="Tỉnh Quảng Ngãi", actor="test", summary={})
    db.session.add_all([new, run])
    db.session.flush()
    db.session.add(SuccessorReview(reorganisation_id=run.id, person=person, old_unit=old,
                                   successor=default, appointment_ids=[new.id]))
    db.session.commit()
    world.activity(person, dt.date(2025, 3, 5), appointment=person.appointments[-1], unit=old)
    world.activity(person, dt.date(2025, 9, 9), appointment=new, unit=default)
    world.payment(person, period=dt.date(2025, 8, 1), unit=default)
    return person


def _review():
    return db.session.execute(sa.select(SuccessorReview)).scalars().one()


def _as(user=None):
    scope = access.scope_for_user(user) if user is not None else None
    return access.scoped(scope)


def test_the_review_is_seen_by_the_persons_commune_and_the_province_only(world, divided):
    cadam = world.user("cadam", UserRole.OFFICER, "Xã Cà Đam")
    taytra = world.user("taytra", UserRole.OFFICER, "Xã Tây Trà Bồng")
    admin = world.user("qt", UserRole.ADMIN, "Tỉnh Quảng Ngãi")
    for user, seen in ((cadam, 1), (taytra, 0), (admin, 1)):
        with _as(user):
            assert len(followup.pending_reviews()) == seen, user.username
    with _as(cadam):
        assert [u.name for u in followup.choices(followup.pending_reviews()[0])] == [
            "Xã Cà Đam", "Xã Tây Trà Bồng"]


def test_an_officer_may_not_give_the_person_to_the_other_commune(world, divided):
    cadam = world.user("cadam", UserRole.OFFICER, "Xã Cà Đam")
    with _as(cadam), acting_as(Actor(cadam.id, "cadam")), pytest.raises(RuleViolation) as caught:
        followup.decide_review(followup.pending_reviews()[0], world.unit("Xã Tây Trà Bồng"))
    db.session.rollback()
    assert "nằm ngoài đơn vị của bạn" in caught.value.message
    review = _review()
    assert review.decided_at is None and review.person.unit.name == "Xã Cà Đam"


def test_picking_the_other_successor_moves_the_runs_appointment_person_and_records(
        world, divided):
    admin = world.user("qt", UserRole.ADMIN, "Tỉnh Quảng Ngãi")
    other = world.unit("Xã Tây Trà Bồng")
    with _as(admin), acting_as(Actor(admin.id, "qt")):
        followup.decide_review(followup.pending_reviews()[0], other)
        db.session.commit()
    db.session.expire_all()
    review = _review()
    assert review.successor_id == other.id and review.decided_by == "qt"
    assert review.decided_at is not None
    person = review.person
    assert person.unit_id == other.id
    opened = [a for a in person.appointments if a.start_date == DAY]
    assert [(a.unit_id, a.unit_name_snapshot) for a in opened] == [(other.id, other.name)]
    ended = [a for a in person.appointments if a.end_date is not None]
    assert ended[0].unit.gso_code == "21142"  # history untouched
    by_day = {a.date: a.unit_id for a in db.session.execute(sa.select(Activity)).scalars()}
    assert by_day[dt.date(2025, 9, 9)] == other.id
    assert by_day[dt.date(2025, 3, 5)] == ended[0].unit_id  # before the run: where it was
    assert person.payments[0].unit_id == other.id
    with _as(admin):
        assert followup.pending_reviews() == []


def test_a_unit_that_is_not_a_successor_is_refused_and_nothing_moves(world, divided):
    with _as(), pytest.raises(RuleViolation) as caught:
        followup.decide_review(_review(), world.unit("Xã Đăk Hà"))
    assert "không phải đơn vị kế thừa của «Xã Trà Bùi»" in caught.value.message
    assert "Xã Cà Đam, Xã Tây Trà Bồng" in caught.value.message
    db.session.rollback()
    assert _review().decided_at is None and divided.unit.name == "Xã Cà Đam"


def test_confirming_defaults_keeps_the_unit_and_a_second_decision_is_refused(world, divided):
    with _as(), acting_as(Actor(None, "qt")):
        assert followup.confirm_defaults([_review()]) == 1
        db.session.commit()
        assert _review().successor.name == "Xã Cà Đam" and _review().decided_by == "qt"
        with pytest.raises(RuleViolation, match="đã được xác nhận trước đó"):
            followup.decide_review(_review(), world.unit("Xã Tây Trà Bồng"))


def test_an_officer_elsewhere_or_a_viewer_may_not_decide(world, divided):
    review = _review()
    for user in (world.user("taytra", UserRole.OFFICER, "Xã Tây Trà Bồng"),
                 world.user("xem", UserRole.VIEWER, "Xã Cà Đam")):
        with _as(user), pytest.raises(access.AccessDenied):
            followup.decide_review(review, review.successor)


@pytest.fixture
def huyen(world):
    """A BCV cấp huyện of Huyện Đắk Hà, still active; the run moved the person to the province."""
    district = _district("Huyện Đắk Hà")
    person = world.person("Trần Văn Huyện", district, role=Role.BCV, level=Level.HUYEN,
                          start=dt.date(2021, 5, 1))
    person.appointments[0].decision_body = "Ban Thường vụ Huyện ủy Đắk Hà"
    person.unit = world.unit("Tỉnh Quảng Ngãi")
    db.session.commit()
    return person


def _district(name: str):
    from models import Unit, UnitKind

    return db.session.execute(sa.select(Unit).where(
        Unit.name == name, Unit.kind == UnitKind.HUYEN)).scalars().one()


@pytest.fixture
def qt(world):
    """The province's admin."""
    return world.user("qt", UserRole.ADMIN, "Tỉnh Quảng Ngãi")


def test_the_list_holds_active_cap_huyen_appointments_from_the_two_level_day(world, huyen):
    world.person("Đã Thôi", _district("Huyện Đắk Hà"), role=Role.BCV, level=Level.HUYEN,
                 start=dt.date(2020, 1, 1), end=dt.date(2024, 12, 31))
    world.person("Cơ Sở", world.unit("Xã Đăk Hà"), start=DAY)
    assert [a.person.full_name for a in followup.rerecognition_list(TODAY)] == ["Trần Văn Huyện"]
    assert followup.rerecognition_list(dt.date(2025, 6, 30)) == []


def test_reappoint_at_province_level_under_one_decision(world, huyen, qt):
    old = huyen.appointments[0]
    with _as(qt):
        opened = followup.reappoint([old], DECISION)
        db.session.commit()
    db.session.expire_all()
    assert (old.end_date, old.end_reason) == (dt.date(2026, 1, 31), EndReason.SAP_XEP)
    assert old.unit.name == "Huyện Đắk Hà"  # who recognised them stays in the history
    new = db.session.get(Appointment, opened[0].id)
    assert (new.role, new.level, new.unit.name, new.unit_name_snapshot) == (
        Role.BCV, Level.TINH, "Tỉnh Quảng Ngãi", "Tỉnh Quảng Ngãi")
    assert (new.decision_no, new.decision_date, new.decision_body, new.start_date) == (
        DECISION.number, DECISION.date, DECISION.body, DECISION.start)
    assert (new.term, new.term_start, new.term_end) == ("2025-2030", 2025, 2030)
    assert followup.rerecognition_list(TODAY) == []


def test_reappoint_at_commune_level_moves_the_person_there(world, huyen, qt):
    commune = world.unit("Xã Đăk Hà")
    with _as(qt):
        followup.reappoint([huyen.appointments[0]], DECISION, commune)
        db.session.commit()
    db.session.expire_all()
    new = [a for a in huyen.appointments if a.end_date is None]
    assert [(a.level, a.unit_id) for a in new] == [(Level.CO_SO, commune.id)]
    assert huyen.unit_id == commune.id


def test_ending_them_opens_nothing(world, huyen, qt):
    with _as(qt):
        assert followup.end_huyen([huyen.appointments[0]], DECISION) == 1
        db.session.commit()
    assert len(huyen.appointments) == 1 and huyen.appointments[0].end_reason is EndReason.SAP_XEP


@pytest.mark.parametrize("change, field, message", [
    ({"start": dt.date(2025, 6, 1)}, "start_date", "phải từ 01/07/2025"),
    ({"start": dt.date(2021, 5, 1)}, "start_date", "phải từ 01/07/2025"),
    ({"start": dt.date(2025, 9, 1)}, "start_date", "sau ngày bắt đầu của bổ nhiệm cấp huyện"),
    ({"term": "2025-2205"}, "term", "không đúng dạng"),
])
def test_bad_dates_and_terms_are_refused_in_vietnamese(world, huyen, change, field, message, qt):
    huyen.appointments[0].start_date = dt.date(2025, 9, 1)  # typed in after the reform
    decision = Decision(**{**DECISION.__dict__, **change})
    with _as(qt), pytest.raises(RuleViolation) as caught:
        followup.reappoint([huyen.appointments[0]], decision)
    assert caught.value.field == field and message in caught.value.message


def test_a_unit_that_is_no_current_commune_is_refused(world, huyen, qt):
    # An old commune, a district.
    for unit in (world.unit("Xã Đắk Hring"), _district("Huyện Sa Thầy")):
        with _as(qt), pytest.raises(RuleViolation, match="không phải xã"):
            followup.reappoint([huyen.appointments[0]], DECISION, unit)


def test_a_batch_with_one_stale_row_changes_nothing(world, huyen, qt):
    other = world.person("Lê Thị Khác", _district("Huyện Đắk Hà"), role=Role.BCV,
                         level=Level.HUYEN, start=dt.date(2021, 5, 1))
    other.appointments[0].end_date = dt.date(2025, 12, 31)  # someone ended it meanwhile
    db.session.commit()
    rows = [huyen.appointments[0], other.appointments[0]]
    with _as(qt), pytest.raises(RuleViolation, match="Lê Thị Khác"):
        followup.reappoint(rows, DECISION)
    db.session.rollback()
    assert huyen.appointments[0].end_date is None and len(huyen.appointments) == 1
    with _as(qt), pytest.raises(RuleViolation, match="Chưa chọn"):
        followup.end_huyen([], DECISION)


def test_officers_may_not_rerecognise(world, huyen):
    officer = world.user("xdh", UserRole.OFFICER, "Xã Đăk Hà")
    appointment = huyen.appointments[0]
    with _as(officer), pytest.raises(access.AccessDenied):
        followup.end_huyen([appointment], DECISION)


def test_accounts_of_ended_units_are_listed_with_where_they_can_go(world, qt):
    town = world.user("thitran", UserRole.OFFICER, "Thị trấn Đắk Hà")
    district = world.user("dakha", UserRole.OFFICER, _district("Huyện Đắk Hà"))
    world.user("xdh", UserRole.OFFICER, "Xã Đăk Hà")  # a current unit: not listed
    with _as(qt):
        rows = {r.user.username: r for r in followup.orphan_accounts(TODAY)}
    assert set(rows) == {"thitran", "dakha"}
    assert rows["thitran"].successor.name == "Xã Đăk Hà"
    assert rows["dakha"].successor.name == rows["dakha"].province.name == "Tỉnh Quảng Ngãi"
    with _as(qt), acting_as(Actor(qt.id, "qt")):
        version = town.session_version
        followup.move_account(town, rows["thitran"].successor, TODAY)
        db.session.commit()
        assert town.unit.name == "Xã Đăk Hà"
        assert town.session_version == version + 1  # their sessions end: their scope changed
        moved = db.session.execute(sa.select(AuditLog).where(
            AuditLog.entity == "security", AuditLog.action == "account_changed")).scalar_one()
        assert moved.after["change"] == "move" and moved.after["username"] == "thitran"
        with pytest.raises(RuleViolation, match="đã thuộc đơn vị còn hiệu lực"):
            followup.move_account(town, rows["thitran"].province, TODAY)
        with pytest.raises(RuleViolation, match="đã hết hiệu lực"):
            followup.move_account(district, world.unit("Thị trấn Đắk Hà"), TODAY)
    officer = world.user("xdh2", UserRole.OFFICER, "Xã Đăk Hà")
    with _as(officer), pytest.raises(access.AccessDenied):
        followup.orphan_accounts(TODAY)
    with _as(officer), pytest.raises(access.AccessDenied):
        followup.move_account(district, world.unit("Xã Đăk Hà"), TODAY)
